"""Fixtures of the timed SNMP tests, whose fake agent shares the test's process and event loop.

A pause of that process delays the agent's reply and the client's deadline alike, and the margins are tight
(a reply at 0.9x a 1 s timeout has 0.1 s). The longest pauses were the cyclic garbage collector's: every
collector that closes its loop's last SNMP runtime throws away a pysnmp engine, ~30,000 objects in cycles,
and a full collection of them took 0.1-0.2 s idle and 0.5-0.8 s on a loaded two-core machine.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator

import pytest

from collectors.snmp.runtime import SnmpRuntime, acquire_runtime, release_runtime


@pytest.fixture
def no_earlier_garbage() -> None:
    """Collect what earlier tests threw away before the test starts, so that collection never lands in it."""
    gc.collect()


@pytest.fixture
async def one_snmp_runtime(no_earlier_garbage: None) -> AsyncIterator[SnmpRuntime]:
    """The test loop's SNMP runtime held for the whole test, as a poller holds it: collectors made one after
    another share one pysnmp engine instead of building and throwing away one each."""
    runtime = acquire_runtime()
    try:
        yield runtime
    finally:
        release_runtime(runtime)
