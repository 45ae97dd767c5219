"""Text from outside (names and references from public online booking) shown on screen:
never as markup, and isolated so a right-to-left name does not reorder the line around it."""

from __future__ import annotations

from html import escape

from ..french import FSI, PDI, isolate, name_line

__all__ = ["FSI", "PDI", "isolate", "name_line", "plain_tooltip"]


def plain_tooltip(text: str) -> str:
    """A tooltip showing `text` as it is (Qt reads a tooltip that looks like HTML as HTML)."""
    lines = "<br>".join(escape(line) for line in text.split("\n"))
    return f"<p style='white-space: pre-wrap'>{lines}</p>"
