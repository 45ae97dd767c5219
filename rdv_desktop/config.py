"""Station configuration: database URL, site, station name, counter, printer, key folder and
the waiting-room display's screen.

Precedence for the database URL: ``--db`` option, then ``RDV_DB_URL``, then the TOML file
(``RDV_CONFIG`` or ``config.toml`` in the user config dir), then a SQLite file in the user
data dir.
"""

from __future__ import annotations

import os
import socket
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import ConfigurationError
from .paths import user_config_dir, user_data_dir

DEFAULT_SITE = "CANTAL"


@dataclass(frozen=True)
class StationConfig:
    db_url: str
    site_code: str = DEFAULT_SITE
    station_name: str = field(default_factory=lambda: socket.gethostname().upper()[:40])
    counter_number: int | None = None
    printer: str = ""
    sounds: bool = True  # the arrival desk's green/red tones
    display_screen: str = ""  # the waiting-room display's screen: a Qt screen name or a number
    key_dir: Path = field(default_factory=lambda: user_data_dir() / "keys")
    pdf_dir: Path = field(default_factory=lambda: user_data_dir() / "pdf")
    source: str = "défaut"


def config_path() -> Path:
    env = os.environ.get("RDV_CONFIG")
    return Path(env) if env else user_config_dir() / "config.toml"


def default_sqlite_url() -> str:
    return f"sqlite:///{user_data_dir() / 'rdv.sqlite3'}"


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"Fichier de configuration illisible {path} : {exc}") from exc
    except OSError as exc:
        raise ConfigurationError(f"Impossible de lire {path} : {exc.strerror}") from exc


def load_config(db_url: str | None = None, station: str | None = None) -> StationConfig:
    """Merge the configuration sources; an explicit argument always wins."""
    path = config_path()
    data = _read_toml(path) if path.exists() else {}
    db = data.get("database", {})
    st = data.get("station", {})
    site = data.get("site", {})
    keys = data.get("keys", {})
    if db_url:
        url, source = db_url, "option --db"
    elif os.environ.get("RDV_DB_URL"):
        url, source = os.environ["RDV_DB_URL"], "RDV_DB_URL"
    elif db.get("url"):
        url, source = str(db["url"]), str(path)
    else:
        url, source = default_sqlite_url(), "défaut (SQLite local)"
    cfg = StationConfig(db_url=url, source=source)
    counter = st.get("counter")
    if counter is not None and not isinstance(counter, int):
        raise ConfigurationError(f"{path} : station.counter doit être un numéro de guichet")
    sounds = st.get("sounds", True)
    if not isinstance(sounds, bool):
        raise ConfigurationError(f"{path} : station.sounds vaut true ou false")
    display = st.get("display_screen", "")
    if not isinstance(display, (str, int)) or isinstance(display, bool):
        raise ConfigurationError(f"{path} : station.display_screen est un nom d'écran "
                                 "(ex. « HDMI-1 ») ou un numéro d'écran")
    return replace(
        cfg,
        site_code=str(site.get("code", cfg.site_code)).upper(),
        station_name=station or str(st.get("name", cfg.station_name)),
        counter_number=counter,
        printer=str(st.get("printer", "")),
        sounds=sounds,
        display_screen=str(display).strip(),
        key_dir=Path(keys["dir"]) if keys.get("dir") else cfg.key_dir,
        pdf_dir=Path(st["pdf_dir"]) if st.get("pdf_dir") else cfg.pdf_dir,
    )
