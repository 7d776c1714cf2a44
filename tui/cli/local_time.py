"""Times as a person types them on the command line (`--since`, `--until`, `--shift-start`): local to the site."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from tui.cli.common import CommandFailed


def parse_time(text: str, timezone: ZoneInfo, option: str) -> float:
    """An ISO date or date-time; without an offset it is local to the site."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandFailed(f"{option}: bad time '{text}' (use e.g. 2026-10-01 or 2026-10-01T08:00)") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone)).timestamp()
