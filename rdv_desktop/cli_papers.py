"""`rdv-admin` commands that reprint a person's papers. Registered into `cli.COMMANDS`."""

from __future__ import annotations

import argparse
from pathlib import Path

from .cli_common import admin_actor, services_for
from .errors import RdvError


def write_pdf(out: str, pdf: bytes) -> None:
    try:
        Path(out).write_bytes(pdf)
    except OSError as exc:
        raise RdvError(f"Impossible d'écrire {out} : {exc.strerror}") from exc


def cmd_reprint_convocation(args: argparse.Namespace) -> int:
    """A lost convocation: the same signed check-in code, marked DUPLICATA and audited."""
    services = services_for(args)
    actor = admin_actor(args, services)  # its password first, before any lookup
    view = services.appointments.by_reference(args.reference)
    if view.outcome != "pending":
        raise RdvError(f"Le rendez-vous {view.reference} est clôturé : sa convocation ne se "
                       "réimprime pas.")
    doc = services.documents.convocation(actor, view.id, reprint=True)
    out = args.out or doc.filename
    write_pdf(out, doc.pdf)
    print(f"Duplicata de la convocation {view.reference} écrit dans {out}")
    return 0


PAPER_COMMANDS = {
    "reprint-convocation": (cmd_reprint_convocation,
                            "réimprimer une convocation en PDF (duplicata)"),
}


def add_paper_arguments(parsers: dict[str, argparse.ArgumentParser]) -> None:
    p = parsers["reprint-convocation"]
    p.add_argument("reference", help="référence du rendez-vous (RDV-…)")
    p.add_argument("--out", help="fichier PDF à écrire (sinon convocation-…-duplicata-….pdf "
                   "dans le dossier courant)")
