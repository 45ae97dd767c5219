"""PyInstaller entry point: the frozen `rdv-desktop` executable runs the app's `main()`."""

import sys

from rdv_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
