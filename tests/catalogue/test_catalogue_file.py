"""The shipped catalogue, the checklist helper and every validation error kind."""

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
from rdv_desktop.services.catalogue.conditions import parse_condition
from rdv_desktop.services.catalogue.rules import REQUEST_FLAGS

SHIPPED = Path(__file__).resolve().parents[2] / "resources" / "catalogue.toml"
PAPER = {
    "AES_VPF", "AES_SALARIE", "AES_METIERS_TENSION", "AES_ASE_16_18", "AES_OACAS",
    "VPF_LIENS_PERSO", "VPF_ENTRE_AVANT_13", "VPF_NE_EN_FRANCE", "RETRAITE",
    "CONJOINT_RETRAITE", "APS_PARENT_ENFANT_MALADE", "SALARIE_TT", "APATRIDE",
    "APATRIDE_FAMILLE",
}
ANEF = {"ETRANGER_MALADE": "L425-9", "VICTIME_TRAITE_OU_OP": "L425-1", "ASE_AVANT_16": "L423-22"}
COMMON = ["FORMULAIRE", "IDENTITE", "NAISSANCE", "CONCORDANCE", "TRADUCTION", "DOMICILE",
          "DOM_HOTEL", "DOM_HEBERGE", "PHOTOS", "POLYGAMIE", "FAMILLE", "CERPR", "TITRE_PREC",
          "DVR_DEPOT"]


@pytest.fixture(scope="module")
def shipped() -> CatalogueSpec:
    return load_catalogue_file(SHIPPED)


def applying(spec: CatalogueSpec, motif: str, *flags: str) -> set[str]:
    return {item.piece.code for item in checklist_for(spec, motif, set(flags)) if item.applies}


# -- the shipped catalogue ----------------------------------------------------------------------

def test_shipped_catalogue_loads_with_version_and_date(shipped: CatalogueSpec) -> None:
    assert shipped.version
    assert shipped.version == "2026.12-1"
    assert shipped.valid_from == date(2026, 11, 30)


def test_shipped_motifs_thirteen_on_paper_three_redirects(shipped: CatalogueSpec) -> None:
    paper = {m.code: m for m in shipped.motifs if not m.anef}
    redirects = {m.code: m for m in shipped.motifs if m.anef}
    assert set(paper) == PAPER
    assert {code: m.ceseda for code, m in redirects.items()} == ANEF
    for motif in paper.values():
        assert motif.ceseda.startswith("L") and motif.piece_codes and motif.active
    for motif in redirects.values():
        assert motif.piece_codes == () and motif.redirect_note


def test_shipped_common_pieces_and_situations(shipped: CatalogueSpec) -> None:
    common = [p.code for p in shipped.pieces if p.motif is None]
    assert common == COMMON
    codes = {s.code for s in shipped.situations}
    assert {"marie_ou_pacse", "enfants", "heberge_tiers", "hotel", "langue_etrangere",
            "entree_irreguliere", "etat_civil_different",
            "deja_titulaire", "pays_polygamie", "dispense_cerpr", "enfants_scolarises",
            "conjoint_regulier", "profession_reglementee", "pacse"} <= codes
    assert all(s.label for s in shipped.situations)
    # The request type is its own field: no situation box repeats it.
    assert not codes & {"premiere_demande", "renouvellement", "changement_statut"}


def test_every_condition_names_known_situations(shipped: CatalogueSpec) -> None:
    known = {s.code for s in shipped.situations} | set(REQUEST_FLAGS.values())
    conditional = [p for p in shipped.pieces if p.requirement == "conditional"]
    assert len(conditional) > 10
    for piece in conditional:
        assert parse_condition(piece.condition).names() <= known, piece.code
    for piece in shipped.pieces:
        assert (piece.condition is not None) == (piece.requirement == "conditional")


def test_specific_piece_codes_are_prefixed_by_their_motif(shipped: CatalogueSpec) -> None:
    for piece in shipped.pieces:
        if piece.motif is not None:
            assert piece.code.startswith(piece.motif + "_")
            assert piece.code in shipped.motif(piece.motif).piece_codes


def test_no_medical_piece_for_parent_of_sick_child(shipped: CatalogueSpec) -> None:
    labels = [shipped.piece(c).label.lower()
              for c in shipped.motif("APS_PARENT_ENFANT_MALADE").piece_codes]
    assert any("filiation" in label for label in labels)
    assert not any("médical" in label or "santé" in label for label in labels)


def test_dvr_only_for_regularisation_motifs(shipped: CatalogueSpec) -> None:
    with_dvr = {m.code for m in shipped.motifs if "DVR_DEPOT" in m.piece_codes}
    # L436-4 does not exempt L423-21 (entered before 13): it keeps the DVR.
    assert with_dvr == {"AES_VPF", "AES_SALARIE", "AES_METIERS_TENSION", "AES_ASE_16_18",
                        "AES_OACAS", "VPF_LIENS_PERSO", "VPF_ENTRE_AVANT_13"}


