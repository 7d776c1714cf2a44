"""systemd's notify protocol, spoken directly: one datagram of `KEY=value` lines to `$NOTIFY_SOCKET`.

No library is needed for it (sd_notify(3) is a sendto on an AF_UNIX datagram socket; a path starting with '@'
is in the abstract namespace). Under `Type=notify` the poller says READY=1 once the first configuration is
loaded and polling runs, RELOADING=1 and READY=1 around a reload, STOPPING=1 on the way out, and a one-line
STATUS= that `systemctl status` shows. With `WatchdogSec=` set, systemd passes `$WATCHDOG_USEC` and kills and
restarts the service when WATCHDOG=1 stops arriving; the poll loop calls `watchdog()` after each batch it really
evaluated, so a hung loop falls silent and is restarted. Outside systemd every method does nothing.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Mapping

log = logging.getLogger(__name__)


def socket_address(notify_socket: str) -> str | bytes:
    """The address to send to: '@name' is the abstract socket '\\0name'."""
    if notify_socket.startswith("@"):
        return b"\0" + notify_socket[1:].encode()
    return notify_socket


def watchdog_interval_s(environ: Mapping[str, str], pid: int) -> float | None:
    """Half of `$WATCHDOG_USEC` in seconds (sd_watchdog_enabled's advice), or None when no watchdog is for us."""
    usec = environ.get("WATCHDOG_USEC", "")
    owner = environ.get("WATCHDOG_PID", "")
    if not usec.isdigit() or int(usec) == 0:
        return None
    if owner and (not owner.isdigit() or int(owner) != pid):
        return None
    return int(usec) / 2_000_000


class ServiceNotifier:
    """Messages to the service manager; all no-ops when `notify_socket` is None."""

    def __init__(
        self,
        notify_socket: str | None,
        watchdog_every_s: float | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.address = socket_address(notify_socket) if notify_socket else None
        self.watchdog_every_s = watchdog_every_s if self.address is not None else None
        self._monotonic = monotonic
        self._socket: socket.socket | None = None
        self._last_watchdog: float | None = None
        self._last_status = ""
        self._send_failed = False

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None, pid: int | None = None) -> ServiceNotifier:
        environ = os.environ if environ is None else environ
        notify_socket = environ.get("NOTIFY_SOCKET") or None
        return cls(notify_socket, watchdog_interval_s(environ, os.getpid() if pid is None else pid))

    @classmethod
    def disabled(cls) -> ServiceNotifier:
        return cls(None)

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def ready(self, status: str) -> None:
        """Startup or a reload is over (whether the reload worked or not: the poller runs either way)."""
        self._last_status = status
        self.send("READY=1", f"STATUS={status}")

    def reloading(self) -> None:
        """A reload starts; MONOTONIC_USEC lets systemd (253+) tell this reload from an earlier one."""
        self.send("RELOADING=1", f"MONOTONIC_USEC={time.monotonic_ns() // 1000}")

    def status(self, status: str) -> None:
        """A new one-line summary; sent only when it changed."""
        if status != self._last_status:
            self._last_status = status
            self.send(f"STATUS={status}")

    def watchdog(self) -> None:
        """Called by the poll loop each time it advanced: sends WATCHDOG=1 every half watchdog interval."""
        if self.watchdog_every_s is None:
            return
        now = self._monotonic()
        if self._last_watchdog is None or now - self._last_watchdog >= self.watchdog_every_s:
            self._last_watchdog = now
            self.send("WATCHDOG=1")

    def stopping(self, status: str = "stopping") -> None:
        self.send("STOPPING=1", f"STATUS={status}")

    def send(self, *fields: str) -> bool:
        """One datagram with `fields` as lines; False (logged once) when the manager could not be told."""
        if self.address is None:
            return False
        message = "\n".join(field.replace("\n", " ") for field in fields).encode("utf-8", errors="replace")
        try:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._socket.sendto(message, self.address)
        except OSError as error:
            if not self._send_failed:
                log.warning("cannot notify the service manager at %s: %s", self._printable_address(), error)
            self._send_failed = True
            return False
        self._send_failed = False
        return True

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None

    def _printable_address(self) -> str:
        address = self.address
        if isinstance(address, bytes):
            return "@" + address[1:].decode(errors="replace")
        return str(address)
