"""Every audit action written anywhere in the code, every review state, outcome and queue stage
has a French label: the audit log and the review never show a raw code."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import rdv_desktop
from rdv_desktop.services.core.audit_labels import (
    ACTION_LABELS,
    ENTITY_LABELS,
    action_label,
)
from rdv_desktop.services.counter.stage import OUTCOME_LABELS, Outcome, Stage
from rdv_desktop.services.office.review import REVIEW_STATES

PACKAGE = Path(rdv_desktop.__file__).parent
CODE = re.compile(r"[a-z][a-z_]*[a-z]")
# Calls that write an audit row, and the position of their action argument.
ACTION_ARGUMENT = {"record": 3, "audited": 3, "apply": 3, "step": 3, "_update": 2}


def _codes(node: ast.AST) -> set[str]:
    """String constants an expression may evaluate to (dict keys and `.get`'s key excluded)."""
    found: set[str] = set()
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if CODE.fullmatch(node.value):
            found.add(node.value)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            found |= _codes(value)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "get":
        found |= _codes(node.func.value)
        for argument in node.args[1:]:
            found |= _codes(argument)
    else:
        for child in ast.iter_child_nodes(node):
            found |= _codes(child)
    return found


def written_actions() -> dict[str, str]:
    """Each action code the services can write, with where."""
    actions: dict[str, str] = {}
    for path in (PACKAGE / "services").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{path.relative_to(PACKAGE)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                name = (node.func.attr if isinstance(node.func, ast.Attribute)
                        else getattr(node.func, "id", ""))
                position = ACTION_ARGUMENT.get(name)
                if position is not None and len(node.args) > position:
                    for code in _codes(node.args[position]):
                        actions.setdefault(code, where)
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        for code in _codes(keyword.value):
                            actions.setdefault(code, where)
            elif isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id == "action" for t in node.targets):
                for code in _codes(node.value):
                    actions.setdefault(code, where)
    return actions


def test_the_walk_finds_the_actions_it_must() -> None:
    actions = written_actions()
    # one of each way of writing one: a literal, a conditional, a variable, a dict, a step
    assert {"checkin", "attestation_reprinted", "recall", "import_update", "no_show",
            "counter_opened", "user_roles", "start_service"} <= set(actions)


def test_every_audit_action_has_a_french_label() -> None:
    missing = {code: where for code, where in written_actions().items()
               if code not in ACTION_LABELS}
    assert not missing, f"audit actions without a French label: {missing}"
    for code, label in ACTION_LABELS.items():
        assert label and label != code and "_" not in label, code


def test_review_marks_say_what_they_did() -> None:
    assert action_label("dossier_reviewed", {"review_state": "to_redo"}) == "Dossier à reprendre"
    assert action_label("dossier_reviewed", {"review_state": "checked"}) == "Dossier contrôlé"
    assert action_label("attestation_reprinted") == "Attestation réimprimée (duplicata)"
    assert action_label("code_from_the_future") == "code_from_the_future"  # never hidden


def test_every_state_and_stage_has_a_french_label() -> None:
    assert set(OUTCOME_LABELS) == {o.value for o in Outcome}
    assert all(s.value and s.value.islower() and "_" not in s.value for s in Stage)
    assert set(REVIEW_STATES) == {"checked", "to_redo"}
    assert all("_" not in label for label in (*REVIEW_STATES.values(),
                                              *OUTCOME_LABELS.values(),
                                              *ENTITY_LABELS.values()))
