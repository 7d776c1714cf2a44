"""The poller's log: one line per event with its level, readable by journald and by a person at a terminal.

Under systemd, stderr goes to the journal, which reads a `<N>` prefix as the syslog priority of the line
(sd-daemon(3)), so `journalctl -p err` finds a failed reload or a full disk. systemd says where it connected
stderr in `$JOURNAL_STREAM` (device:inode); the prefix is used only when stderr is still that stream, so a
`dutyroom serve` started by hand from a service's shell prints `LEVEL message` instead. A message never spans
lines (a newline would make a second journal entry at the default priority); an unexpected exception's
traceback, when there is one, keeps its lines, each with the priority.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from typing import TextIO

SYSLOG_PRIORITY = {
    logging.CRITICAL: 2,
    logging.ERROR: 3,
    logging.WARNING: 4,
    logging.INFO: 6,
    logging.DEBUG: 7,
}
OUR_PACKAGES = ("dutyroom", "collectors", "tui")
"""Loggers at INFO; everything else (httpx logs every request at INFO) only from WARNING up."""


def syslog_priority(levelno: int) -> int:
    """The priority of a logging level: the nearest standard level at or above it."""
    for level in sorted(SYSLOG_PRIORITY):
        if levelno <= level:
            return SYSLOG_PRIORITY[level]
    return SYSLOG_PRIORITY[logging.CRITICAL]


def stream_is_journal(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """True when `stream` is the journal stream systemd named in `$JOURNAL_STREAM`."""
    device, _, inode = environ.get("JOURNAL_STREAM", "").partition(":")
    if not (device.isdigit() and inode.isdigit()):
        return False
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return (info.st_dev, info.st_ino) == (int(device), int(inode))


class ServiceLogFormatter(logging.Formatter):
    """`<3>message` for the journal, `ERROR message` otherwise; one line per message."""

    def __init__(self, *, journal: bool) -> None:
        super().__init__()
        self.journal = journal

    def format(self, record: logging.LogRecord) -> str:
        message = " | ".join(line.strip() for line in record.getMessage().splitlines() if line.strip())
        lines = [message]
        if record.exc_info:
            lines += self.formatException(record.exc_info).splitlines()
        if self.journal:
            prefix = f"<{syslog_priority(record.levelno)}>"
            return "\n".join(prefix + line for line in lines)
        return "\n".join([f"{record.levelname} {lines[0]}", *("    " + line for line in lines[1:])])


def configure_service_logging(
    stream: TextIO | None = None, environ: Mapping[str, str] | None = None
) -> logging.Handler:
    """Send log records to `stream` (stderr) in the service format; returns the handler installed on the root."""
    stream = sys.stderr if stream is None else stream
    environ = os.environ if environ is None else environ
    handler = logging.StreamHandler(stream)
    handler.setFormatter(ServiceLogFormatter(journal=stream_is_journal(stream, environ)))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    for package in OUR_PACKAGES:
        logging.getLogger(package).setLevel(logging.INFO)
    return handler
