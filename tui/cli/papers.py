"""Where a handover or a report goes: standard output (no --out, or `--out -`) or a file written atomically.

One place for the choice, the file's mode (readable by a team that shares the directory) and the one-line
error, so the period report, the holiday report and the documents the service renders behave the same.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tui.cli.common import CommandFailed

STDOUT = Path("-")


def file_named(out: Path | None) -> Path | None:
    """The file `--out` names, or None when the text goes to standard output."""
    return None if out is None or out == STDOUT else out


def report_format(chosen: str | None, out: Path | None) -> str:
    """--format, else csv for a .csv file, else Markdown."""
    target = file_named(out)
    return chosen or ("csv" if target is not None and target.suffix == ".csv" else "md")


def deliver(what: str, text: str, out: Path | None) -> None:
    """Print `text`, or write it to the file `out` names and say so; a failed write is one line naming the file."""
    from dutyroom.atomic import document_mode, write_atomically

    target = file_named(out)
    if target is None:
        sys.stdout.write(text)
        return
    try:
        write_atomically(target, text, mode=document_mode(target.parent))
    except OSError as error:
        raise CommandFailed(f"{what}: {error}") from None
    print(f"{what} written: {target}")
