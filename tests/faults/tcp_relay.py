"""A TCP relay on 127.0.0.1 that can go silent, as a stuck router or a half-dead VPN does.

`pause()` stops forwarding bytes (both ways by default) but keeps every socket open: the peers'
kernels still ACK what they receive, so TCP keepalives see nothing wrong; only a client-side
deadline can notice. `resume()` forwards what was held back, `sever()` drops every link at once
(RST), throwing away what was held. The relay is bounded (a few links, a lifetime) and stops by
itself, so a failing test never leaves it running.
"""

from __future__ import annotations

import contextlib
import select
import socket
import struct
import threading
import time
from collections.abc import Callable
from types import TracebackType

CHUNK = 65536
POLL_S = 0.05
SEND_TIMEOUT_S = 5.0
UPSTREAM = "upstream"  # client -> server
DOWNSTREAM = "downstream"  # server -> client


class TcpRelay:
    """Forward 127.0.0.1:`port` to `target`; use as a context manager."""

    def __init__(self, target_host: str, target_port: int, lifetime_s: float = 180.0,
                 max_links: int = 32) -> None:
        self.target = (target_host, target_port)
        self.lifetime_s = lifetime_s
        self.max_links = max_links
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(POLL_S)
        self.port: int = self._listener.getsockname()[1]
        self._closed = threading.Event()
        # Held while a chunk is read and forwarded, so once pause() returns no byte gets past.
        self._gates = {UPSTREAM: threading.Lock(), DOWNSTREAM: threading.Lock()}
        self._paused = {UPSTREAM: False, DOWNSTREAM: False}
        self._sockets: list[socket.socket] = []
        self._links = 0
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._lifetime: threading.Timer | None = None

    def __enter__(self) -> TcpRelay:
        self._spawn(self._accept_loop)
        self._lifetime = threading.Timer(self.lifetime_s, self.close)
        self._lifetime.daemon = True
        self._lifetime.start()
        return self

    def __exit__(self, _type: type[BaseException] | None, _value: BaseException | None,
                 _tb: TracebackType | None) -> None:
        self.close()

    def pause(self, upstream: bool = True, downstream: bool = True) -> None:
        """Stop forwarding in the chosen directions; sockets stay open, bytes wait."""
        for direction, wanted in ((UPSTREAM, upstream), (DOWNSTREAM, downstream)):
            if wanted:
                with self._gates[direction]:
                    self._paused[direction] = True

    def resume(self) -> None:
        for direction in (UPSTREAM, DOWNSTREAM):
            with self._gates[direction]:
                self._paused[direction] = False

    def sever(self) -> None:
        """Reset every open link (held bytes are lost); new links are still accepted."""
        with self._lock:
            doomed, self._sockets = self._sockets, []
        for sock in doomed:
            _reset(sock)

    def close(self) -> None:
        if self._lifetime is not None and self._lifetime is not threading.current_thread():
            self._lifetime.cancel()
            self._lifetime.join(timeout=1)
        self._closed.set()
        self.sever()
        with contextlib.suppress(OSError):
            self._listener.close()
        for thread in list(self._threads):
            if thread is not threading.current_thread():
                thread.join(timeout=2)

    def _spawn(self, target: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                client, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                refused = self._links >= self.max_links
                self._links += 0 if refused else 1
            if refused:
                _reset(client)
                continue
            try:
                server = socket.create_connection(self.target, timeout=SEND_TIMEOUT_S)
            except OSError:
                _reset(client)
                continue
            for sock in (client, server):
                sock.settimeout(SEND_TIMEOUT_S)
            with self._lock:
                self._sockets += [client, server]
            self._spawn(self._pump, client, server, UPSTREAM)
            self._spawn(self._pump, server, client, DOWNSTREAM)

    def _pump(self, src: socket.socket, dst: socket.socket, direction: str) -> None:
        """Copy src to dst while not paused; on EOF pass the FIN on, on error drop both."""
        try:
            while not self._closed.is_set():
                readable, _, _ = select.select([src], [], [], POLL_S)
                if not readable:
                    continue
                with self._gates[direction]:
                    if not self._paused[direction]:
                        data = src.recv(CHUNK)
                        if not data:
                            dst.shutdown(socket.SHUT_WR)
                            return
                        dst.sendall(data)
                        continue
                time.sleep(POLL_S)  # paused: leave the bytes where they are
        except (OSError, ValueError):  # reset, or closed by sever()/close()
            _reset(src)
            _reset(dst)


def _reset(sock: socket.socket) -> None:
    """Close with SO_LINGER 0, so the peer gets a RST at once rather than a polite FIN."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()
