"""The shipped catalogue against the domain notes' « Corrections and additions », motif by motif.

Each test names the rule it checks; dates are tested on both sides of each change.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rdv_desktop.services.catalogue.catalogue_file import (
    CatalogueError,
    CatalogueSpec,
    checklist_for,
    load_catalogue_file,
    parse_catalogue,
)

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "catalogue.toml"
AES = ("AES_VPF", "AES_SALARIE", "AES_METIERS_TENSION", "AES_ASE_16_18", "AES_OACAS")


@pytest.fixture(scope="module")
def shipped() -> CatalogueSpec:
    return load_catalogue_file(SHIPPED)


def applying(spec: CatalogueSpec, motif: str, *flags: str) -> set[str]:
    return {i.piece.code for i in checklist_for(spec, motif, set(flags)) if i.applies}


def label_for(spec: CatalogueSpec, motif: str, piece: str) -> str:
    return spec.motif(motif).rules.label(spec.piece(piece).label)


def test_dvr_is_due_before_a_first_titre_only(shipped: CatalogueSpec) -> None:
    first = applying(shipped, "AES_VPF", "entree_irreguliere", "premiere_demande")
    renewal = applying(shipped, "AES_VPF", "entree_irreguliere", "renouvellement")
    change = applying(shipped, "AES_VPF", "entree_irreguliere", "changement_statut")
    assert "DVR_DEPOT" in first and "DVR_DEPOT" not in renewal | change
    assert "DVR_DEPOT" in applying(shipped, "VPF_ENTRE_AVANT_13", "entree_irreguliere",
                                   "premiere_demande")
    for exempt in ("APATRIDE", "APATRIDE_FAMILLE"):
        assert "DVR_DEPOT" not in applying(shipped, exempt, "entree_irreguliere",
                                           "premiere_demande")


@pytest.mark.parametrize(("day", "dvr", "timbre"), [
    (date(2026, 2, 20), 5000, 2500),  # the JO of 20 Feb: the old amounts still apply that day
    (date(2026, 2, 21), 10000, 5000),
])
def test_lfi_2026_amounts_from_the_day_after_publication(shipped: CatalogueSpec, day: date,
                                                        dvr: int, timbre: int) -> None:
    assert shipped.fee_on("DVR_DEPOT", day).amount_cents == dvr
    assert shipped.fee_on("TIMBRE", day).amount_cents == timbre


def test_metiers_en_tension_ends_on_31_december_2026(shipped: CatalogueSpec) -> None:
    rules = shipped.motif("AES_METIERS_TENSION").rules
    assert rules.valid_until == date(2026, 12, 31)
    assert rules.validity_problem(date(2026, 12, 31)) is None
    assert rules.validity_problem(date(2027, 1, 1)) == (
        "motif applicable jusqu'au 31/12/2026 seulement")
    assert shipped.motif("AES_VPF").rules.validity_problem(date(2030, 1, 1)) is None


def test_french_certificate_is_optional_for_aes_vpf(shipped: CatalogueSpec) -> None:
    piece = shipped.piece("AES_VPF_FRANCAIS")
    assert piece.requirement == "optional" and not piece.blocking


def test_photos_and_address_age_per_motif(shipped: CatalogueSpec) -> None:
    for motif in AES:
        assert label_for(shipped, motif, "PHOTOS").startswith("4 photographies")
        assert "moins de 6 mois" in label_for(shipped, motif, "DOMICILE")
    for motif in ("VPF_LIENS_PERSO", "SALARIE_TT", "APATRIDE"):
        assert label_for(shipped, motif, "PHOTOS").startswith("3 photographies")
        assert "moins de 3 mois" in label_for(shipped, motif, "DOMICILE")


def test_apatride_is_a_pluriannual_card_and_its_family_a_motif(shipped: CatalogueSpec) -> None:
    apatride = shipped.motif("APATRIDE")
    assert "pluriannuelle" in apatride.label and "temporaire" not in apatride.label
    family = shipped.motif("APATRIDE_FAMILLE")
    assert family.ceseda == "L424-19" and not family.anef
    assert "APATRIDE_FAMILLE_LIEN" in family.piece_codes


@pytest.mark.parametrize("motif", ["RETRAITE", "CONJOINT_RETRAITE"])
def test_retirees_live_abroad(shipped: CatalogueSpec, motif: str) -> None:
    asked = applying(shipped, motif)
    assert not asked & {"DOMICILE", "DOM_HOTEL", "DOM_HEBERGE"}
    assert any(code.endswith("RESIDENCE_ETRANGER") for code in asked)
    if motif == "RETRAITE":
        assert "NAISSANCE" not in asked


@pytest.mark.parametrize(("motif", "birth", "fine"), [
    ("VPF_ENTRE_AVANT_13", date(2008, 1, 15), True),   # 18 on 30/11/2026: within the year
    ("VPF_ENTRE_AVANT_13", date(2007, 11, 29), False),  # 19 the day before: too late
    ("VPF_ENTRE_AVANT_13", date(2009, 1, 1), False),   # 17: too early
    ("VPF_NE_EN_FRANCE", date(2010, 11, 30), True),    # 16 today
    ("VPF_NE_EN_FRANCE", date(2010, 12, 1), False),    # 16 tomorrow
    ("VPF_NE_EN_FRANCE", date(2005, 12, 1), True),     # 20
    ("VPF_NE_EN_FRANCE", date(2005, 11, 30), False),   # 21 today
    ("AES_ASE_16_18", date(2007, 12, 1), True),        # 18
    ("AES_ASE_16_18", date(2007, 11, 30), False),      # 19 today
])
def test_birth_date_windows(shipped: CatalogueSpec, motif: str, birth: date,
                            fine: bool) -> None:
    problem = shipped.motif(motif).rules.age_problem(birth, date(2026, 11, 30))
    assert (problem is None) is fine
    if problem:
        assert problem.startswith(f"demande hors délai : né(e) le {birth:%d/%m/%Y}")


def test_jeune_majeur_ase_says_the_family_ties(shipped: CatalogueSpec) -> None:
    assert "AES_ASE_16_18_LIENS_FAMILLE" in shipped.motif("AES_ASE_16_18").piece_codes


def test_parent_of_sick_child_hands_over_the_ofii_kit(shipped: CatalogueSpec) -> None:
    handover = shipped.motif("APS_PARENT_ENFANT_MALADE").rules.handover
    assert handover and "OFII" in handover[0] and "secret médical" in handover[0]


def test_translation_by_a_consulate_is_accepted(shipped: CatalogueSpec) -> None:
    assert "consulat" in shipped.piece("TRADUCTION").label


def test_identity_and_form_block_the_rest_is_asked_later(shipped: CatalogueSpec) -> None:
    blocking = {p.code for p in shipped.pieces if p.blocking}
    assert {"FORMULAIRE", "IDENTITE", "NAISSANCE"} <= blocking
    assert not blocking & {"DOMICILE", "PHOTOS", "CERPR", "TITRE_PREC", "DVR_DEPOT"}


def test_card_category_for_every_paper_motif(shipped: CatalogueSpec) -> None:
    for motif in shipped.motifs:
        assert bool(motif.rules.card) == (not motif.anef), motif.code
    # The category never names the reason (a landlord sees this paper).
    assert "malade" not in shipped.motif("APS_PARENT_ENFANT_MALADE").rules.card


HEAD = '''version = "t-1"
valid_from = 2025-10-01
[situations]
hotel = "Hébergé(e) à l'hôtel"
'''
MOTIF = '''
[[pieces]]
code = "FORM"
label = "Formulaire"
category = "formulaire"
order = 1
required = true
[[motifs]]
code = "M"
label = "Motif"
ceseda = "L1"
anef = false
common = ["FORM"]
'''


def test_the_request_type_is_not_a_situation() -> None:
    with pytest.raises(CatalogueError, match=r"situations.renouvellement: réservé"):
        parse_catalogue(HEAD + 'renouvellement = "Renouvellement"\n' + MOTIF, "t.toml")


def test_conditions_may_read_the_request_type() -> None:
    text = HEAD + MOTIF.replace("required = true", 'condition = "renouvellement"')
    spec = parse_catalogue(text, "t.toml")
    assert applying(spec, "M", "renouvellement") == {"FORM"}
    assert applying(spec, "M", "premiere_demande") == set()


@pytest.mark.parametrize(("extra", "message"), [
    ("photos = 0\n", r"motifs\[0\]\.photos: entier entre 1 et 10"),
    ("age_from = 21\nage_before = 16\n", r"age_before: doit dépasser age_from"),
    ('valid_until = "2026-12-31"\n', r"valid_until: date invalide"),
    ("handover = [1]\n", r"handover: liste de textes"),
])
def test_bad_motif_rules_are_named(extra: str, message: str) -> None:
    with pytest.raises(CatalogueError, match=message):
        parse_catalogue(HEAD + MOTIF + extra, "t.toml")


def test_unknown_label_field_is_named() -> None:
    text = HEAD + MOTIF.replace('label = "Formulaire"', 'label = "{nombre} formulaires"')
    with pytest.raises(CatalogueError, match=r"champ \{nombre\} inconnu"):
        parse_catalogue(text, "t.toml")
