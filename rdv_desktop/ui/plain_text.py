"""Text from outside (names and references from public online booking) shown on screen:
never as markup, and isolated so a right-to-left name does not reorder the line around it."""

from __future__ import annotations

from html import escape

FSI, PDI = "\u2068", "\u2069"  # first-strong isolate … pop directional isolate


def isolate(text: str) -> str:
    """`text` as one directional island: « بن علي » stays where it is written in a line."""
    return f"{FSI}{text}{PDI}"


def plain_tooltip(text: str) -> str:
    """A tooltip showing `text` as it is (Qt reads a tooltip that looks like HTML as HTML)."""
    lines = "<br>".join(escape(line) for line in text.split("\n"))
    return f"<p style='white-space: pre-wrap'>{lines}</p>"