def test_fees_are_dated_and_switch_with_lfi_2026(shipped: CatalogueSpec) -> None:
    # Published in the JO of Friday 20 Feb 2026: in force the day after.
    before, after = date(2026, 2, 20), date(2026, 2, 21)
    assert shipped.fee_on("DVR_DEPOT", before).amount_cents == 5000
    assert shipped.fee_on("DVR_DEPOT", after).amount_cents == 10000
    assert shipped.fee_on("TIMBRE", before).amount_cents == 2500
    assert shipped.fee_on("TIMBRE", after).amount_cents == 5000
    assert shipped.fee_on("TAXE_PREMIERE", after).amount_cents == 30000
    assert shipped.fee_on("TAXE_RENOUVELLEMENT", after).amount_cents == 20000
    assert shipped.fee_on("TAXE_APS", before) is None
    assert shipped.fee_on("DVR_DEPOT", date(2000, 1, 1)) is None


# -- conditional pieces switch with the flags ---------------------------------------------------

def test_hotel_switches_domicile_pieces(shipped: CatalogueSpec) -> None:
    plain = applying(shipped, "AES_SALARIE")
    hotel = applying(shipped, "AES_SALARIE", "hotel")
    assert "DOMICILE" in plain and "DOM_HOTEL" not in plain
    assert "DOM_HOTEL" in hotel and "DOMICILE" not in hotel


def test_renewal_asks_for_previous_title(shipped: CatalogueSpec) -> None:
    assert "TITRE_PREC" not in applying(shipped, "SALARIE_TT")
    renewal = applying(shipped, "SALARIE_TT", "renouvellement", "deja_titulaire")
    assert "TITRE_PREC" in renewal and "NAISSANCE" not in renewal


def test_married_asks_for_family_and_polygamy(shipped: CatalogueSpec) -> None:
    assert "FAMILLE" not in applying(shipped, "VPF_LIENS_PERSO")
    married = applying(shipped, "VPF_LIENS_PERSO", "marie_ou_pacse", "pays_polygamie")
    assert {"FAMILLE", "POLYGAMIE"} <= married
    pacsed = applying(shipped, "VPF_LIENS_PERSO", "marie_ou_pacse", "pacse", "pays_polygamie")
    assert "POLYGAMIE" not in pacsed and "VPF_LIENS_PERSO_PACS" in pacsed


def test_specific_conditionals_and_optional_pieces(shipped: CatalogueSpec) -> None:
    flags = {"enfants_scolarises": True, "entree_irreguliere": True, "dispense_cerpr": True,
             "premiere_demande": True}
    items = {i.piece.code: i for i in checklist_for(shipped, "AES_VPF", flags)}
    assert items["AES_VPF_SCOLARITE"].mandatory and items["DVR_DEPOT"].mandatory
    assert not items["AES_VPF_VIE_COMMUNE"].applies and not items["CERPR"].applies
    assert items["AES_VPF_LETTRE"].applies and not items["AES_VPF_LETTRE"].mandatory
    tension = applying(shipped, "AES_METIERS_TENSION", "profession_reglementee")
    assert "AES_METIERS_TENSION_EXERCICE" in tension


def test_checklist_keeps_order_and_redirect_is_empty(shipped: CatalogueSpec) -> None:
    codes = [i.piece.code for i in checklist_for(shipped, "AES_OACAS", set())]
    assert codes[0] == "FORMULAIRE" and codes[-2:] == ["AES_OACAS_ATTESTATION",
                                                       "AES_OACAS_INTEGRATION"]
    assert checklist_for(shipped, "ETRANGER_MALADE", set()) == []
    with pytest.raises(KeyError):
        checklist_for(shipped, "NOPE", set())


# -- validation errors, from small files --------------------------------------------------------

HEAD = '''version = "t-1"
valid_from = 2025-10-01
[situations]
hotel = "Hébergé(e) à l'hôtel"
marie_ou_pacse = "Marié(e) ou pacsé(e)"
'''
PIECE = '''[[pieces]]
code = "{code}"
label = "{label}"
category = "identité"
order = 1
{rule}
'''
MOTIF = '''[[motifs]]
code = "{code}"
label = "Motif"
ceseda = "L1"
anef = {anef}
{extra}
'''
FEE = '''[[fees]]
code = "DVR_DEPOT"
label = "DVR"
amount_cents = {amount}
valid_from = {valid_from}
'''


def piece(code: str = "FORMULAIRE", label: str = "Formulaire", rule: str = "required = true"):
    return PIECE.format(code=code, label=label, rule=rule)


def motif(code: str = "M1", anef: str = "false", extra: str = 'common = ["FORMULAIRE"]'):
    return MOTIF.format(code=code, anef=anef, extra=extra)


def problems(text: str) -> list[str]:
    with pytest.raises(CatalogueError) as info:
        parse_catalogue(text, "catalogue.toml")
    assert all(p.startswith("catalogue.toml: ") for p in info.value.problems)
    for p in info.value.problems:
        assert p in str(info.value)
    return info.value.problems


