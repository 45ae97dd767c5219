"""French dates, times, amounts, percentages and typography, for every layer.

One module, so a screen, a service's sentence and a printed paper say the same thing the same
way (« 100,00 € » everywhere, never « 100.00 € »), whatever the PC's locale. Plain Python: the
UI, the services and the renderers all import it.

Typography (Imprimerie nationale's rules, as French administrations print them): a no-break
space before « : », a narrow no-break space before « ; ! ? % » and inside « guillemets », so
none of them ever starts a line alone; « 1er », « 2ᵉ »; « d'AHMADI », not « de AHMADI ».
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
NBSP = "\u00a0"  # no-break space: before « : », inside numbers
NNBSP = "\u202f"  # narrow no-break space: before « ; ! ? % », inside « »


def _paris() -> tzinfo | None:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Paris")
    except Exception:  # no tz database (Windows without the tzdata package)
        return None


PARIS = _paris()


def local(moment: datetime) -> datetime:
    """Wall-clock time in Paris for an aware datetime; a naive one is taken as already local."""
    if moment.tzinfo is None or PARIS is None:
        return moment
    return moment.astimezone(PARIS)


def fr_date(day: date) -> str:
    """26/11/2026 (a datetime is first put in Paris time)."""
    if isinstance(day, datetime):
        day = local(day)
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def fr_time(moment: datetime | time) -> str:
    """14:32"""
    if isinstance(moment, datetime):
        moment = local(moment)
    return f"{moment.hour:02d}:{moment.minute:02d}"


def fr_datetime(moment: datetime) -> str:
    """26/11/2026 à 14:32"""
    return f"{fr_date(moment)} à {fr_time(moment)}"


def ordinal(number: int, feminine: bool = False) -> str:
    """1er (1re), 2ᵉ, 90ᵉ: the superscript letters French print, not « 90e »."""
    if number == 1:
        return "1re" if feminine else "1er"
    return f"{number}ᵉ"


def fr_long_date(day: date) -> str:
    """jeudi 26 novembre 2026 (« 1er » for the first of the month)."""
    if isinstance(day, datetime):
        day = local(day)
    number = ordinal(1) if day.day == 1 else str(day.day)
    return f"{WEEKDAYS[day.weekday()]} {number} {MONTHS[day.month - 1]} {day.year}"


def fr_number(value: float, decimals: int = 0) -> str:
    """1 234,5 — thousands apart by no-break spaces, a decimal comma."""
    text = f"{abs(value):,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    return f"-{text}" if value < 0 and round(abs(value), decimals) else text


def fr_euros(cents: int) -> str:
    """1 234,50 € — no-break spaces so the amount never splits across lines."""
    euros, rest = divmod(abs(cents), 100)
    grouped = f"{euros:,}".replace(",", NBSP)
    sign = "-" if cents < 0 else ""
    return f"{sign}{grouped},{rest:02d}{NBSP}€"


def fr_percent(rate: float | None, decimals: int = 1) -> str:
    """0.125 → « 12,5 % » (narrow no-break space); None → « — »."""
    if rate is None:
        return "—"
    return f"{fr_number(rate * 100, decimals)}{NNBSP}%"


def fr_minutes(value: float | int | None) -> str:
    """A mean (float, one decimal) or an exact count of whole minutes; None → « — »."""
    if value is None:
        return "—"
    shown = fr_number(value, 1) if isinstance(value, float) else str(value)
    return f"{shown}{NBSP}min"


_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]*:(?=\s|$)")
_BEFORE_TALL = re.compile(r"(?<=\S)[ \u00a0\u202f]+([;!?%])")
_OPEN_QUOTE = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE_QUOTE = re.compile(r"[ \u00a0\u202f]*»")


def typographic(text: str) -> str:
    """The no-break spaces French typography puts before « : ; ! ? % » and inside « »,
    replacing ordinary ones (times « 14:32 » and addresses « http:// » are left alone)."""
    text = _BEFORE_COLON.sub(f"{NBSP}:", text)
    text = _BEFORE_TALL.sub(lambda m: NNBSP + m.group(1), text)
    text = _OPEN_QUOTE.sub(f"«{NNBSP}", text)
    return _CLOSE_QUOTE.sub(f"{NNBSP}»", text)


FSI, PDI = "\u2068", "\u2069"  # first-strong isolate … pop directional isolate
ISOLATES = dict.fromkeys(range(0x2066, 0x206A))  # LRI, RLI, FSI, PDI: for str.translate


def isolate(text: str) -> str:
    """`text` as one directional island: an Arabic name stays where it is written in a line
    (« A014 — بن علي Ahmed » is not reordered around it)."""
    return f"{FSI}{text}{PDI}"


def name_line(family: str, given: str) -> str:
    """« NOM Prénom » in that order whatever the scripts: the family name is isolated."""
    return f"{isolate(family.upper())} {given}".strip()


_VOWEL = re.compile(r"^[aeiouyàâäéèêëîïôöùûüÿœæ]", re.IGNORECASE)


def elide(word: str, before: str = "de") -> str:
    """« de » (or « le », « que ») before `word`, elided before a vowel: « d'AHMADI »,
    « de DIALLO ». Before an h it is kept: with foreign names nobody can tell a mute h."""
    if _VOWEL.match(word):
        return f"{before[:-1]}'{word}"
    return f"{before} {word}"


# The abbreviations préfectures use for residence-permit motifs, longest phrase first.
_ABBREVIATIONS = (
    ("membre de la famille d'un bénéficiaire du statut d'apatride", "famille d'apatride"),
    ("« bénéficiaire du statut d'apatride »", "apatride"),
    ("Admission exceptionnelle au séjour", "AES"),
    ("Carte de séjour temporaire", "CST"),
    ("Autorisation provisoire de séjour", "APS"),
    ("Carte de séjour pluriannuelle", "CSP"),
    ("Carte de séjour", "CS"),
    ("vie privée et familiale", "VPF"),
    ("accueilli par un organisme d'accueil communautaire et d'activités solidaires", "OACAS"),
    ("salarié / travailleur temporaire", "salarié / TT"),
    ("aide sociale à l'enfance", "ASE"),
    ("jeune majeur confié à l'ASE entre 16 et 18 ans", "jeune majeur ASE 16-18 ans"),
    ("hors admission exceptionnelle", "hors AES"),
    ("entré(e) en France avant l'âge de 13 ans", "entré(e) avant 13 ans"),
    ("Victime de la traite des êtres humains", "Victime de traite"),
    ("bénéficiaire d'une ordonnance de protection", "ordonnance de protection"),
)


def abbreviated(label: str) -> str:
    """A motif's label as a chart or a tight table shows it (« AES – VPF »); the full label
    stays for hover and documents. Labels without a known phrase are unchanged."""
    short = label
    for phrase, abbreviation in _ABBREVIATIONS:
        short = re.sub(re.escape(phrase), abbreviation, short, flags=re.IGNORECASE)
    return short
