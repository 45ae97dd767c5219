"""« Aide › Raccourcis clavier » (F1): every key of the app as plain lines a screen reader walks.

The window's menus are read as built (so the list never drifts from the real shortcuts), then
the keys that belong to one screen and live in no menu (the arrival desk, the checklist).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

SCREEN_KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Partout", (
        ("Tab, Maj+Tab", "contrôle suivant, précédent (quittent aussi les tableaux)"),
        ("Flèches", "se déplacer dans un tableau ou une liste"),
        ("Ctrl+Tab", "écran (onglet) suivant"),
        ("Alt + lettre soulignée", "menu ou champ de cette lettre"),
    )),
    ("Accueil", (
        ("Entrée", "dans « Code scanné » : enregistrer l'arrivée du code scanné ou tapé"),
        ("F9", "accepter une arrivée en avance ou en retard"),
        ("F10", "imprimer le ticket de la dernière arrivée"),
        ("F7", "nouveau rendez-vous ou personne sans rendez-vous"),
        ("Échap", "revenir au champ « Code scanné »"),
    )),
    ("Contrôle du dossier", (
        ("R ou 1", "pièce choisie : reçue"),
        ("M ou 2", "pièce choisie : manquante"),
        ("N ou 3", "pièce choisie : non concernée"),
        ("Ctrl+Maj+R", "toutes les pièces requises reçues"),
        ("Ctrl+Entrée", "enregistrer le dépôt"),
        ("Ctrl+I", "dossier incomplet"),
        ("Ctrl+Maj+A", "réorienter vers l'ANEF"),
        ("Échap", "fermer sans décider"),
    )),
    # Never written on the public screen itself: staff find them here.
    ("Écran de la salle d'attente", (
        ("F11", "plein écran ou fenêtre"),
        ("F12", "carillon activé ou coupé (indiqué dans le titre de la fenêtre)"),
        ("Échap", "quitter le plein écran"),
    )),
)


def _words(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText).replace("Shift", "Maj")


def menu_lines(bar: QMenuBar) -> list[str]:
    """One line per menu entry that has a shortcut: « F2 : Guichet › Appeler le suivant »."""
    lines: list[str] = []
    for top in bar.actions():
        menu = top.menu()
        if not isinstance(menu, QMenu):
            continue
        section = top.text().replace("&", "")
        for action in menu.actions():
            if isinstance(action, QAction) and not action.shortcut().isEmpty():
                lines.append(f"{_words(action.shortcut())} : {section} › "
                             f"{action.text().replace('&', '').rstrip('…')}")
    return lines


def shortcut_text(bar: QMenuBar) -> str:
    parts = ["Menus", *menu_lines(bar)]
    for title, keys in SCREEN_KEYS:
        parts += ["", title, *(f"{key} : {what}" for key, what in keys)]
    return "\n".join(parts)


class ShortcutsDialog(QDialog):
    def __init__(self, bar: QMenuBar, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Raccourcis clavier")
        self.text = QPlainTextEdit(shortcut_text(bar))
        self.text.setReadOnly(True)
        # Read-only but walkable with the arrows, line by line, by a screen reader.
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                          | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAccessibleName("Raccourcis clavier")
        self.text.setTabChangesFocus(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Fermer")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(640, 560)
        self.text.setFocus()
