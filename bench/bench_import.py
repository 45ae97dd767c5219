"""Importing a 5,000-row file: first import (all created) and re-import (all unchanged).

Generates a CSV (UTF-8, `;`) and an equivalent RDV Service Public .xlsx in a temporary folder,
imports each into a fresh SQLite database (and a fresh PostgreSQL schema with --pg URL), and
prints one JSON document: seconds and rows/s for each step, plus the time spent reading alone.
Usage: python bench/bench_import.py [--rows N] [--pg postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from rdv_desktop.models.db import Database
from rdv_desktop.services.core.actor import system_actor
from rdv_desktop.services.core.clock import PARIS, FixedClock
from rdv_desktop.services.core.context import ServiceContext
from rdv_desktop.services.importing import ImportService, read_path
from rdv_desktop.services.setup import Services, prepare_database

MOTIFS = ("Admission exceptionnelle au séjour – vie privée et familiale",
          "Admission exceptionnelle au séjour - salarié / travailleur temporaire",
          "Carte de séjour « retraité »", "RETRAITE", "Regroupement familial (papier)")
FAMILY = ("DIALLO", "NGUYEN", "HADDAD", "KOUAMÉ", "PETROVA", "SILVA", "TRAORÉ", "LI")
GIVEN = ("Aminata", "Thi Lan", "Karim", "Adjoua", "Elena", "Paulo", "Moussa", "Chen")
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)


def people(n: int) -> Iterator[tuple[str, str, date, str, str, str]]:
    """(family, given, slot day, hh:mm, birth dd/mm/yyyy, motif), all distinct."""
    for i in range(n):
        day = date(2026, 12, 1) + timedelta(days=i // 40)
        minute = 8 * 60 + (i % 40) * 12
        birth = date(1950, 1, 1) + timedelta(days=(i * 37) % 18000)
        yield (f"{FAMILY[i % len(FAMILY)]}{i}", GIVEN[i % len(GIVEN)], day,
               f"{minute // 60:02d}:{minute % 60:02d}", birth.strftime("%d/%m/%Y"),
               MOTIFS[i % len(MOTIFS)])


def write_csv(path: Path, n: int) -> Path:
    lines = ["Référence;Nom;Prénom;Date de naissance;Téléphone;Date;Heure;Motif"]
    for i, (family, given, day, hour, birth, motif) in enumerate(people(n)):
        lines.append(f"B{i:06d};{family};{given};{birth};06 00 00 {i % 100:02d} 00;"
                     f"{day:%d/%m/%Y};{hour};{motif}")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def write_xlsx(path: Path, n: int) -> Path:
    import openpyxl

    header = ("année", "date prise rdv", "heure prise rdv", "origine", "date rdv", "heure rdv",
              "service", "motif", "contexte", "statut", "lieu", "professionnel.le(s)",
              "usager(s)", "commune du premier responsable", "au moins un usager mineur ?",
              "résultat des notifications", "Organisation", "date naissance",
              "code postal du premier responsable", "créé par", "email(s) professionnel.le(s)")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Rdvs")
    sheet.append(header)
    for family, given, day, hour, birth, motif in people(n):
        sheet.append((2026, "02/11/2026", "10:12", "RDV Pris sur internet", f"{day:%d/%m/%Y}",
                      hour, "Titres de séjour", motif, "", "Rendez-vous à venir", "Aurillac",
                      "Guichet", f"{given} {family}", "Aurillac", "non", "", "Préfecture",
                      birth, "15000", "usager", "guichet@example.org"))
    book.save(path)
    return path


@contextmanager
def fresh_database(kind: str, folder: Path, pg_url: str | None) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'bench-{uuid.uuid4().hex[:6]}.sqlite3'}"
        return
    assert pg_url is not None
    schema = f"bench_import_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in pg_url else "?"
    try:
        yield f"{pg_url}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def measure(url: str, path: Path, folder: Path) -> dict[str, object]:
    db = Database(url)
    ctx = ServiceContext.create(db, "CANTAL", FixedClock(NOW), "BENCH", folder / "keys")
    prepare_database(ctx)
    services = Services.build(ctx)
    importer = ImportService(services.appointments, services.catalogue)
    actor = system_actor("BENCH")
    out: dict[str, object] = {}
    for step in ("first_import", "reimport"):
        start = time.perf_counter()
        report = importer.import_file(actor, path)
        seconds = time.perf_counter() - start
        out[step] = {"seconds": round(seconds, 3), "rows_per_s": round(report.rows_read / seconds),
                     "created": report.created, "updated": report.updated,
                     "unchanged": report.unchanged, "rejected": len(report.rejected)}
    db.dispose()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--pg", help="PostgreSQL URL: also measure on a fresh schema there")
    args = parser.parse_args()
    result: dict[str, object] = {"rows": args.rows, "python": platform.python_version(),
                                 "results": {}}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = {"csv": write_csv(folder / "bench.csv", args.rows),
                 "xlsx": write_xlsx(folder / "bench.xlsx", args.rows)}
        kinds = ["sqlite"] + (["postgresql"] if args.pg else [])
        for fmt, path in files.items():
            start = time.perf_counter()
            read = read_path(path)
            read_s = time.perf_counter() - start
            assert len(read.rows) == args.rows, (fmt, read.problems[:3])
            entry: dict[str, object] = {"read_only_seconds": round(read_s, 3),
                                        "bytes": path.stat().st_size}
            for kind in kinds:
                with fresh_database(kind, folder, args.pg) as url:
                    entry[kind] = measure(url, path, folder)
            result["results"][fmt] = entry  # type: ignore[index]
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
