"""`rdv-admin` commands of the manager's office: stats, export, purge, export-person, backup,
report. Registered into `cli.COMMANDS`; both modules share `cli_common`."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from .cli_common import admin_actor, services_for, station_actor
from .errors import RdvError


def _day(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RdvError(f"Date {what} invalide « {text} » : format AAAA-MM-JJ attendu.") from None


def cmd_stats(args: argparse.Namespace) -> int:
    from .services.stats.stats_output import ROW_HEADERS, report_dict, report_rows

    services = services_for(args)
    report = services.office.stats.report(station_actor(args), _day(args.date_from, "de début"),
                                          _day(args.date_to, "de fin"))
    if args.format == "json":
        json.dump(report_dict(report), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
        writer.writerow(ROW_HEADERS)
        writer.writerows(report_rows(report))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    services = services_for(args)
    result = services.office.exports.export(admin_actor(args, services),
                                            _day(args.date_from, "de début"),
                                            _day(args.date_to, "de fin"), Path(args.out))
    print(f"Export {result.kind.upper()} : {result.rows} rendez-vous dans {result.path}")
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    services = services_for(args)
    report = services.office.retention.purge(admin_actor(args, services), args.older_than,
                                             dry_run=args.dry_run, confirmed=args.yes)
    verb = "seraient anonymisés" if report.dry_run else "anonymisés"
    gone = "seraient supprimées" if report.dry_run else "supprimées"
    print(f"{report.count} rendez-vous antérieurs au {report.cutoff:%d/%m/%Y} {verb} ; "
          f"{report.pdfs} copie(s) PDF conservée(s) {gone}.")
    return 0


def cmd_export_person(args: argparse.Namespace) -> int:
    services = services_for(args)
    birth = _day(args.birth_date, "de naissance") if args.birth_date else None
    data: dict[str, Any] = services.office.retention.export_person(
        admin_actor(args, services), reference=args.reference, family_name=args.name,
        birth_date=birth)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if args.out:
        try:
            Path(args.out).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise RdvError(f"Impossible d'écrire {args.out} : {exc.strerror}") from exc
        print(f"Données de la personne écrites dans {args.out} "
              f"({len(data['appointments'])} rendez-vous).")
    else:
        sys.stdout.write(text)
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    services = services_for(args)
    out = services.office.retention.backup(admin_actor(args, services), Path(args.out))
    print(f"Sauvegarde cohérente écrite dans {out}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .services.office.monthly_report import parse_month

    services = services_for(args)
    year, month = parse_month(args.month)
    pdf = services.office.monthly_report(station_actor(args), year, month)
    try:
        Path(args.out).write_bytes(pdf)
    except OSError as exc:
        raise RdvError(f"Impossible d'écrire {args.out} : {exc.strerror}") from exc
    print(f"Rapport mensuel {month:02d}/{year} écrit dans {args.out}")
    return 0


OFFICE_COMMANDS = {
    "stats": (cmd_stats, "statistiques d'une période (JSON ou CSV)"),
    "export": (cmd_export, "exporter les rendez-vous d'une période (.csv ou .xlsx)"),
    "report": (cmd_report, "rapport mensuel en PDF"),
    "purge": (cmd_purge, "anonymiser les rendez-vous clôturés anciens"),
    "export-person": (cmd_export_person, "toutes les données d'une personne (droit d'accès)"),
    "backup": (cmd_backup, "sauvegarde cohérente de la base SQLite"),
}


def _range(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="date_from", required=True, metavar="AAAA-MM-JJ")
    p.add_argument("--to", dest="date_to", required=True, metavar="AAAA-MM-JJ")


def add_office_arguments(parsers: dict[str, argparse.ArgumentParser]) -> None:
    p = parsers["stats"]
    _range(p)
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p = parsers["export"]
    _range(p)
    p.add_argument("--out", required=True, help="fichier .csv ou .xlsx")
    p = parsers["report"]
    p.add_argument("--month", required=True, metavar="AAAA-MM")
    p.add_argument("--out", required=True, help="fichier PDF")
    p = parsers["purge"]
    p.add_argument("--older-than", type=int, metavar="MOIS",
                   help="durée de conservation en mois (sinon le réglage retention_months)")
    p.add_argument("--dry-run", action="store_true", help="compter sans rien modifier")
    p.add_argument("--yes", action="store_true", help="confirmer l'anonymisation")
    p = parsers["export-person"]
    p.add_argument("--reference", help="référence du rendez-vous")
    p.add_argument("--name", help="nom de famille")
    p.add_argument("--birth-date", metavar="AAAA-MM-JJ")
    p.add_argument("--out", help="fichier JSON (sinon la sortie standard)")
    parsers["backup"].add_argument("out", help="fichier de sauvegarde à créer")
