"""The French « OK / Annuler » row of the app's small forms, wired to the dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton


def ok_cancel(dialog: QDialog, ok_text: str, ok_name: str, on_ok: Callable[[], None]
              ) -> tuple[QDialogButtonBox, QPushButton]:
    """Buttons whose OK (named `ok_name` for screen readers and tests) calls `on_ok` and
    whose « Annuler » rejects `dialog`."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel)
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.setText(ok_text)
    ok.setAccessibleName(ok_name)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuler")
    buttons.accepted.connect(on_ok)
    buttons.rejected.connect(dialog.reject)
    return buttons, ok
