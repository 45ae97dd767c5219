"""docs/receipt-format.md's scanner table is what the code undoes (a third party reads it)."""

from __future__ import annotations

from pathlib import Path

from rdv_desktop.services.desk.scan_input import _KEYS, _Caps, _fr_output, candidates

DOC = Path(__file__).resolve().parents[2] / "docs" / "receipt-format.md"
ROWS = {"typed, Caps Lock off": _Caps.OFF, "typed, Caps Lock on (Windows)": _Caps.WINDOWS,
        "typed, Caps Lock on (Linux)": _Caps.LINUX}


def typed(char: str, caps: _Caps) -> str | None:
    for key in _KEYS:
        if char in (key.us, key.us_shift):
            return _fr_output(key, char == key.us_shift and char != key.us, caps)
    raise AssertionError(char)


def table() -> dict[str, list[str]]:
    found = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if cells and (cells[0] == "sent" or cells[0] in ROWS):
            found[cells[0]] = cells[1:]
    return found


def test_the_documented_table_is_the_code() -> None:
    rows = table()
    sent = rows["sent"]
    assert len(sent) == 19
    for name, caps in ROWS.items():
        assert rows[name] == [typed(c, caps) for c in sent], name
        mangled = "".join(rows[name])
        assert "".join(sent) in candidates(mangled)  # and the verifier undoes it