def test_minimal_file_is_valid() -> None:
    spec = parse_catalogue(HEAD + piece() + motif() + FEE.format(amount=0,
                                                                 valid_from="2025-01-01"), "x")
    assert spec.motifs[0].piece_codes == ("FORMULAIRE",)
    assert spec.fees[0].amount_cents == 0


def test_toml_syntax_error_names_the_line() -> None:
    [problem] = problems(HEAD + "[[pieces]\ncode = 1\n")
    assert problem.startswith("catalogue.toml: ligne 6")
    assert "syntaxe TOML" in problem


def test_duplicate_piece_codes() -> None:
    text = HEAD + piece() + motif(extra='common = ["FORMULAIRE"]\n'
                                        + "[[motifs.pieces]]\ncode = \"FORMULAIRE\"\n"
                                        + 'label = "x"\ncategory = "c"\norder = 1\n'
                                        + "required = true")
    assert problems(text) == [
        "catalogue.toml: motifs[0].pieces[0].code: code de pièce en double 'FORMULAIRE' "
        "(déjà défini en pieces[0])"]


def test_duplicate_motif_codes() -> None:
    assert problems(HEAD + piece() + motif() + motif()) == [
        "catalogue.toml: motifs[1].code: code de motif en double 'M1' (déjà défini en motifs[0])"]


def test_motif_naming_an_unknown_piece() -> None:
    text = HEAD + piece() + motif(extra='common = ["FORMULAIRE", "PASSEPORT"]')
    assert problems(text) == ["catalogue.toml: motifs[0].common[1]: pièce 'PASSEPORT' inconnue"]


def test_empty_label() -> None:
    assert problems(HEAD + piece(label="  ") + motif()) == [
        "catalogue.toml: pieces[0].label: texte non vide attendu"]


def test_bad_condition_syntax() -> None:
    [problem] = problems(HEAD + piece(rule='condition = "hotel and"') + motif())
    assert problem.startswith("catalogue.toml: pieces[0].condition: condition invalide")
    assert "colonne 10" in problem


def test_condition_naming_an_unknown_situation() -> None:
    extra = ('common = ["FORMULAIRE"]\n[[motifs.pieces]]\ncode = "M1_X"\nlabel = "x"\n'
             'category = "c"\norder = 1\ncondition = "hotel or marie"')
    assert problems(HEAD + piece() + motif(extra="") + motif("M2", extra=extra)) == [
        "catalogue.toml: motifs[0]: un motif déposé au guichet doit lister des pièces",
        "catalogue.toml: motifs[1].pieces[0].condition: situation inconnue 'marie'",
    ]


def test_anef_redirect_with_pieces() -> None:
    text = HEAD + piece() + motif(anef="true", extra='redirect_note = "ANEF"\ncommon = "all"')
    assert problems(text) == [
        "catalogue.toml: motifs[0]: un motif ANEF (réorientation) ne doit lister aucune pièce"]


def test_anef_redirect_needs_a_note() -> None:
    assert problems(HEAD + piece() + motif(anef="true", extra="")) == [
        "catalogue.toml: motifs[0].redirect_note: valeur manquante"]


def test_paper_motif_with_no_pieces() -> None:
    assert problems(HEAD + piece() + motif(extra="common = []")) == [
        "catalogue.toml: motifs[0]: un motif déposé au guichet doit lister des pièces"]


@pytest.mark.parametrize("bad", ['"2025-10-01"', "2025-10-01T10:00:00", "3", "10:00:00"])
def test_bad_dates(bad: str) -> None:
    text = HEAD.replace("2025-10-01", bad) + piece() + motif()
    text += FEE.format(amount=100, valid_from=bad)
    assert [p.split(": ")[1] for p in problems(text)] == ["valid_from", "fees[0].valid_from"]


def test_negative_amount() -> None:
    text = HEAD + piece() + motif() + FEE.format(amount=-5000, valid_from="2025-01-01")
    [problem] = problems(text)
    assert problem.startswith("catalogue.toml: fees[0].amount_cents: montant invalide -5000")


def test_requirement_must_be_exactly_one_kind() -> None:
    text = HEAD + piece(rule='required = true\noptional = true') + piece("B", rule="") + motif()
    assert problems(text) == [
        "catalogue.toml: pieces[0]: indiquer exactement un de required = true, optional = true "
        'ou condition = "…"',
        "catalogue.toml: pieces[1]: indiquer exactement un de required = true, optional = true "
        'ou condition = "…"',
    ]


def test_all_problems_are_collected_and_nothing_is_returned() -> None:
    text = (HEAD + piece(label="") + piece(rule='condition = "(hotel"') + motif()
            + motif(anef="true", extra='redirect_note = "x"\ncommon = ["FORMULAIRE"]')
            + 'colour = "red"\n')
    found = problems(text)
    assert [p.split(": ")[1] for p in found] == [
        "pieces[0].label", "pieces[1].code", "pieces[1].condition", "motifs[1].colour",
        "motifs[1].code", "motifs[1]"]


def test_unreadable_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match=r"absent\.toml: fichier illisible"):
        load_catalogue_file(tmp_path / "absent.toml")
