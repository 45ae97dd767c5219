"""Text from outside (names and references from public online booking) shown on screen:
never as markup, and isolated so a right-to-left name does not reorder the line around it."""

from __future__ import annotations

from html import escape

from ..french import FSI, PDI, isolate, name_line

__all__ = ["FSI", "PDI", "isolate", "name_line", "plain_tooltip", "shown_name"]

LRI = "\u2066"  # left-to-right isolate


def shown_name(full_name: str) -> str:
    """A « NOM Prénom » put in a line of text on screen: isolated from the line (an Arabic name
    does not move « ticket A014 » around it) and read left to right inside, so the family name
    stays first even when only it is Arabic (« بن علي Hélène-Marie »)."""
    return f"{LRI}{full_name}{PDI}"


def plain_tooltip(text: str) -> str:
    """A tooltip showing `text` as it is (Qt reads a tooltip that looks like HTML as HTML)."""
    lines = "<br>".join(escape(line) for line in text.split("\n"))
    return f"<p style='white-space: pre-wrap'>{lines}</p>"
