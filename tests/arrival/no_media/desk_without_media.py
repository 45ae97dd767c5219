"""Run with no_media/ on PYTHONPATH: the arrival desk, its camera and sounds, and the
waiting-room chime on a throw-away database; prints what a clerk would see, as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from rdv_desktop.config import StationConfig
from rdv_desktop.services.core.actor import system_actor
from rdv_desktop.services.setup import open_services
from rdv_desktop.ui.checkin_panel import CheckInPanel
from rdv_desktop.ui.chime import Chime


def main(folder: Path) -> None:
    app = QApplication([])
    services = open_services(StationConfig(db_url=f"sqlite:///{folder / 'r.sqlite3'}",
                                           key_dir=folder / "keys", pdf_dir=folder / "pdf"))
    desk = CheckInPanel(services, system_actor("ACCUEIL"), None, sounds=True)
    desk.show()
    desk.camera_button.setChecked(True)
    loop = QEventLoop()
    desk.scan_finished.connect(lambda _result: loop.quit())
    QTimer.singleShot(20000, loop.quit)
    desk.submit_scan("RDV-000000-NOPE42")
    loop.exec()
    seen = {
        "chime": Chime().play(),
        "desk_sound": desk.last_sound,
        "feedback": desk.feedback.kind,
        "sounds_label": desk.sounds.text(),
        "camera_on": desk.camera_button.isChecked(),
        "camera_note": desk.camera.note.text() if desk.camera else "",
        "loaded": sorted(m for m in sys.modules if m.startswith("PySide6.QtMultimedia")),
    }
    desk.close()
    services.ctx.db.dispose()
    app.processEvents()
    print(json.dumps(seen, ensure_ascii=False))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
