"""Loaded by Python at start-up when this folder is on PYTHONPATH: the station behaves as if
the `media` extra (PySide6-Addons, hence QtMultimedia) were not installed."""

import sys


class _NoQtMultimedia:
    """Refuses QtMultimedia and QtMultimediaWidgets as an absent wheel would."""

    def find_spec(self, name, path=None, target=None):
        if name.startswith("PySide6.QtMultimedia"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _NoQtMultimedia())
