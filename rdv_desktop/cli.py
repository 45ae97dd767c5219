"""`rdv-admin`: set up and look after a station's database from the command line.

Exit status 0 on success; on error one French line on stderr and a non-zero status.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from .cli_common import add_identity_arguments, admin_actor, ask_password, services_for
from .cli_office import OFFICE_COMMANDS, add_office_arguments
from .cli_papers import PAPER_COMMANDS, add_paper_arguments, write_pdf
from .cli_trust import TRUST_COMMANDS, add_trust_arguments
from .errors import RdvError
from .paths import keep_files_private

Handler = Callable[[argparse.Namespace], int]


def cmd_init_db(args: argparse.Namespace) -> int:
    services = services_for(args)
    print(f"Base prête : {services.ctx.db.display_url} (site {services.ctx.site_code})")
    if args.app_role:
        from .cli_common import read_secret
        from .models.app_role import create_app_role

        password = read_secret(args, f"Mot de passe du rôle {args.app_role} : ") or None
        create_app_role(services.ctx.db, args.app_role, password)
        print(f"Rôle applicatif {args.app_role} prêt : journal d'audit en lecture et ajout "
              "seulement. Les postes se connectent avec ce rôle.")
    return 0


def cmd_upgrade(args: argparse.Namespace) -> int:
    from .models.migrate import current_revision, upgrade

    services = services_for(args, prepare=False)
    upgrade(services.ctx.db)
    print(f"Schéma à jour : révision {current_revision(services.ctx.db)}")
    # A migration may drop the derived statistics (0003 did): rebuilding them here, at update
    # time, spares the first manager to open the dashboard a long wait (and, on SQLite, the
    # counter's writes waiting behind it).
    days = services.office.stats.refresh()
    print(f"Statistiques à jour ({days} jour(s) recalculé(s)).")
    return 0


def cmd_create_user(args: argparse.Namespace) -> int:
    services = services_for(args)
    actor = admin_actor(args, services)  # its password first: the first line of stdin
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = ask_password("Mot de passe du nouveau compte : ", "--password-stdin")
        if ask_password("Confirmez : ", "--password-stdin") != password:
            raise RdvError("Les deux mots de passe diffèrent.")
    user = services.users.create_user(actor, args.login, args.name or args.login,
                                      set(args.role), password)
    print(f"Utilisateur créé : {user.login} ({', '.join(sorted(user.roles))})")
    return 0


def cmd_load_catalogue(args: argparse.Namespace) -> int:
    services = services_for(args)
    version = services.catalogue.load_file(admin_actor(args, services),
                                           Path(args.file) if args.file else None)
    print(f"Catalogue chargé : version {version}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .services.core.clock import local_today
    from .services.demo import DEMO_PASSWORD, DemoOptions, generate_demo

    services = services_for(args)
    day = date.fromisoformat(args.date) if args.date else local_today(services.ctx.clock)
    summary = generate_demo(services, admin_actor(args, services),
                            DemoOptions(day, args.per_day, args.days_back, args.seed))
    print(f"Démo : {summary.appointments} rendez-vous dont {summary.today} le "
          f"{day:%d/%m/%Y}, {summary.deposits} dossiers déposés. "
          f"Comptes : accueil, agent, agent2, chef, admin (mot de passe {DEMO_PASSWORD}).")
    return 0


def cmd_keygen(args: argparse.Namespace) -> int:
    services = services_for(args)
    info = services.keys.generate(admin_actor(args, services))
    print(f"Clé de signature {info.key_id} créée pour le site {info.site} "
          f"dans {services.ctx.key_dir}")
    return 0


def cmd_public_key(args: argparse.Namespace) -> int:
    services = services_for(args)
    sys.stdout.write(services.keys.public_keys_pem())
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    services = services_for(args)
    services.dossiers.revoke(admin_actor(args, services), args.number, args.reason)
    print(f"Attestation {args.number} révoquée.")
    return 0


def cmd_receipt(args: argparse.Namespace) -> int:
    services = services_for(args)
    doc = services.documents.attestation(admin_actor(args, services), args.number, reprint=True)
    write_pdf(args.out, doc.pdf)
    print(f"Duplicata de l'attestation {args.number} écrit dans {args.out}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Ctrl+C asks the import to stop, while the file is read or written: what was written is
    taken back out, and the French message says so (exit 130).

    A second Ctrl+C (the import stuck waiting for the database) interrupts at once; the
    service still takes back what had committed.
    """
    import signal

    from .services.importing import CANCELLED_MESSAGE, CancelToken, ImportCancelled, ImportService

    services = services_for(args)
    importer = ImportService(services.appointments, services.catalogue)
    token = CancelToken()
    path = Path(args.file)
    tty = sys.stderr.isatty()

    def on_ctrl_c(_signum: int, _frame: object) -> None:
        if token():
            raise KeyboardInterrupt
        token.cancel()

    def announce(done: int, total: int) -> None:
        if done == 0 and tty:
            print(f"Import de « {path.name} » : {total} lignes (Ctrl+C pour annuler)…",
                  file=sys.stderr, flush=True)

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    if tty:
        print(f"Lecture de « {path.name} »… (Ctrl+C pour annuler)", file=sys.stderr, flush=True)
    try:
        report = importer.import_file(admin_actor(args, services), path, dry_run=args.dry_run,
                                      progress=announce, cancelled=token)
    except ImportCancelled as exc:
        print(f"rdv-admin : {exc.message}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print(f"rdv-admin : {CANCELLED_MESSAGE}", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGINT, previous)
    print("\n".join(report.lines()))
    return 0 if report.ok else 1


COMMANDS: dict[str, tuple[Handler, str]] = {
    "init-db": (cmd_init_db, "créer ou mettre à jour la base, le site et le catalogue"),
    "upgrade": (cmd_upgrade, "appliquer les migrations du schéma"),
    "create-user": (cmd_create_user, "créer un compte"),
    "load-catalogue": (cmd_load_catalogue, "charger une version du catalogue des motifs"),
    "demo": (cmd_demo, "remplir la base avec des données de démonstration"),
    "keygen": (cmd_keygen, "créer (ou renouveler) la clé de signature du site"),
    "public-key": (cmd_public_key, "afficher les clés publiques (PEM)"),
    "revoke": (cmd_revoke, "révoquer une attestation"),
    "import": (cmd_import, "importer des rendez-vous (CSV, .ics, export RDV Service Public)"),
    "receipt": (cmd_receipt, "réimprimer une attestation en PDF (duplicata)"),
    **OFFICE_COMMANDS,
    **TRUST_COMMANDS,
    **PAPER_COMMANDS,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rdv-admin", description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="adresse de la base (sinon RDV_DB_URL ou configuration)")
    parser.add_argument("--station", help="nom du poste inscrit dans le journal")
    add_identity_arguments(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")
    parsers = {name: sub.add_parser(name, help=help_) for name, (_, help_) in COMMANDS.items()}
    parsers["init-db"].add_argument(
        "--app-role", metavar="NOM",
        help="PostgreSQL : créer le rôle des postes (journal d'audit sans UPDATE ni DELETE)")
    p = parsers["create-user"]
    p.add_argument("login")
    p.add_argument("--role", action="append", required=True,
                   choices=["accueil", "agent", "manager", "admin"])
    p.add_argument("--name", help="nom affiché")
    p.add_argument("--password-stdin", action="store_true", help="lire le mot de passe sur stdin")
    parsers["load-catalogue"].add_argument("file", nargs="?")
    p = parsers["demo"]
    p.add_argument("--date", help="jour de la file de démonstration (AAAA-MM-JJ)")
    p.add_argument("--per-day", type=int, default=40)
    p.add_argument("--days-back", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    p = parsers["receipt"]
    p.add_argument("number")
    p.add_argument("--out", required=True, help="fichier PDF à écrire")
    p = parsers["revoke"]
    p.add_argument("number")
    p.add_argument("--reason", required=True)
    p = parsers["import"]
    p.add_argument("file", help="fichier .csv, .ics, .xls ou .xlsx")
    p.add_argument("--dry-run", action="store_true",
                   help="afficher le rapport sans rien enregistrer")
    add_office_arguments(parsers)
    add_trust_arguments(parsers)
    add_paper_arguments(parsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    keep_files_private()
    args = build_parser().parse_args(argv)
    handler = COMMANDS[args.command][0]
    try:
        return handler(args)
    except RdvError as exc:
        print(f"rdv-admin : {exc.message}", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"rdv-admin : valeur invalide : {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`rdv-admin verify … | head -1`): no traceback, the usual status.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
