"""Personal data: purge (anonymise) old closed appointments, subject access, consistent backups.

The database is a working store (domain README, « Personal data »): after the retention period
the applicant's identity is erased from every appointment of that age (closed or never closed),
while the appointment row, its outcome, timestamps, motif and dossier number stay, so every
statistic is unchanged; the kept copies of printed papers of that age are deleted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, or_, select, update

from ...errors import NotFound, ValidationError
from ...models import Appointment, AuditEvent, Companion, Dossier, Recepisse
from ..core.actor import Actor
from ..core.audit import jsonable, record
from ..core.clock import add_months, local_today
from ..core.context import ServiceContext

ANONYMOUS_NAME = "ANONYMISÉ"
IDENTITY_FIELDS = {
    "family_name": ANONYMOUS_NAME, "given_names": "", "birth_date": None, "birth_place": "",
    "nationality": "", "phone": "", "email": "", "foreign_number": "",
}
PG_BACKUP_HELP = (
    "Base PostgreSQL : la sauvegarde se fait sur le serveur avec pg_dump, par exemple "
    "« pg_dump --format=custom --file=rdv.dump NOM_DE_BASE » (cohérente même pendant "
    "l'utilisation), restaurée par pg_restore."
)


@dataclass(frozen=True)
class PurgeReport:
    cutoff: date
    count: int
    dry_run: bool
    pdfs: int = 0  # kept copies of printed papers older than the cutoff (deleted unless dry)


def old_pdfs(folder: Path, cutoff: date) -> list[Path]:
    """Kept PDFs printed before `cutoff`: whole `YYYY/MM` folders of earlier months, and the
    files of the cutoff's own month last written before it."""
    found: list[Path] = []
    if not folder.is_dir():
        return found
    limit = datetime.combine(cutoff, time.min).timestamp()
    for year in folder.iterdir():
        for month in (year.iterdir() if year.is_dir() and year.name.isdigit() else ()):
            if not (month.is_dir() and month.name.isdigit()):
                continue
            kept_in = (int(year.name), int(month.name))
            if kept_in > (cutoff.year, cutoff.month):
                continue
            found += [f for f in month.glob("*.pdf")
                      if kept_in < (cutoff.year, cutoff.month) or f.stat().st_mtime < limit]
    return sorted(found)


