"""Consoles follow the poller's configuration: after a good reload they take the room it published.

An attached console used to keep the configuration it started with for as long as it ran (the old site name,
old rules and targets, roles from before the change). The poller publishes every room it switches to
(`dutyroom.config.published`); the console's source asks here once per tick, which costs one `stat`, and
swaps its room when the published file changed. A published room that no longer loads (its playbooks broke
since) is skipped, and the console keeps the room it has.
"""

from __future__ import annotations

from pathlib import Path

from dutyroom.config.published import PublishedConfigError, published_stamp, read_published
from dutyroom.room import Room, room_of


class PublishedRoomFollower:
    """Watches `<state>/published/checks.json`; `newer_room()` gives the room once per publication."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self._stamp = published_stamp(state_dir)
        """What was published when the console started: the room it started with is at least as new."""

    def newer_room(self) -> Room | None:
        """The room published since the last call, or None."""
        stamp = published_stamp(self.state_dir)
        if stamp is None or stamp == self._stamp:
            return None
        self._stamp = stamp
        try:
            published = read_published(self.state_dir)
        except PublishedConfigError:
            return None
        room, _problems = room_of(published.config)
        return room
