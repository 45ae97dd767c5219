"""A private PostgreSQL server for tests that stop and restart it.

The machine's cluster is shared with the rest of the suite (and with other people's runs), so
outage tests never touch it: they `initdb` a throwaway cluster in a temporary folder, on a free
port of 127.0.0.1, owned by the `postgres` user when running as root (PostgreSQL refuses to run
as root). Stopping it with ``-m immediate`` is a crash of the server process, as a power cut of
the database host would be; starting it again goes through crash recovery.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


def _bindir() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                   else 0)
    if found:
        return found[-1].parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ThrowawayServer:
    bindir: Path
    folder: Path
    port: int

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, timeout: float = 60, check: bool = True) -> int:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run([*prefix, *args], check=check, capture_output=True,
                              timeout=timeout)
        return done.returncode

    @classmethod
    def create(cls) -> ThrowawayServer:
        bindir = _bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL server binaries (pg_ctl, initdb) not found")
        folder = Path(tempfile.mkdtemp(prefix="rdv-pg-"))
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres", "postgres")
        server = cls(bindir, folder, _free_port())
        server._run(str(bindir / "initdb"), "-D", str(server.data), "-A", "trust",
                    "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8")
        server.start()
        return server

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=50")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.folder / "server.log"), "-w", "-t", "60", "start")

    def stop(self, mode: str = "immediate") -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        return self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "status",
                         check=False) == 0

    def destroy(self) -> None:
        try:
            if self.running():
                self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)