def delete_files(paths: list[Path]) -> int:
    """Remove the files (and the month folders they leave empty); the count actually removed."""
    removed = 0
    for path in paths:
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
        for folder in (path.parent, path.parent.parent):
            try:
                folder.rmdir()  # only when empty
            except OSError:
                break
    return removed


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (clamped to the month's end: 31/03 − 1 → 28/02)."""
    return add_months(day, -months)


def _appointment_data(a: Appointment) -> dict[str, Any]:
    columns = [c.key for c in Appointment.__table__.columns]
    data: dict[str, Any] = jsonable({c: getattr(a, c) for c in columns})
    data["companions"] = [{"role": c.role, "name": c.name, "language": c.language}
                          for c in a.companions]
    return data


def _dossier_data(d: Dossier, recepisses: Sequence[Recepisse]) -> dict[str, Any]:
    columns = [c.key for c in Dossier.__table__.columns]
    data = {c: getattr(d, c) for c in columns}
    data["pieces"] = [{"code": p.code, "label": p.label, "status": p.status, "note": p.note}
                      for p in d.pieces]
    data["timbres"] = [{"number": t.number, "amount_cents": t.amount_cents} for t in d.timbres]
    data["recepisses"] = [{c.key: getattr(r, c.key) for c in Recepisse.__table__.columns}
                          for r in recepisses]
    ready: dict[str, Any] = jsonable(data)
    return ready


class RetentionService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def purge(self, actor: Actor, older_than_months: int | None = None, *,
              dry_run: bool = False, confirmed: bool = False) -> PurgeReport:
        """Anonymise closed appointments whose slot is older than the retention period."""
        self.ctx.require(actor, "data.purge")
        months = older_than_months
        if months is None:
            months = self.ctx.read_settings().retention_months
        if months < 1:
            raise ValidationError("La durée de conservation doit être d'au moins un mois.")
        if not dry_run and not confirmed:
            raise ValidationError(
                "Purge non confirmée : relancez avec --yes (ou --dry-run pour compter seulement)."
            )
        cutoff = months_before(local_today(self.ctx.clock), months)
        # Appointments never closed (nobody marked the absence) are past retention too.
        target = (Appointment.slot_date < cutoff, Appointment.anonymised_at.is_(None))
        now = self.ctx.clock.now()
        pdfs = old_pdfs(self.ctx.pdf_dir, cutoff)
        if dry_run:
            with self.ctx.db.read(long=True) as s:
                count = len(s.scalars(select(Appointment.id).where(*target)).all())
            return PurgeReport(cutoff, count, True, len(pdfs))
        with self.ctx.db.write(long=True) as s:
            # Companions' names are personal data too: they go with the appointment's identity.
            s.execute(delete(Companion).where(Companion.appointment_id.in_(
                select(Appointment.id).where(*target))))
            # An UPDATE gives a CursorResult; Session.execute is typed as returning a Result.
            result = cast(CursorResult[Any], s.execute(
                update(Appointment).where(*target)
                .values(**IDENTITY_FIELDS, anonymised_at=now, updated_at=now)))
            count = result.rowcount
            record(s, actor, now, "purge", "appointment", None,
                   after={"cutoff": cutoff, "months": months, "anonymised": count,
                          "pdfs": len(pdfs)})
        # After the commit: a file removed for a purge that rolled back could not come back.
        return PurgeReport(cutoff, count, False, delete_files(pdfs))

    def export_person(self, actor: Actor, *, reference: str | None = None,
                      family_name: str | None = None, birth_date: date | None = None
                      ) -> dict[str, Any]:
        """Everything held about one person (subject access), as a JSON-ready dict."""
        self.ctx.require(actor, "data.access")
        if reference:
            where = Appointment.reference == reference.strip()
        elif family_name and family_name.strip() and birth_date is not None:
            where = ((func.lower(Appointment.family_name) == family_name.strip().lower())
                     & (Appointment.birth_date == birth_date))
        else:
            raise ValidationError(
                "Indiquez la référence du rendez-vous, ou le nom et la date de naissance."
            )
        now = self.ctx.clock.now()
        with self.ctx.db.write(long=True) as s:
            appointments = s.scalars(select(Appointment).where(where).order_by(Appointment.id)
                                     ).all()
            if not appointments:
                raise NotFound("Aucune donnée enregistrée pour cette personne.")
            ids = [a.id for a in appointments]
            dossiers = s.scalars(select(Dossier).where(Dossier.appointment_id.in_(ids))
                                 .order_by(Dossier.id)).all()
            numbers = [d.number for d in dossiers if d.number]
            events = s.scalars(select(AuditEvent).where(or_(
                AuditEvent.appointment_id.in_(ids),
                (AuditEvent.entity_type == "dossier") & AuditEvent.entity_id.in_(numbers or [""]),
            )).order_by(AuditEvent.id)).all()
            data = {
                "generated_at": jsonable(now),
                "site": self.ctx.site_code,
                "appointments": [_appointment_data(a) for a in appointments],
                "dossiers": [_dossier_data(d, s.scalars(select(Recepisse).where(
                    Recepisse.dossier_id == d.id).order_by(Recepisse.id)).all())
                    for d in dossiers],
                "history": [jsonable({"at": e.at, "action": e.action, "by": e.user_login,
                                      "station": e.station, "reason": e.reason})
                            for e in events],
            }
            record(s, actor, now, "subject_access", "appointment", ids[0],
                   after={"appointments": ids}, appointment_id=ids[0])
        return data

    def backup(self, actor: Actor, out: Path) -> Path:
        """A consistent copy of a live SQLite database (online backup API)."""
        self.ctx.require(actor, "data.backup")
        if self.ctx.db.dialect != "sqlite":
            raise ValidationError(PG_BACKUP_HELP)
        out = Path(out)
        if out.exists():
            raise ValidationError(f"{out} existe déjà : choisissez un autre fichier.")
        if not out.parent.is_dir():
            raise ValidationError(f"Impossible d'écrire {out} : le dossier n'existe pas.")
        raw = self.ctx.db.engine.raw_connection()
        try:
            target = sqlite3.connect(out)
            try:
                # The engine is SQLite here: the driver's connection is a sqlite3.Connection.
                cast(sqlite3.Connection, raw.driver_connection).backup(target)
            finally:
                target.close()
        except sqlite3.Error as exc:
            out.unlink(missing_ok=True)
            raise ValidationError(f"Sauvegarde impossible vers {out} : {exc}") from exc
        finally:
            raw.close()
        with self.ctx.db.write(long=True) as s:
            record(s, actor, self.ctx.clock.now(), "backup", "database", out.name,
                   after={"path": str(out)})
        return out
