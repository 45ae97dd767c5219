"""PyInstaller entry point: the frozen `rdv-admin` console executable, shipped in the same folder
as `rdv-desktop` so IT installs one bundle and still has the admin CLI (keys, imports, backups)."""

import sys

from rdv_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
