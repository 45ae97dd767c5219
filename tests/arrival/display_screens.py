"""Run in a subprocess under Qt's offscreen platform given a screen layout (`configfile`): opens
the real waiting-room display on a throw-away SQLite database as a station would, then prints
where it landed as JSON. Xvfb has one screen; the offscreen platform can have several.

    python display_screens.py DB_URL WANTED
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from rdv_desktop.config import StationConfig
from rdv_desktop.services.core.actor import system_actor
from rdv_desktop.services.setup import open_services
from rdv_desktop.ui.executor import DbExecutor
from rdv_desktop.ui.waiting_display import WaitingDisplay


def rect(r) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def main(db_url: str, wanted: str) -> None:
    app = QApplication([])
    folder = Path(db_url.removeprefix("sqlite:///")).parent
    services = open_services(StationConfig(db_url=db_url, key_dir=folder / "keys",
                                           pdf_dir=folder / "pdf"))
    executor = DbExecutor()
    display = WaitingDisplay(services, system_actor("ECRAN"), executor, screen_name=wanted)
    display.place_on_second_screen()
    display.show()
    app.processEvents()
    shown = {"screen": display.screen().name(), "full": display.isFullScreen(),
             "geometry": rect(display.geometry()), "placement": display.placement}
    display.toggle_full_screen()
    app.processEvents()
    shown |= {"windowed": rect(display.frameGeometry()), "still_full": display.isFullScreen(),
              "windowed_screen": display.screen().name(),
              "room": rect(display.screen().availableGeometry())}
    display.close()
    executor.shutdown()
    services.ctx.db.dispose()
    print(json.dumps(shown))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
