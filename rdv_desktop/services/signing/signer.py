"""Site signing keys: private keys on disk, an index of public keys, and the KeyRing.

One Ed25519 key signs for a whole site; every station of the site holds a copy of the private
key file (or shares one restricted directory). Private keys are PKCS8 PEM files named
`{key_id}.pem`, mode 0600 in a 0700 directory. `keys.json` in the same directory lists every key
ever used (id, site, dates, public PEM) so rotated-out keys keep verifying old codes.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
    load_pem_public_key,
)

from rdv_desktop.services.signing.signed_code import key_id_for

__all__ = [
    "INDEX_NAME",
    "KeyInfo",
    "KeyPermissionError",
    "KeyRing",
    "KeyStoreError",
    "PublicKeyEntry",
    "Signer",
    "export_public_keys",
    "generate_site_key",
    "list_keys",
    "load_keyring",
    "load_signer",
    "public_key_pem",
    "remove_private_key",
    "retire_key",
    "rotate",
]

INDEX_NAME = "keys.json"
_INDEX_VERSION = 1
_SITE_RE = re.compile(r"[A-Z0-9-]{1,16}")


class KeyStoreError(Exception):
    """A key directory problem; the message is French, meant for the administrator."""


class KeyPermissionError(KeyStoreError):
    """A private key file other users could read: refused rather than silently used."""


# --------------------------------------------------------------------------- public keys


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    """SubjectPublicKeyInfo PEM, the form `rdv-admin public-key` prints."""
    return public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def _load_public_pem(pem: str | bytes) -> Ed25519PublicKey:
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    try:
        key = load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise KeyStoreError(f"Clé publique illisible : {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyStoreError("La clé publique n'est pas une clé Ed25519.")
    return key


@dataclass(frozen=True)
class PublicKeyEntry:
    """One verification key. `retired_at` set: it no longer signs, and verifies only codes dated
    up to its retirement. `compromised_at` set: nothing it signed is trusted any more."""

    key_id: str
    public_key: Ed25519PublicKey
    site: str
    created_at: datetime | None = None
    retired_at: datetime | None = None
    compromised_at: datetime | None = None

    @property
    def public_pem(self) -> str:
        return public_key_pem(self.public_key)


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when is not None else None


def _parse_iso(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class KeyRing:
    """The public keys a verifier accepts, by key id (several: keys rotate, sites differ)."""

    def __init__(self, entries: Iterable[PublicKeyEntry] = ()) -> None:
        self._entries: dict[str, PublicKeyEntry] = {}
        for entry in entries:
            if key_id_for(entry.public_key) != entry.key_id:
                raise KeyStoreError(
                    f"L'identifiant de clé {entry.key_id} ne correspond pas à la clé publique."
                )
            self._entries[entry.key_id] = entry

    @classmethod
    def from_records(
        cls, records: Iterable[tuple[str, str | bytes, str, datetime | None]],
        compromised: Mapping[str, datetime] | None = None,
    ) -> KeyRing:
        """Build from `(key_id, public PEM, site, retired_at)` rows, e.g. the database table;
        `compromised` maps the key ids declared compromised to the date they were."""
        marks = compromised or {}
        return cls(
            PublicKeyEntry(key_id, _load_public_pem(pem), site, retired_at=retired_at,
                           compromised_at=marks.get(key_id))
            for key_id, pem, site, retired_at in records
        )

    @classmethod
    def from_pem_bundle(cls, text: str) -> KeyRing:
        """Import what `to_pem_bundle` (or `rdv-admin public-key`) wrote.

        Each `-----BEGIN PUBLIC KEY-----` block may be preceded by `Key-Id:`, `Site:`,
        `Created:`, `Retired:` lines (RFC 7468 explanatory text). `Site:` is required.
        """
        entries = []
        headers: dict[str, str] = {}
        block: list[str] | None = None
        for line in text.splitlines():
            line = line.strip()
            if block is not None:
                block.append(line)
                if line == "-----END PUBLIC KEY-----":
                    entries.append(_entry_from_block("\n".join(block) + "\n", headers))
                    headers, block = {}, None
            elif line == "-----BEGIN PUBLIC KEY-----":
                block = [line]
            elif ":" in line:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
        if block is not None:
            raise KeyStoreError("Fichier de clés publiques tronqué (bloc PEM non terminé).")
        return cls(entries)

    def to_pem_bundle(self) -> str:
        """All keys as PEM blocks with their metadata, for another station or a third party."""
        parts = []
        for entry in self._entries.values():
            parts.append(
                f"Key-Id: {entry.key_id}\nSite: {entry.site}\n"
                f"Created: {_iso(entry.created_at) or ''}\n"
                f"Retired: {_iso(entry.retired_at) or ''}\n"
                f"Compromised: {_iso(entry.compromised_at) or ''}\n{entry.public_pem}"
            )
        return "\n".join(parts)

    def get(self, key_id: str) -> PublicKeyEntry | None:
        return self._entries.get(key_id)

    def merged(self, other: KeyRing) -> KeyRing:
        """Union of two rings; on a shared key id, `other` wins (fresher retirement data)."""
        return KeyRing([*self, *other])

    def __contains__(self, key_id: object) -> bool:
        return key_id in self._entries

    def __iter__(self) -> Iterator[PublicKeyEntry]:
        return iter(list(self._entries.values()))

    def __len__(self) -> int:
        return len(self._entries)


def _entry_from_block(pem: str, headers: dict[str, str]) -> PublicKeyEntry:
    key = _load_public_pem(pem)
    key_id = key_id_for(key)
    if headers.get("key-id") and headers["key-id"] != key_id:
        raise KeyStoreError(
            f"L'identifiant {headers['key-id']} ne correspond pas à la clé publique ({key_id})."
        )
    site = headers.get("site", "")
    if not _SITE_RE.fullmatch(site):
        raise KeyStoreError(f"Site manquant ou invalide pour la clé {key_id}.")
    try:
        created = _parse_iso(headers.get("created"))
        retired = _parse_iso(headers.get("retired"))
        compromised = _parse_iso(headers.get("compromised"))
    except ValueError:
        raise KeyStoreError(f"Date invalide pour la clé {key_id}.") from None
    return PublicKeyEntry(key_id, key, site, created, retired, compromised)


# --------------------------------------------------------------------------- key directory


@dataclass(frozen=True)
class KeyInfo:
    """One key of the index (no private material)."""

    key_id: str
    site: str
    created_at: datetime
    retired_at: datetime | None
    public_pem: str

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    def to_entry(self) -> PublicKeyEntry:
        return PublicKeyEntry(
            self.key_id, _load_public_pem(self.public_pem), self.site,
            self.created_at, self.retired_at,
        )


@dataclass(frozen=True)
class Signer:
    """A loaded private key, ready for `signed_code.sign_code`."""

    key_id: str
    site: str
    private_key: Ed25519PrivateKey

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.private_key.public_key()


def _now() -> datetime:
    return datetime.now(UTC)


def list_keys(key_dir: Path) -> list[KeyInfo]:
    """Keys of the index, oldest first. A missing index means no key yet."""
    path = Path(key_dir) / INDEX_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        raise KeyStoreError(f"Index des clés illisible ({path}) : {exc}") from None
    try:
        return [
            KeyInfo(
                key_id=row["key_id"],
                site=row["site"],
                created_at=datetime.fromisoformat(row["created_at"]),
                retired_at=_parse_iso(row.get("retired_at")),
                public_pem=row["public_key_pem"],
            )
            for row in data["keys"]
        ]
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyStoreError(f"Index des clés invalide ({path}) : {exc!r}") from None


def _write_index(key_dir: Path, keys: list[KeyInfo]) -> None:
    """Atomic: write a temporary file in the same directory, fsync, then os.replace."""
    data = {
        "version": _INDEX_VERSION,
        "keys": [
            {
                "key_id": k.key_id,
                "site": k.site,
                "created_at": k.created_at.isoformat(),
                "retired_at": _iso(k.retired_at),
                "public_key_pem": k.public_pem,
            }
            for k in keys
        ],
    }
    fd, tmp = tempfile.mkstemp(dir=key_dir, prefix=".keys-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, key_dir / INDEX_NAME)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _ensure_dir(key_dir: Path) -> Path:
    key_dir = Path(key_dir)
    key_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        key_dir.chmod(0o700)
    return key_dir


def _private_path(key_dir: Path, key_id: str) -> Path:
    return Path(key_dir) / f"{key_id}.pem"


def generate_site_key(key_dir: Path, site: str, now: datetime | None = None) -> KeyInfo:
    """Create a new key for `site` and add it to the index (other keys are left untouched)."""
    if not _SITE_RE.fullmatch(site):
        raise ValueError(f"invalid site code: {site!r}")
    key_dir = _ensure_dir(key_dir)
    private_key = Ed25519PrivateKey.generate()
    key_id = key_id_for(private_key.public_key())
    pem = private_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    fd = os.open(_private_path(key_dir, key_id), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())
    if os.name == "posix":
        _private_path(key_dir, key_id).chmod(0o600)
    info = KeyInfo(key_id, site, now or _now(), None, public_key_pem(private_key.public_key()))
    _write_index(key_dir, [*list_keys(key_dir), info])
    return info


def retire_key(key_dir: Path, key_id: str, now: datetime | None = None) -> KeyInfo:
    """Mark a key retired: it stops signing, its public key keeps verifying."""
    keys = list_keys(key_dir)
    for i, info in enumerate(keys):
        if info.key_id == key_id:
            if info.retired_at is None:
                keys[i] = replace(info, retired_at=now or _now())
                _write_index(Path(key_dir), keys)
            return keys[i]
    raise KeyStoreError(f"Clé {key_id} absente de l'index ({Path(key_dir) / INDEX_NAME}).")


def rotate(key_dir: Path, site: str, now: datetime | None = None) -> KeyInfo:
    """New current key for `site`; the site's previous keys are retired: their public halves
    stay in the index (they verify what they signed before), their private files are removed."""
    new = generate_site_key(key_dir, site, now)
    for info in list_keys(key_dir):
        if info.site == site and info.key_id != new.key_id and not info.retired:
            retire_key(key_dir, info.key_id, now)
            remove_private_key(key_dir, info.key_id)
    return new


def remove_private_key(key_dir: Path, key_id: str) -> bool:
    """Delete a key's private file from this station (True if there was one). A retired or
    compromised key must not stay where it could still sign."""
    path = _private_path(key_dir, key_id)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def _check_permissions(path: Path) -> None:
    """POSIX only: refuse a private key readable or writable by group or others."""
    if os.name != "posix":
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeyPermissionError(
            f"Le fichier de clé privée {path} est accessible à d'autres utilisateurs "
            f"(droits {mode:04o}). Il doit être en 0600 : exécutez « chmod 600 {path} »."
        )


def load_signer(key_dir: Path, key_id: str | None = None, *, site: str | None = None) -> Signer:
    """The signer for `key_id`, or the current key: the newest non-retired (of `site` if given).

    Retired keys are refused: after a rotation nothing should be signed with the old key.
    """
    keys = list_keys(key_dir)
    if key_id is None:
        active = [k for k in keys if not k.retired and (site is None or k.site == site)]
        if not active:
            raise KeyStoreError(
                f"Aucune clé de signature active dans {key_dir}. "
                "Générez-en une avec « rdv-admin » ou copiez celle du site."
            )
        info = max(active, key=lambda k: k.created_at)
    else:
        found = [k for k in keys if k.key_id == key_id]
        if not found:
            raise KeyStoreError(f"Clé {key_id} absente de l'index ({Path(key_dir) / INDEX_NAME}).")
        info = found[0]
        if info.retired:
            raise KeyStoreError(f"La clé {key_id} est retirée : elle ne peut plus signer.")
    path = _private_path(key_dir, info.key_id)
    try:
        _check_permissions(path)
        pem = path.read_bytes()
    except FileNotFoundError:
        raise KeyStoreError(
            f"Fichier de clé privée introuvable : {path}. "
            "Ce poste peut vérifier mais pas signer ; copiez la clé du site."
        ) from None
    try:
        private_key = load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise KeyStoreError(f"Clé privée illisible ({path}) : {exc}") from None
    if not isinstance(private_key, Ed25519PrivateKey):
        raise KeyStoreError(f"La clé {path} n'est pas une clé Ed25519.")
    if key_id_for(private_key.public_key()) != info.key_id:
        raise KeyStoreError(f"Le fichier {path} ne contient pas la clé {info.key_id}.")
    return Signer(info.key_id, info.site, private_key)


def load_keyring(key_dir: Path) -> KeyRing:
    """Every public key of the index, retired ones included."""
    return KeyRing(info.to_entry() for info in list_keys(key_dir))


def export_public_keys(key_dir: Path) -> str:
    """The PEM bundle of the index, importable with `KeyRing.from_pem_bundle`."""
    return load_keyring(key_dir).to_pem_bundle()
