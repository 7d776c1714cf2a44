"""serve logs the audit head at start, each time it moves, and at stop; a store error is a warning, not a crash."""

from __future__ import annotations

import asyncio
import logging

import pytest

from collectors.service.audit_head import AuditHeadLog, publish_audit_heads
from dutyroom.store.records import StoreError

HASH_A, HASH_B = "a" * 64, "b" * 64


def test_only_a_moved_head_is_logged_again(caplog: pytest.LogCaptureFixture) -> None:
    heads = [(1, HASH_A), (1, HASH_A), (2, HASH_B)]
    log = AuditHeadLog(lambda: heads.pop(0))
    with caplog.at_level(logging.INFO, logger="collectors"):
        log.publish(force=True)
        log.publish()
        log.publish()

    assert caplog.messages == [f"audit head: record 1 {HASH_A}", f"audit head: record 2 {HASH_B}"]


def test_a_store_error_is_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> tuple[int, str]:
        raise StoreError("dutyroom.db: could not read the audit head: disk I/O error")

    with caplog.at_level(logging.INFO, logger="collectors"):
        AuditHeadLog(broken).publish(force=True)

    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [
        ("WARNING", "audit head not published: dutyroom.db: could not read the audit head: disk I/O error")
    ]


def test_the_loop_publishes_at_start_on_change_and_at_stop(caplog: pytest.LogCaptureFixture) -> None:
    heads = iter([(0, "0" * 64), (3, HASH_A), (3, HASH_A), (3, HASH_A)])
    reads: list[tuple[int, str]] = []

    def read_head() -> tuple[int, str]:
        head = next(heads)
        reads.append(head)
        return head

    async def scenario() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(publish_audit_heads(read_head, stop, every_s=0.01))
        for _ in range(500):  # bounded: at most 5 s of 10 ms waits
            if len(reads) >= 3:
                break
            await asyncio.sleep(0.01)
        stop.set()
        await asyncio.wait_for(task, 5)

    with caplog.at_level(logging.INFO, logger="collectors"):
        asyncio.run(scenario())

    assert caplog.messages[0] == "audit head: record 0 " + "0" * 64
    assert caplog.messages[1] == f"audit head: record 3 {HASH_A}"
    assert caplog.messages[-1] == f"audit head: record 3 {HASH_A}"  # the head at stop, even unchanged
