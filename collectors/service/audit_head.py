"""The audit log's head in serve's log: published outside the database, so cutting or rewriting the log shows.

One line, `audit head: record N <hash>` (never the key), when serve starts, whenever the head moved (looked at
every minute) and when it stops. Under systemd the line is in the journal, which the service cannot rewrite;
`dutyroom audit verify` prints the same line to compare with.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from dutyroom.store.records import StoreError

log = logging.getLogger(__name__)

CHECK_EVERY_S = 60.0


def audit_head_message(seq: int, digest: str) -> str:
    return f"audit head: record {seq} {digest}"


class AuditHeadLog:
    """Logs the head read by `read_head` when it differs from the one logged last (or when forced)."""

    def __init__(self, read_head: Callable[[], tuple[int, str]]) -> None:
        self._read_head = read_head
        self._logged: tuple[int, str] | None = None

    def publish(self, *, force: bool = False) -> None:
        try:
            head = self._read_head()
        except StoreError as error:
            log.warning("audit head not published: %s", error)
            return
        if force or head != self._logged:
            log.info("%s", audit_head_message(*head))
            self._logged = head


async def publish_audit_heads(
    read_head: Callable[[], tuple[int, str]], stop: asyncio.Event, every_s: float = CHECK_EVERY_S
) -> None:
    """Until `stop` is set: the head at start, each new head, and the head at the end."""
    heads = AuditHeadLog(read_head)
    heads.publish(force=True)
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every_s)
        heads.publish(force=stop.is_set())
