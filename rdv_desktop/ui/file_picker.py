"""The file choosers of the app: Qt's own dialog, never the system's.

A station's lock hides every window of the app until the password is typed again. A native file
dialog (Windows) is a system window Qt can neither hide nor show again, and it runs a loop of its
own; Qt's dialog is an ordinary window (French, with the translations loaded at start).
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget


def file_picker(parent: QWidget, title: str, start: str, filters: str, *,
                save: bool = False) -> QFileDialog:
    """A window-modal chooser, for `open()`: to save (`save`) or to pick an existing file."""
    picker = QFileDialog(parent, title, start, filters)
    picker.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    if save:
        picker.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    else:
        picker.setFileMode(QFileDialog.FileMode.ExistingFile)
    return picker
