"""Read and validate the motif catalogue file (``resources/catalogue.toml``).

The catalogue is data a manager may edit, so loading it checks everything and reports *all*
problems at once, each naming the file and the key path (``motifs[3].pieces[1].condition``,
0-based indexes), rather than failing on the first one or loading half a catalogue.
The file layout is documented in the header of ``resources/catalogue.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, NamedTuple, TypeGuard

from rdv_desktop.services.catalogue import conditions
from rdv_desktop.services.catalogue.conditions import ConditionError, Flags
from rdv_desktop.services.catalogue.rules import (
    LABEL_FIELDS,
    REQUEST_FLAGS,
    SHORT_LABEL_MAX,
    MotifRules,
)

Requirement = Literal["required", "conditional", "optional"]
_RequirementKey = Literal["required", "optional", "condition"]  # how the file spells it
_REQUIREMENT_KEYS: tuple[_RequirementKey, ...] = ("required", "optional", "condition")
_Table = dict[str, Any]  # a TOML table as tomllib parses it

_CODE = re.compile(r"[A-Z][A-Z0-9_]*")
_SITUATION = re.compile(r"[a-z][a-z0-9_]*")
_TOML_POS = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_PLACEHOLDER = re.compile(r"\{(\w*)\}")

_TOP_KEYS = {"version", "valid_from", "situations", "pieces", "motifs", "fees"}
_PIECE_KEYS = {"code", "label", "category", "order", "required", "optional", "condition",
               "blocking"}
_MOTIF_KEYS = {"code", "label", "ceseda", "anef", "redirect_note", "note", "active", "common",
               "common_except", "pieces", "card", "short", "valid_until", "photos",
               "address_months", "decision_months", "age_from", "age_before", "handover"}
_FEE_KEYS = {"code", "label", "amount_cents", "valid_from"}


@dataclass(frozen=True)
class SituationSpec:
    code: str
    label: str


@dataclass(frozen=True)
class PieceSpec:
    code: str
    label: str
    category: str
    order: int
    requirement: Requirement
    condition: str | None  # set only when requirement == "conditional"
    motif: str | None = None  # owning motif of a specific piece; None for a common piece
    blocking: bool = False  # missing: registration refused (R431-10 identity, form…)


@dataclass(frozen=True)
class MotifSpec:
    code: str
    label: str
    ceseda: str
    anef: bool
    redirect_note: str | None
    piece_codes: tuple[str, ...]  # common pieces then specific ones, each by `order`
    active: bool = True
    note: str | None = None  # hint for the counter agent (exclusions, deadlines)
    rules: MotifRules = field(default_factory=MotifRules)


@dataclass(frozen=True)
class FeeSpec:
    code: str
    label: str
    amount_cents: int
    valid_from: date


@dataclass(frozen=True)
class CatalogueSpec:
    version: str
    valid_from: date
    situations: tuple[SituationSpec, ...]
    pieces: tuple[PieceSpec, ...]
    motifs: tuple[MotifSpec, ...]
    fees: tuple[FeeSpec, ...]

    def piece(self, code: str) -> PieceSpec:
        return {p.code: p for p in self.pieces}[code]  # a few dozen items: no index needed

    def motif(self, code: str) -> MotifSpec:
        return {m.code: m for m in self.motifs}[code]

    def fee_on(self, code: str, day: date) -> FeeSpec | None:
        """The amount in force on ``day`` (latest ``valid_from`` not after it)."""
        current = [f for f in self.fees if f.code == code and f.valid_from <= day]
        return max(current, key=lambda f: f.valid_from, default=None)


class CatalogueError(Exception):
    """The catalogue file is unusable; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("Catalogue invalide :\n" + "\n".join(f"- {p}" for p in problems))
        self.problems = problems


class ChecklistItem(NamedTuple):
    piece: PieceSpec
    applies: bool  # shown as expected for this applicant

    @property
    def mandatory(self) -> bool:
        """Missing it makes the dossier incomplete (optional pieces never do)."""
        return self.applies and self.piece.requirement != "optional"


