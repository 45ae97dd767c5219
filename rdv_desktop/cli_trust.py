"""`rdv-admin` commands of trust: verify a code, declare a key compromised, check the audit
chain. Registered into `cli.COMMANDS`; they share `cli_common` with the others."""

from __future__ import annotations

import argparse
from pathlib import Path

from .cli_common import admin_actor, services_for, station_actor
from .errors import RdvError


def _codes(args: argparse.Namespace) -> list[str]:
    texts = [args.text] if args.text else []
    if args.image:
        from .services.signing.qr_image import decode_image

        texts = decode_image(Path(args.image))
        if not texts:
            raise RdvError(f"Aucun code QR lisible dans {args.image}.")
    if not texts:
        raise RdvError("Donnez le texte du code ou --image FICHIER.")
    return texts


def _offline(texts: list[str], bundle: str) -> int:
    """`verify --keys FILE`: no database, the signature alone, and the answer says so."""
    from .services.signing.keys import signature_only
    from .services.signing.signer import KeyRing, KeyStoreError
    from .services.signing.verifier import verify

    try:
        ring = KeyRing.from_pem_bundle(Path(bundle).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RdvError(f"Impossible de lire les clés publiques {bundle} : {exc}") from exc
    except KeyStoreError as exc:
        raise RdvError(str(exc)) from exc
    ok = False
    for text in texts:
        result = signature_only(verify(text, ring, expected_kind=None))
        print("\n".join((result.message, *result.details)))
        ok = ok or result.ok
    return 0 if ok else 1


def cmd_verify(args: argparse.Namespace) -> int:
    texts = _codes(args)
    if args.keys:
        return _offline(texts, args.keys)
    services = services_for(args)
    ok = False
    actor = station_actor(args)
    for text in texts:
        result = services.keys.check(actor, text)
        print("\n".join((result.message, *result.details)))
        ok = ok or result.ok
    return 0 if ok else 1


def cmd_key_compromised(args: argparse.Namespace) -> int:
    services = services_for(args)
    report = services.keys.compromised(admin_actor(args, services), args.key_id)
    print(f"Clé {report.key_id} déclarée compromise : plus rien de ce qu'elle a signé n'est "
          "valable. Créez une nouvelle clé (« rdv-admin keygen ») avant de signer de nouveau.")
    print(f"Attestations à réémettre ({len(report.dossiers)}) :")
    for number, deposited in report.dossiers:
        from .services.core.clock import fr_datetime

        print(f"  {number}  déposé le {fr_datetime(deposited)}")
    print(f"Convocations à réimprimer ({len(report.convocations)}) :")
    for reference, day in report.convocations:
        print(f"  {reference}  rendez-vous du {day:%d/%m/%Y}")
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from .services.core.audit_chain_check import check_chain

    services = services_for(args)
    report = check_chain(services.ctx)
    print("\n".join(report.lines()))
    return 0 if report.intact else 1


TRUST_COMMANDS = {
    "verify": (cmd_verify, "vérifier une attestation ou une convocation (texte ou image)"),
    "key-compromised": (cmd_key_compromised,
                        "déclarer une clé compromise et lister ce qu'elle a signé"),
    "audit-verify": (cmd_audit_verify, "vérifier que le journal d'audit n'a pas été altéré"),
}


def add_trust_arguments(parsers: dict[str, argparse.ArgumentParser]) -> None:
    p = parsers["verify"]
    p.add_argument("text", nargs="?")
    p.add_argument("--image", help="PNG, JPEG ou PDF contenant le QR")
    p.add_argument("--keys", metavar="FICHIER",
                   help="clés publiques (PEM) : vérification hors ligne, signature seule")
    parsers["key-compromised"].add_argument("key_id", help="identifiant de la clé (8 caractères)")
