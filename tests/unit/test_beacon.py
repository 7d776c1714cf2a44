"""The poller's beacon: a fixed block overwritten in place, read back whole or not at all, and the heartbeat
readers see it when the database's own heartbeat row has stopped (the store refusing writes)."""

from __future__ import annotations

import os
from pathlib import Path

from dutyroom.store.beacon import (
    BLOCK_SIZE,
    BeaconReading,
    BeaconWriter,
    beacon_path,
    decode_block,
    encode_block,
    read_beacon,
)
from dutyroom.store.database import Store

FULL_DISK = BeaconReading(
    at=1_700_000_000.5,
    pid=4242,
    store_problem="STATE NOT SAVED: /var/lib/dutyroom/dutyroom.db: disk full",
    store_problem_since=1_699_999_990.0,
    listener_problems=("trap receiver cannot listen on udp 0.0.0.0:162: Address already in use",),
)


def test_a_beat_reads_back_as_it_was_written(tmp_path: Path) -> None:
    writer = BeaconWriter.open(tmp_path, BeaconReading(at=1.0, pid=1))
    try:
        writer.beat(FULL_DISK)
    finally:
        writer.close()

    assert read_beacon(tmp_path) == FULL_DISK


def test_the_file_is_one_block_allocated_at_open_and_never_grows(tmp_path: Path) -> None:
    writer = BeaconWriter.open(tmp_path, BeaconReading(at=1.0, pid=1))
    try:
        allocated = os.stat(beacon_path(tmp_path)).st_blocks
        for second in range(50):
            writer.beat(BeaconReading(at=float(second), pid=7, store_problem="x" * 5000))
        info = os.stat(beacon_path(tmp_path))
    finally:
        writer.close()

    assert info.st_size == BLOCK_SIZE
    assert allocated > 0
    assert info.st_blocks == allocated
    assert read_beacon(tmp_path) == BeaconReading(at=49.0, pid=7, store_problem="x" * 400)


def test_a_torn_or_foreign_block_is_not_a_beat(tmp_path: Path) -> None:
    block = encode_block(FULL_DISK)
    torn = block[:40] + encode_block(BeaconReading(at=2.0, pid=2))[40:]

    assert decode_block(block) == FULL_DISK
    assert decode_block(torn) is None
    assert decode_block(b"\0" * BLOCK_SIZE) is None
    assert decode_block(b"DRB1") is None
    beacon_path(tmp_path).write_bytes(torn)
    assert read_beacon(tmp_path) is None
    assert read_beacon(tmp_path / "nowhere") is None


def test_the_heartbeat_is_the_newer_of_the_database_row_and_the_beacon(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        assert store.read_heartbeat() is None
        store.write_heartbeat(100.0, pid=11)
        writer = BeaconWriter.open(tmp_path, BeaconReading(at=90.0, pid=11))
        try:
            older_beacon = store.read_heartbeat()
            writer.beat(BeaconReading(at=130.0, pid=11, store_problem="STATE NOT SAVED: x: disk full"))
            database_stopped = store.read_heartbeat()
        finally:
            writer.close()

    assert older_beacon is not None
    assert older_beacon.at == 100.0
    assert database_stopped is not None
    assert database_stopped.at == 130.0
    assert database_stopped.pid == 11
