"""The condition language: precedence, parentheses, errors, and no crash on any input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rdv_desktop.services.catalogue.conditions import (
    And,
    ConditionError,
    Flag,
    Not,
    Or,
    compile_condition,
    parse_condition,
)


def ev(text: str, *ticked: str) -> bool:
    return parse_condition(text).evaluate(set(ticked))


def test_not_binds_tighter_than_and_which_binds_tighter_than_or() -> None:
    assert parse_condition("a or b and not c") == Or((Flag("a"), And((Flag("b"), Not(Flag("c"))))))
    assert ev("a or b and c", "a")
    assert not ev("not a and b", "a", "b")
    assert ev("not a or b", "b", "a")


def test_parentheses_override_precedence() -> None:
    assert not ev("(a or b) and c", "a")
    assert ev("(a or b) and c", "b", "c")
    assert ev("not (a and b)", "a")
    assert not ev("((a))")


def test_constants_and_names() -> None:
    assert ev("true") and not ev("false")
    assert parse_condition("true or x_1 and not (y or false)").names() == {"x_1", "y"}


def test_evaluate_accepts_a_mapping_or_a_set() -> None:
    cond = parse_condition("hotel and not renouvellement")
    assert cond.evaluate({"hotel": True, "renouvellement": False})
    assert not cond.evaluate({"hotel": True, "renouvellement": True})
    assert cond.evaluate({"hotel"})
    assert not cond.evaluate(frozenset())


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("a and", 5),
        ("(a", 2),
        ("a b", 2),
        ("a & b", 2),
        ("a or été", 5),
        ("", 0),
        ("   ", 0),
        (")", 0),
        ("a and or b", 6),
        ("not", 3),
    ],
)
def test_errors_carry_the_position(text: str, position: int) -> None:
    with pytest.raises(ConditionError) as info:
        parse_condition(text)
    assert info.value.position == position
    assert f"colonne {position + 1}" in str(info.value)


def test_error_messages_say_what_is_wrong() -> None:
    with pytest.raises(ConditionError, match="manquante"):
        parse_condition("(a")
    with pytest.raises(ConditionError, match="caractère inattendu '&'"):
        parse_condition("a & b")
    with pytest.raises(ConditionError, match="'b' inattendu"):
        parse_condition("a b")


def test_deep_nesting_is_refused_not_a_recursion_error() -> None:
    with pytest.raises(ConditionError, match="imbriquée"):
        parse_condition("(" * 300 + "a" + ")" * 300)
    with pytest.raises(ConditionError, match="imbriquée"):
        parse_condition("not " * 200 + "a")
    with pytest.raises(ConditionError, match="trop longue"):
        parse_condition("a or " * 1000 + "a")


def test_compile_condition_caches() -> None:
    assert compile_condition("a and b") is compile_condition("a and b")


_WORDS = st.sampled_from(["a", "b", "not", "and", "or", "(", ")", "true", "false", " ", "&", "é"])


@given(st.text(max_size=200))
def test_random_text_raises_only_condition_error(text: str) -> None:
    try:
        cond = parse_condition(text)
    except ConditionError:
        return
    assert isinstance(cond.evaluate(cond.names()), bool)


@given(st.lists(_WORDS, max_size=60).map(" ".join))
def test_random_token_soup_raises_only_condition_error(text: str) -> None:
    try:
        cond = parse_condition(text)
    except ConditionError:
        return
    assert cond.names() <= {"a", "b"}
    assert isinstance(cond.evaluate({"a"}), bool)
