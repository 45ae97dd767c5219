"""The real Linux accessibility stack, installed from Debian packages when missing.

Xvfb (a screen), D-Bus (`dbus-run-session`: a private session bus per app start), at-spi2-core
(the accessibility bus and registry, started by D-Bus activation), the system Python's gi
bindings for libatspi (the probe runs under /usr/bin/python3: Debian's python3-gi is built for
it, not for the project's venv), xdotool (keys typed as a keyboard does) and the xcb libraries
Qt's X11 platform plugin needs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

SYSTEM_PYTHON = "/usr/bin/python3"
PACKAGES = (
    "xvfb", "xauth", "dbus", "dbus-x11", "at-spi2-core", "python3-gi", "python3-pyatspi",
    "gir1.2-atspi-2.0", "xdotool", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0",
    "libxkbcommon-x11-0", "libxcb-xkb1", "libxcb-render-util0", "libxcb-image0",
    "libxcb-shape0", "libxcb-randr0", "libxcb-xinerama0", "libegl1", "libgl1",
    "libfontconfig1", "libdbus-1-3", "fonts-dejavu-core",
)
ATSPI_CHECK = "import gi; gi.require_version('Atspi', '2.0'); from gi.repository import Atspi"


def missing() -> list[str]:
    """What is not there yet, in words (empty: the stack is ready)."""
    problems = [tool for tool in ("Xvfb", "dbus-run-session", "xdotool")
                if shutil.which(tool) is None]
    if not Path("/usr/libexec/at-spi-bus-launcher").exists():
        problems.append("at-spi2-core")
    if not Path(SYSTEM_PYTHON).exists() or subprocess.run(
            [SYSTEM_PYTHON, "-c", ATSPI_CHECK], capture_output=True).returncode != 0:
        problems.append("python3-gi with the Atspi typelib")
    if shutil.which("dpkg") and subprocess.run(["dpkg", "-s", "libxcb-cursor0"],
                                               capture_output=True).returncode != 0:
        problems.append("libxcb-cursor0 (Qt's xcb plugin)")
    return problems


def ensure_stack() -> None:
    """Install the stack with apt-get (root on Debian, as CI and the developers' machines are).

    Raises RuntimeError saying what is missing and why it could not be installed: the suite
    fails loudly rather than skips.
    """
    if not missing():
        return
    apt = shutil.which("apt-get")
    if apt is None:
        raise RuntimeError(f"accessibility stack missing ({', '.join(missing())}) and no "
                           "apt-get to install it")
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = [*sudo, apt, "install", "-y", "-qq", "--no-install-recommends", *PACKAGES]
    if subprocess.run(install, env=env, capture_output=True).returncode != 0:
        subprocess.run([*sudo, apt, "update", "-qq"], env=env, capture_output=True)
        done = subprocess.run(install, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError("could not install the accessibility stack: "
                               + done.stderr.strip()[-2000:])
    still = missing()
    if still:
        raise RuntimeError(f"accessibility stack still incomplete: {', '.join(still)}")
