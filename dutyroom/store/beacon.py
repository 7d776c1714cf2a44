"""The poller's beacon: its liveness and its problems in one small block beside dutyroom.db.

When the disk fills up, the database refuses every write, its heartbeat row included, and consoles and
`dutyroom status` would call a poller that still polls dead without ever learning why. So the poller also keeps
this file: one block of BLOCK_SIZE bytes, allocated when the poller starts and afterwards only overwritten in
place, which needs no new space on a full disk (tmpfs, ext4, xfs; a copy-on-write file system may still refuse).
Beats are not fsynced: they only matter to live readers, who share the page cache. A CRC lets a reader reject a
block it caught half-written; it reads again.
"""

from __future__ import annotations

import json
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

BEACON_NAME = "poller.beacon"
BLOCK_SIZE = 4096
MAGIC = b"DRB1"
_HEADER = struct.Struct(">4sII")  # magic, CRC-32 of the payload, payload length
TEXT_LIMIT = 400
"""Each problem text is clipped to this many characters, so a beat always fits its block."""
READ_ATTEMPTS = 3


@dataclass(frozen=True, slots=True)
class BeaconReading:
    """What the poller last said about itself."""

    at: float
    pid: int
    store_problem: str = ""
    """'' while the state is saved; else e.g. 'STATE NOT SAVED: /var/lib/dutyroom/dutyroom.db: disk full'."""
    store_problem_since: float | None = None
    listener_problems: tuple[str, ...] = ()
    """Listeners the poller runs without, e.g. 'trap receiver cannot listen on udp 0.0.0.0:162: Address in use'."""


def beacon_path(state_dir: Path) -> Path:
    return Path(state_dir) / BEACON_NAME


def encode_block(reading: BeaconReading) -> bytes:
    """One BLOCK_SIZE block: header, JSON payload, zero padding."""
    payload = json.dumps(
        {
            "at": reading.at,
            "pid": reading.pid,
            "store": reading.store_problem[:TEXT_LIMIT],
            "store_since": reading.store_problem_since,
            "listeners": [text[:TEXT_LIMIT] for text in reading.listener_problems[:4]],
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    header = _HEADER.pack(MAGIC, zlib.crc32(payload), len(payload))
    return (header + payload).ljust(BLOCK_SIZE, b"\0")


def decode_block(block: bytes) -> BeaconReading | None:
    """The reading in `block`, or None when it is not a whole, intact beat."""
    if len(block) < _HEADER.size:
        return None
    magic, crc, length = _HEADER.unpack_from(block)
    payload = block[_HEADER.size : _HEADER.size + length]
    if magic != MAGIC or len(payload) != length or zlib.crc32(payload) != crc:
        return None
    try:
        data = json.loads(payload)
        since = data.get("store_since")
        return BeaconReading(
            at=float(data["at"]),
            pid=int(data["pid"]),
            store_problem=str(data.get("store", "")),
            store_problem_since=None if since is None else float(since),
            listener_problems=tuple(str(text) for text in data.get("listeners", ())),
        )
    except (ValueError, KeyError, TypeError):
        return None


class BeaconWriter:
    """The poller's end: `open` allocates the block (while there is space), `beat` overwrites it in place."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def open(cls, state_dir: Path, first: BeaconReading) -> BeaconWriter:
        """Create or reuse the beacon and write `first` into it; raises OSError (e.g. ENOSPC) naming nothing."""
        path = beacon_path(state_dir)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
        writer = cls(path, fd)
        try:
            writer.beat(first)
        except OSError:
            writer.close()
            raise
        return writer

    def beat(self, reading: BeaconReading) -> None:
        """Overwrite the block; raises OSError if even that failed."""
        if self._fd is None:
            raise OSError(f"{self.path}: the beacon is closed")
        block = encode_block(reading)
        written = os.pwrite(self._fd, block, 0)
        if written != len(block):
            raise OSError(f"{self.path}: short write ({written} of {len(block)} bytes)")

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def read_beacon(state_dir: Path) -> BeaconReading | None:
    """The last intact beat in `state_dir`, or None (no poller with a beacon ever ran here, or unreadable)."""
    try:
        with beacon_path(state_dir).open("rb") as file:
            for _ in range(READ_ATTEMPTS):
                file.seek(0)
                reading = decode_block(file.read(BLOCK_SIZE))
                if reading is not None:
                    return reading
    except OSError:
        return None
    return None
