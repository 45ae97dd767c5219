"""The site key as the app uses it: sign with the key on disk, verify with every published key.

The private key lives in the station's key folder (see docs/receipt-format.md, "Keys and
stations"); its public half is published in the database so that every station, and
`rdv-admin public-key`, can verify codes signed anywhere on the site.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...errors import DatabaseUnavailable, NotFound, RdvError, ValidationError
from ...models import Appointment, AuditEvent, Dossier, SigningKey
from ..core.actor import Actor, system_actor
from ..core.audit import record
from ..core.clock import local
from ..core.context import ServiceContext
from ..core.users import administrator_exists
from .records import match_record
from .signed_code import KIND_ATTESTATION, sign_code
from .signer import (
    KeyInfo,
    KeyRing,
    KeyStoreError,
    Signer,
    generate_site_key,
    list_keys,
    load_signer,
    remove_private_key,
    retire_key,
    rotate,
)
from .verifier import (
    Verification,
    VerificationStatus,
    key_state_refusal,
    revoked_message,
    verify,
)


class SigningError(RdvError):
    """No usable signing key on this station."""


NO_KEY_YET = ("Le site {site} n'a pas encore de clé de signature : aucun document n'est signé tant "
              "qu'un administrateur ne l'a pas créée avec « rdv-admin keygen ».")
NO_ACTIVE_KEY = ("Le site {site} n'a plus de clé de signature active (retirée ou compromise) : "
                 "aucun document n'est signé tant qu'un administrateur n'en a pas créé une "
                 "avec « rdv-admin keygen ».")


@dataclass(frozen=True)
class CompromiseReport:
    """What a compromised key signed that is still in use: to re-issue."""

    key_id: str
    dossiers: tuple[tuple[str, datetime], ...]  # (number, deposited_at) of valid attestations
    convocations: tuple[tuple[str, date], ...]  # (reference, slot date) of coming appointments


class KeyService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self._signer: Signer | None = None
        self._last_ring: KeyRing | None = None  # for an answer while the database is away

    def signer(self, create_if_missing: bool = False) -> Signer:
        """The site's current signer; with `create_if_missing` the site's very first key is
        made on first need (a site that has or had a key gets new ones from `rdv-admin keygen`
        only). Asked before every paper: the key's state is read each time, so a station that
        has been running since before a rotation (done on another PC) never signs with the
        retired key; the loaded key itself is kept while it stays active."""
        published = self._site_keys()
        if self._signer is not None and published.get(self._signer.key_id, False) is None:
            return self._signer
        self._signer = None
        self._drop_withdrawn(published)
        try:
            self._signer = load_signer(self.ctx.key_dir, site=self.ctx.site_code)
        except KeyStoreError as exc:
            active = [key_id for key_id, retired in published.items() if retired is None]
            if published and not active:  # all retired or compromised: keygen makes the next
                raise SigningError(NO_ACTIVE_KEY.format(site=self.ctx.site_code)) from exc
            if not create_if_missing or any(k.site == self.ctx.site_code
                                            for k in list_keys(self.ctx.key_dir)):
                raise SigningError(str(exc)) from exc
            if not active and self._has_administrator():
                raise SigningError(NO_KEY_YET.format(site=self.ctx.site_code)) from exc
            if active:  # the site has a key: this station must not make another
                raise SigningError(
                    f"La clé de signature {active[0]} du site {self.ctx.site_code} n'est pas "
                    f"sur ce poste ({self.ctx.key_dir}). Copiez-la depuis le poste qui l'a créée "
                    "(voir docs/receipt-format.md, « Keys and stations »)."
                ) from exc
            # A site with no key and no administrator yet (a new single PC, the demo, tests):
            # its first key is made where the first paper is signed, published and audited as
            # this station's act. Otherwise keys come from `rdv-admin keygen` only.
            info = generate_site_key(self.ctx.key_dir, self.ctx.site_code, self.ctx.clock.now())
            self.publish(info, system_actor(self.ctx.station))
            self._signer = load_signer(self.ctx.key_dir, site=self.ctx.site_code)
            published = self._site_keys()
        if published.get(self._signer.key_id, False) is not None:
            key_id, self._signer = self._signer.key_id, None
            raise SigningError(
                f"La clé de signature {key_id} de ce poste n'est pas une clé active "
                f"publiée pour le site {self.ctx.site_code} : aucun document n'est signé. "
                "Un administrateur publie les clés avec « rdv-admin keygen ».")
        return self._signer

    def _has_administrator(self) -> bool:
        with self.ctx.db.read() as s:
            return administrator_exists(s)

    def ensure_key(self, actor: Actor) -> Signer:
        """The site's signer, the site's first key made by `actor` (an administrator, audited)
        if the site has none yet: `rdv-admin demo` on a new base."""
        if not self._site_keys():
            self.generate(actor)
        return self.signer()

    def _site_keys(self) -> dict[str, datetime | None]:
        """The site's published keys: key id → retirement date (None: active)."""
        with self.ctx.db.read() as s:
            rows = s.execute(select(SigningKey.key_id, SigningKey.retired_at)
                             .where(SigningKey.site_code == self.ctx.site_code)).all()
        return {r.key_id: r.retired_at for r in rows}

    def _drop_withdrawn(self, published: dict[str, datetime | None]) -> None:
        """A key the database says is retired (or compromised) never signs again here: its
        private file leaves this station's key folder."""
        for info in list_keys(self.ctx.key_dir):
            retired = published.get(info.key_id)
            if retired is not None:
                if info.retired_at is None:
                    retire_key(self.ctx.key_dir, info.key_id, retired)
                remove_private_key(self.ctx.key_dir, info.key_id)

    def publish(self, info: KeyInfo, actor: Actor) -> None:
        """Record a new public key in the database, audited (a key already there is kept)."""
        now = self.ctx.clock.now()
        with self.ctx.db.write() as s:
            if s.get(SigningKey, info.key_id) is None:
                s.add(SigningKey(key_id=info.key_id, site_code=info.site,
                                 public_key_pem=info.public_pem, created_at=info.created_at,
                                 retired_at=info.retired_at))
                record(s, actor, now, "key_published", "signing_key", info.key_id)

    def generate(self, actor: Actor) -> KeyInfo:
        """`rdv-admin keygen`: a new key for the site, published; the site's active keys are
        retired (in the database, and their private files leave this station)."""
        self.ctx.require(actor, "keys.manage")
        now = self.ctx.clock.now()
        local_active = [k for k in list_keys(self.ctx.key_dir)
                        if k.site == self.ctx.site_code and not k.retired]
        info = (rotate(self.ctx.key_dir, self.ctx.site_code, now) if local_active
                else generate_site_key(self.ctx.key_dir, self.ctx.site_code, now))
        self.publish(info, actor)
        with self.ctx.db.write() as s:
            for row in s.scalars(select(SigningKey).where(
                    SigningKey.site_code == self.ctx.site_code, SigningKey.retired_at.is_(None),
                    SigningKey.key_id != info.key_id).with_for_update()):
                row.retired_at = now
                record(s, actor, now, "key_retired", "signing_key", row.key_id,
                       after={"replaced_by": info.key_id})
            record(s, actor, now, "key_rotated" if local_active else "key_generated",
                   "signing_key", info.key_id)
        self._signer = None
        return info

    def compromised(self, actor: Actor, key_id: str) -> CompromiseReport:
        """Declare a key compromised: nothing it signed verifies any more; the report lists the
        valid attestations and the coming convocations it signed, to re-issue."""
        self.ctx.require(actor, "keys.manage")
        now = self.ctx.clock.now()
        today = local(now).date()
        with self.ctx.db.write() as s:
            row = s.scalar(select(SigningKey).where(SigningKey.key_id == key_id.strip().upper())
                           .with_for_update())
            if row is None:
                raise NotFound(f"Clé de signature inconnue : {key_id}.")
            if row.compromised_at is not None:
                raise ValidationError(f"La clé {row.key_id} est déjà déclarée compromise.")
            row.compromised_at = now
            row.retired_at = row.retired_at or now
            dossiers = tuple(s.execute(
                select(Dossier.number, Dossier.deposited_at)
                .where(Dossier.signing_key_id == row.key_id, Dossier.number.is_not(None),
                       Dossier.revoked_at.is_(None)).order_by(Dossier.number)).tuples())
            printed = {e.appointment_id for e in s.scalars(select(AuditEvent).where(
                AuditEvent.action.in_(("convocation_printed", "convocation_reprinted"))))
                if (e.after or {}).get("key_id") == row.key_id}
            convocations = tuple(s.execute(
                select(Appointment.reference, Appointment.slot_date)
                .where(Appointment.id.in_(printed), Appointment.outcome == "pending",
                       Appointment.slot_date >= today)
                .order_by(Appointment.slot_date, Appointment.reference)).tuples())
            record(s, actor, now, "key_compromised", "signing_key", row.key_id,
                   after={"dossiers": len(dossiers), "convocations": len(convocations)})
            key = row.key_id
        self._drop_withdrawn({key: now})
        self._signer = None
        return CompromiseReport(key, tuple((n or "", d) for n, d in dossiers), convocations)

    def signer_to_reissue(self, *, number: str | None = None,
                          appointment_id: int | None = None) -> Signer | None:
        """The site's active signer when the attestation about to be printed again (by number,
        or the appointment's latest dossier) was signed by a compromised key; else None."""
        query = (select(SigningKey.compromised_at)
                 .join(Dossier, Dossier.signing_key_id == SigningKey.key_id))
        query = (query.where(Dossier.number == number) if number is not None else
                 query.where(Dossier.appointment_id == appointment_id)
                 .order_by(Dossier.id.desc()).limit(1))
        with self.ctx.db.read() as s:
            compromised = s.scalar(query)
        return self.signer() if compromised is not None else None

    def reissue_in(self, s: Session, actor: Actor, dossier: Dossier, signer: Signer,
                   now: datetime) -> None:
        """Sign the dossier's attestation again with `signer` (same number, same deposit
        minute): the new code is the one stored, so the old paper no longer matches."""
        replaced = dossier.signing_key_id
        dossier.qr_payload = sign_code(KIND_ATTESTATION, self.ctx.site_code,
                                       dossier.number or "", dossier.deposited_at, signer)
        dossier.signing_key_id = signer.key_id
        record(s, actor, now, "attestation_reissued", "dossier", dossier.number,
               after={"key_id": signer.key_id, "replaced_key_id": replaced},
               appointment_id=dossier.appointment_id)

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
            ring = self.keyring()
        except DatabaseUnavailable:
            if self._last_ring is None:
                raise
            return signature_only(verify(raw, self._last_ring, expected_kind=expected_kind,
                                         site=self.ctx.site_code))
        return self.confirm(verify(raw, ring, expected_kind=expected_kind,
                                   site=self.ctx.site_code), ring)

    def confirm(self, result: Verification, ring: KeyRing) -> Verification:
        """A validly signed code of this site compared with the record it claims to be."""
        if not result.ok or result.other_site or result.payload is None:
            return result
        entry = ring.get(result.key_id or "")
        if entry is None:
            return result
        try:
            with self.ctx.db.read() as s:
                # The key's state as of now (a station may hold an older ring).
                state = s.execute(select(SigningKey.retired_at, SigningKey.compromised_at)
                                  .where(SigningKey.key_id == entry.key_id)).first()
                if state is not None:
                    entry = replace(entry, retired_at=state.retired_at,
                                    compromised_at=state.compromised_at)
                withdrawn = key_state_refusal(result.payload, entry)
                if withdrawn is not None:
                    return replace(withdrawn, record_checked=True)
                found = match_record(s, result.payload, self.ctx.clock.now(), entry.retired_at)
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
