"""One way to write French numbers, dates and punctuation, in every layer."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from rdv_desktop import french
from rdv_desktop.french import (
    NBSP,
    NNBSP,
    elide,
    fr_datetime,
    fr_euros,
    fr_long_date,
    fr_minutes,
    fr_percent,
    ordinal,
    typographic,
)
from rdv_desktop.printing import french as printed
from rdv_desktop.printing.fonts import REGULAR, register_fonts, wrap
from rdv_desktop.services.core import clock
from rdv_desktop.services.stats.stats_format import minutes, percent


def test_the_screens_the_services_and_the_papers_write_the_same() -> None:
    moment = datetime(2026, 7, 14, 7, 5, tzinfo=UTC)  # 09:05 in Paris
    for module in (clock, printed):
        assert module.fr_date(date(2026, 7, 14)) == "14/07/2026"
        assert module.fr_time(moment) == "09:05" and module.fr_time(time(8, 30)) == "08:30"
        assert module.fr_datetime(moment) == "14/07/2026 à 09:05" == fr_datetime(moment)
    assert printed.fr_euros is fr_euros
    assert percent(0.125) == fr_percent(0.125) == f"12,5{NNBSP}%"
    assert minutes(7.25) == fr_minutes(7.25) == f"7,2{NBSP}min"


def test_money_percentages_and_ordinals() -> None:
    assert fr_euros(10000) == f"100,00{NBSP}€" and fr_euros(123450) == f"1{NBSP}234,50{NBSP}€"
    assert fr_euros(-5) == f"-0,05{NBSP}€"
    assert fr_percent(None) == "—" and fr_percent(1.0, 0) == f"100{NNBSP}%"
    assert (ordinal(1), ordinal(1, feminine=True), ordinal(2), ordinal(90)) == \
        ("1er", "1re", "2ᵉ", "90ᵉ")
    assert fr_long_date(date(2026, 10, 1)) == "jeudi 1er octobre 2026"


def test_typography_puts_no_break_spaces_where_french_wants_them() -> None:
    assert typographic("Motif : AES ; pièces ? oui ! 90 %") == \
        f"Motif{NBSP}: AES{NNBSP}; pièces{NNBSP}? oui{NNBSP}! 90{NNBSP}%"
    assert typographic("« Étrangers »") == f"«{NNBSP}Étrangers{NNBSP}»"
    assert typographic("Erreur: à 14:32, voir https://x.fr") == \
        f"Erreur{NBSP}: à 14:32, voir https://x.fr"  # times and addresses untouched
    assert typographic(typographic("« a » : b ?")) == typographic("« a » : b ?")


def test_a_wrapped_line_never_starts_with_a_lone_closing_mark() -> None:
    register_fonts()
    text = typographic("Reprenez rendez-vous (rubrique « Étrangers ») : merci ; à bientôt !")
    for room in range(90, 400, 7):  # (a word wider than the line is cut anywhere)
        for line in wrap(text, REGULAR, 10, room):
            assert not line.startswith(("»", ":", ";", "!", "?", "%")), (room, line)


def test_elision_before_a_vowel() -> None:
    assert elide("AHMADI") == "d'AHMADI" and elide("ÉLIE") == "d'ÉLIE"
    assert elide("DIALLO") == "de DIALLO" and elide("HADDAD") == "de HADDAD"
    assert elide("attestation", "la") == "l'attestation"


def test_names_keep_nom_prenom_order() -> None:
    assert french.name_line("Diallo", "Aïssatou") == "\u2068DIALLO\u2069 Aïssatou"