def checklist_for(spec: CatalogueSpec, motif_code: str, flags: Flags) -> list[ChecklistItem]:
    """The motif's pieces in checklist order, each saying whether it applies given ``flags``."""
    pieces = {p.code: p for p in spec.pieces}
    return [ChecklistItem(piece, piece.condition is None
                          or conditions.compile_condition(piece.condition).evaluate(flags))
            for piece in (pieces[code] for code in spec.motif(motif_code).piece_codes)]


def load_catalogue_file(path: Path) -> CatalogueSpec:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError([f"{Path(path).name}: fichier illisible ({exc})"]) from exc
    return parse_catalogue(text, Path(path).name)


def parse_catalogue(text: str, source: str) -> CatalogueSpec:
    """Parse and validate; raise CatalogueError listing every problem, never return partially."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        pos = _TOML_POS.search(message)
        where = f"ligne {pos[1]}, colonne {pos[2]}: " if pos else ""
        detail = _TOML_POS.sub("", message)
        raise CatalogueError([f"{source}: {where}syntaxe TOML invalide ({detail})"]) from exc
    return _Loader(source).load(data)


def _at(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


class _Loader:
    """Walks the parsed TOML; every reader reports its problem and returns None."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []
        self.situations: set[str] = set()
        self.piece_paths: dict[str, str] = {}
        self.motif_paths: dict[str, str] = {}
        self.common_declared: set[str] = set()  # even if invalid: reported once, not per use
        self.flags: set[str] = set(REQUEST_FLAGS.values())  # what a condition may name

    def error(self, path: str, message: str) -> None:
        self.problems.append(f"{self.source}: {path}: {message}" if path else
                             f"{self.source}: {message}")

    def text(self, table: _Table, key: str, path: str, required: bool = True) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                self.error(_at(path, key), "valeur manquante")
        elif not isinstance(value, str) or not value.strip():
            self.error(_at(path, key), "texte non vide attendu")
        else:
            return value.strip()
        return None

    def day(self, table: _Table, key: str, path: str) -> date | None:
        value = table.get(key)
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        self.error(_at(path, key), f"date invalide {value!r} (AAAA-MM-JJ, sans guillemets)")
        return None

    def flag(self, table: _Table, key: str, path: str, default: bool | None = None) -> bool | None:
        value = table.get(key, default)
        if isinstance(value, bool):
            return value
        self.error(_at(path, key), "true ou false attendu")
        return None

    def code(self, table: _Table, path: str, seen: dict[str, str], what: str) -> str | None:
        """A unique UPPER_SNAKE code; ``seen`` maps the codes met so far to their path."""
        value = self.text(table, "code", path)
        if value is None:
            return None
        if not _CODE.fullmatch(value):
            self.error(_at(path, "code"), f"code invalide {value!r} (majuscules, chiffres, _)")
        if value in seen:
            self.error(_at(path, "code"), f"code {what} en double {value!r} "
                                          f"(déjà défini en {seen[value]})")
        seen.setdefault(value, path)
        return value

    def tables(self, data: _Table, key: str, path: str, allowed: set[str]
               ) -> list[tuple[str, _Table]]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.error(_at(path, key), "liste de tables attendue")
            return []
        out: list[tuple[str, _Table]] = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.error(f"{_at(path, key)}[{i}]", "table attendue")
                continue
            out.append((f"{_at(path, key)}[{i}]", item))
            self.known_keys(item, allowed, out[-1][0])
        return out

    def known_keys(self, table: _Table, allowed: set[str], path: str) -> None:
        for key in [k for k in table if k not in allowed]:
            self.error(_at(path, key), "clé inconnue")

    def load(self, data: _Table) -> CatalogueSpec:
        self.known_keys(data, _TOP_KEYS, "")
        version = self.text(data, "version", "")
        valid_from = self.day(data, "valid_from", "")
        situations = self.load_situations(data.get("situations"))
        common = [p for path, raw in self.tables(data, "pieces", "", _PIECE_KEYS)
                  if (p := self.load_piece(raw, path, None))]
        by_code = {p.code: p for p in common}
        specific: list[PieceSpec] = []
        motifs = [m for path, raw in self.tables(data, "motifs", "", _MOTIF_KEYS)
                  if (m := self.load_motif(raw, path, by_code, specific))]
        if not motifs and not self.problems:
            self.error("motifs", "aucun motif")
        fees = self.load_fees(data)
        if self.problems or version is None or valid_from is None:
            raise CatalogueError(self.problems)
        return CatalogueSpec(version, valid_from, situations, tuple(common + specific),
                             tuple(motifs), fees)

    def load_situations(self, raw: Any) -> tuple[SituationSpec, ...]:
        if not isinstance(raw, dict) or not raw:
            self.error("situations", 'table non vide attendue (code = "libellé")')
            return ()
        out = []
        for code, label in raw.items():
            if not _SITUATION.fullmatch(code) or code in conditions.KEYWORDS:
                self.error(f"situations.{code}", "code de situation invalide (minuscules, _)")
            elif code in REQUEST_FLAGS.values():
                self.error(f"situations.{code}", "réservé : le type de demande le donne déjà "
                                                 "(une seule saisie pour un seul fait)")
            elif not isinstance(label, str) or not label.strip():
                self.error(f"situations.{code}", "libellé vide")
            else:
                self.situations.add(code)
                self.flags.add(code)
                out.append(SituationSpec(code, label.strip()))
        return tuple(out)

    def load_piece(self, raw: _Table, path: str, motif: str | None) -> PieceSpec | None:
        code = self.code(raw, path, self.piece_paths, "de pièce")
        if motif is None and code:
            self.common_declared.add(code)
        label, category = self.text(raw, "label", path), self.text(raw, "category", path)
        order = raw.get("order")
        if not _is_int(order) or order < 0:
            self.error(_at(path, "order"), "entier positif ou nul attendu")
        requirement, condition = self.requirement(raw, path)
        blocking = self.flag(raw, "blocking", path, default=False)
        if label is not None:
            for name in _PLACEHOLDER.findall(label):
                if name not in LABEL_FIELDS:
                    self.error(_at(path, "label"), f"champ {{{name}}} inconnu (admis : "
                               + ", ".join(f"{{{n}}}" for n in LABEL_FIELDS) + ")")
        if (code is None or label is None or category is None or requirement is None
                or not _is_int(order) or blocking is None):
            return None
        return PieceSpec(code, label, category, order, requirement, condition, motif, blocking)

    def requirement(self, raw: _Table, path: str) -> tuple[Requirement | None, str | None]:
        kinds = [k for k in _REQUIREMENT_KEYS if k in raw]
        if len(kinds) != 1:
            self.error(path, "indiquer exactement un de required = true, optional = true "
                             'ou condition = "…"')
            return None, None
        kind = kinds[0]
        if kind != "condition":
            if raw[kind] is True:
                return kind, None
            self.error(_at(path, kind), "seule la valeur true est admise")
            return None, None
        text = self.text(raw, "condition", path)
        if text is None:
            return None, None
        try:
            names = conditions.parse_condition(text).names()
        except ConditionError as exc:
            self.error(_at(path, "condition"), f"condition invalide : {exc}")
            return None, None
        unknown = sorted(names - self.flags)
        for name in unknown:
            self.error(_at(path, "condition"), f"situation inconnue {name!r}")
        return (None, None) if unknown else ("conditional", text)

    def code_list(self, raw: _Table, key: str, path: str, common: dict[str, PieceSpec]
                  ) -> list[str]:
        value = raw.get(key, [])
        if value == "all" and key == "common":
            return list(common)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(_at(path, key), "liste de codes de pièces attendue")
            return []
        for i, code in enumerate(value):
            if code not in common and code not in self.common_declared:
                what = "n'est pas une pièce commune" if code in self.piece_paths else "inconnue"
                self.error(f"{_at(path, key)}[{i}]", f"pièce {code!r} {what}")
        return [c for c in value if c in common]

    def load_motif(self, raw: _Table, path: str, common: dict[str, PieceSpec],
                   specific_out: list[PieceSpec]) -> MotifSpec | None:
        code = self.code(raw, path, self.motif_paths, "de motif")
        label, ceseda = self.text(raw, "label", path), self.text(raw, "ceseda", path)
        anef = self.flag(raw, "anef", path)
        active = self.flag(raw, "active", path, default=True)
        note = self.text(raw, "note", path, required=False)
        redirect_note = self.text(raw, "redirect_note", path, required=bool(anef))
        excluded = set(self.code_list(raw, "common_except", path, common))
        common_codes = [c for c in self.code_list(raw, "common", path, common) if c not in excluded]
        specific = [p for p_path, p_raw in self.tables(raw, "pieces", path, _PIECE_KEYS)
                    if (p := self.load_piece(p_raw, p_path, code))]
        has_pieces = bool(raw.get("common")) or bool(raw.get("pieces"))
        if anef and has_pieces:
            self.error(path, "un motif ANEF (réorientation) ne doit lister aucune pièce")
        elif anef is False and not has_pieces:
            self.error(path, "un motif déposé au guichet doit lister des pièces")
        if code is None or label is None or ceseda is None or anef is None or active is None:
            return None
        specific_out.extend(specific)
        chosen = sorted((common[c] for c in dict.fromkeys(common_codes)), key=_order)
        codes = [p.code for p in chosen + sorted(specific, key=_order)]
        rules = self.rules(raw, path)
        if rules is None:
            return None
        return MotifSpec(code, label, ceseda, anef, redirect_note, tuple(codes), active, note,
                         rules)

    def whole(self, raw: _Table, key: str, path: str, default: int | None, low: int, high: int
              ) -> int | None:
        value = raw.get(key, default)
        if value is None or (_is_int(value) and low <= value <= high):
            return value
        self.error(_at(path, key), f"entier entre {low} et {high} attendu")
        return None

    def rules(self, raw: _Table, path: str) -> MotifRules | None:
        """The motif's legal facts; None (with every problem reported) if one is unusable."""
        problems = len(self.problems)
        card = self.text(raw, "card", path, required=False) or ""
        short = self.text(raw, "short", path, required=False) or ""
        if len(short) > SHORT_LABEL_MAX:
            self.error(_at(path, "short"), f"{SHORT_LABEL_MAX} caractères au plus")
        valid_until = self.day(raw, "valid_until", path) if "valid_until" in raw else None
        photos = self.whole(raw, "photos", path, 3, 1, 10)
        address = self.whole(raw, "address_months", path, 3, 1, 12)
        months = self.whole(raw, "decision_months", path, 4, 1, 12)
        age_from = self.whole(raw, "age_from", path, None, 0, 120)
        age_before = self.whole(raw, "age_before", path, None, 1, 120)
        if age_from is not None and age_before is not None and age_from >= age_before:
            self.error(_at(path, "age_before"), "doit dépasser age_from")
        handover = raw.get("handover", [])
        if not isinstance(handover, list) or not all(
                isinstance(h, str) and h.strip() for h in handover):
            self.error(_at(path, "handover"), "liste de textes non vides attendue")
            handover = []
        if (len(self.problems) > problems or photos is None or address is None
                or months is None):
            return None
        return MotifRules(card, valid_until, photos, address, months, age_from, age_before,
                          tuple(h.strip() for h in handover), short)

    def load_fees(self, data: _Table) -> tuple[FeeSpec, ...]:
        fees: dict[tuple[str, date], FeeSpec] = {}
        for path, raw in self.tables(data, "fees", "", _FEE_KEYS):
            code, label = self.text(raw, "code", path), self.text(raw, "label", path)
            valid_from, amount = self.day(raw, "valid_from", path), raw.get("amount_cents")
            if not _is_int(amount) or amount < 0:
                self.error(_at(path, "amount_cents"),
                           f"montant invalide {amount!r} (entier de centimes, positif ou nul)")
            elif code and label and valid_from:
                if (code, valid_from) in fees:
                    self.error(_at(path, "valid_from"), f"tarif {code!r} déjà défini à cette date")
                fees[code, valid_from] = FeeSpec(code, label, amount, valid_from)
        return tuple(fees.values())


def _order(piece: PieceSpec) -> int:
    return piece.order
