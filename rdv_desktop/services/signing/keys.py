"""The site key as the app uses it: sign with the key on disk, verify with every published key.

The private key lives in the station's key folder (see docs/receipt-format.md, "Keys and
stations"); its public half is published in the database so that every station, and
`rdv-admin public-key`, can verify codes signed anywhere on the site.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from ...errors import DatabaseUnavailable, RdvError
from ...models import SigningKey
from ..core.actor import Actor, system_actor
from ..core.audit import record
from ..core.context import ServiceContext
from .signer import (
    KeyInfo,
    KeyRing,
    KeyStoreError,
    Signer,
    generate_site_key,
    list_keys,
    load_signer,
    rotate,
)
from .records import match_record
from .verifier import Verification, VerificationStatus, revoked_message, verify


class SigningError(RdvError):
    """No usable signing key on this station."""


class KeyService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self._signer: Signer | None = None
        self._last_ring: KeyRing | None = None  # for an answer while the database is away

    def signer(self, create_if_missing: bool = False) -> Signer:
        """The site's current signer; with `create_if_missing` a first key is made on first need."""
        if self._signer is not None:
            return self._signer
        try:
            self._signer = load_signer(self.ctx.key_dir, site=self.ctx.site_code)
        except KeyStoreError as exc:
            if not create_if_missing or any(k.site == self.ctx.site_code
                                            for k in list_keys(self.ctx.key_dir)):
                raise SigningError(str(exc)) from exc
            published = self._published_active_key()
            if published is not None:  # the site has a key: this station must not make another
                raise SigningError(
                    f"La clé de signature {published} du site {self.ctx.site_code} n'est pas "
                    f"sur ce poste ({self.ctx.key_dir}). Copiez-la depuis le poste qui l'a créée "
                    "(voir docs/receipt-format.md, « Keys and stations »)."
                ) from exc
            # The site's very first key, made where the first paper is signed: published and
            # audited as this station's act. Every later key comes from `rdv-admin keygen`.
            info = generate_site_key(self.ctx.key_dir, self.ctx.site_code)
            self.publish(info, system_actor(self.ctx.station))
            self._signer = load_signer(self.ctx.key_dir, site=self.ctx.site_code)
        self._require_published(self._signer)
        return self._signer

    def _require_published(self, signer: Signer) -> None:
        """Sign only with a key the database publishes as active: a key file planted in the
        station's folder is never used, nor trusted (see `keyring`)."""
        with self.ctx.db.read() as s:
            row = s.execute(select(SigningKey.site_code, SigningKey.retired_at)
                            .where(SigningKey.key_id == signer.key_id)).first()
        if row is None or row.site_code != self.ctx.site_code or row.retired_at is not None:
            self._signer = None
            raise SigningError(
                f"La clé de signature {signer.key_id} de ce poste n'est pas une clé active "
                f"publiée pour le site {self.ctx.site_code} : aucun document n'est signé. "
                "Un administrateur publie les clés avec « rdv-admin keygen ».")

    def _published_active_key(self) -> str | None:
        with self.ctx.db.read() as s:
            return s.scalar(select(SigningKey.key_id).where(
                SigningKey.site_code == self.ctx.site_code, SigningKey.retired_at.is_(None)))

    def publish(self, info: KeyInfo, actor: Actor | None) -> None:
        """Record a public key in the database (idempotent; a retirement date is updated)."""
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            row = s.get(SigningKey, info.key_id)
            if row is None:
                s.add(SigningKey(key_id=info.key_id, site_code=info.site,
                                 public_key_pem=info.public_pem, created_at=info.created_at,
                                 retired_at=info.retired_at))
                if actor is not None:
                    record(s, actor, now, "key_published", "signing_key", info.key_id)
            elif row.retired_at != info.retired_at and info.retired_at is not None:
                row.retired_at = info.retired_at

    def publish_all(self) -> None:
        for info in list_keys(self.ctx.key_dir):
            self.publish(info, None)

    def generate(self, actor: Actor) -> KeyInfo:
        self.ctx.require(actor, "keys.manage")
        existing = [k for k in list_keys(self.ctx.key_dir)
                    if k.site == self.ctx.site_code and not k.retired]
        info = (rotate(self.ctx.key_dir, self.ctx.site_code) if existing
                else generate_site_key(self.ctx.key_dir, self.ctx.site_code))
        self.publish_all()
        self.publish(info, actor)
        with self.ctx.db.write() as s:
            record(s, actor, self.ctx.clock.now(), "key_rotated" if existing else "key_generated",
                   "signing_key", info.key_id)
        self._signer = None
        return info

    def keyring(self) -> KeyRing:
        """The keys the database publishes, and only those: a key file on a station proves
        nothing (anyone with access to the PC could have put it there)."""
        with self.ctx.db.read() as s:
            rows = s.execute(select(SigningKey.key_id, SigningKey.public_key_pem,
                                    SigningKey.site_code, SigningKey.retired_at,
                                    SigningKey.compromised_at)).all()
        ring = KeyRing.from_records(
            ((r.key_id, r.public_key_pem, r.site_code, r.retired_at) for r in rows),
            compromised={r.key_id: r.compromised_at for r in rows if r.compromised_at})
        self._last_ring = ring
        return ring

    def public_keys_pem(self) -> str:
        return self.keyring().to_pem_bundle()

    def verify(self, raw: str, expected_kind: str | None = "A") -> Verification:
        """The one verifier: the signature against the published keys, then the code against
        the record. With the database out of reach and keys loaded earlier, the signature
        alone is checked and the answer says so."""
        try:
            ring: KeyRing | None = self.keyring()
        except DatabaseUnavailable:
            ring = self._last_ring
            if ring is None:
                raise
            result = verify(raw, ring, expected_kind=expected_kind, site=self.ctx.site_code)
            return signature_only(result)
        return self.confirm(verify(raw, ring, expected_kind=expected_kind,
                                   site=self.ctx.site_code), ring)

    def confirm(self, result: Verification, ring: KeyRing) -> Verification:
        """A validly signed code of this site compared with the record it claims to be."""
        if not result.ok or result.other_site or result.payload is None:
            return result
        entry = ring.get(result.key_id or "")
        try:
            with self.ctx.db.read() as s:
                found = match_record(s, result.payload, self.ctx.clock.now(),
                                     entry.retired_at if entry is not None else None)
        except DatabaseUnavailable:
            return signature_only(result)
        if found.refusal is not None:
            status = (VerificationStatus.RETIRED_KEY if found.refusal == "retired_key"
                      else VerificationStatus.NO_RECORD)
            return replace(result, status=status, message=found.message, record_checked=True,
                           refusal=found.refusal)
        checked = replace(result, record_checked=True, holder=found.holder)
        if found.revoked:
            return replace(checked, status=VerificationStatus.REVOKED,
                           message=revoked_message(result), refusal="revoked")
        return checked

    def check(self, actor: Actor, raw: str) -> Verification:
        """Verify for a person (the dialog, `rdv-admin verify`): a refusal is audited with its
        status, its reason and the number the code claims, never the whole text."""
        result = self.verify(raw)
        if result.status is not VerificationStatus.AUTHENTIC:
            with self.ctx.db.write() as s:
                record(s, actor, self.ctx.clock.now(), "verification_refused", "dossier",
                       result.reference, after={"status": result.status.value,
                                                "reason": result.refusal,
                                                "key_id": result.key_id})
        return result


def signature_only(result: Verification) -> Verification:
    """The answer when the record could not be read: only the signature was checked."""
    if not result.ok:
        return result
    return replace(result, record_checked=False,
                   message=f"Signature valide, dossier non vérifié — {result.message}")
