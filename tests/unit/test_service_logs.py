"""The service log: `<N>` syslog priorities only when stderr is the journal stream systemd named, `LEVEL message`
otherwise, one line per message, our packages at INFO and chatty libraries only from WARNING."""

from __future__ import annotations

import io
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from collectors.service.logs import ServiceLogFormatter, configure_service_logging, stream_is_journal, syslog_priority


def record(level: int, message: str, exc_info: object = None) -> logging.LogRecord:
    return logging.LogRecord("collectors.service.poller", level, __file__, 1, message, (), exc_info)  # type: ignore[arg-type]


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in ("dutyroom", "collectors", "tui", "httpx")}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, saved in levels.items():
        logging.getLogger(name).setLevel(saved)


RELOAD_FAILED = "reload failed: checks.toml:20:11: bad condition"


@pytest.mark.parametrize(
    ("level", "priority", "word"),
    [(logging.ERROR, 3, "ERROR"), (logging.WARNING, 4, "WARNING"), (logging.INFO, 6, "INFO")],
)
def test_each_level_has_its_journal_priority_and_its_plain_word(level: int, priority: int, word: str) -> None:
    message = record(level, RELOAD_FAILED)

    assert ServiceLogFormatter(journal=True).format(message) == f"<{priority}>{RELOAD_FAILED}"
    assert ServiceLogFormatter(journal=False).format(message) == f"{word} {RELOAD_FAILED}"


def test_a_message_never_spans_lines_but_a_traceback_keeps_its_priority_on_each() -> None:
    assert ServiceLogFormatter(journal=True).format(record(logging.ERROR, "two\nproblems\n")) == "<3>two | problems"
    try:
        raise ValueError("boom")
    except ValueError:
        crashed = record(logging.CRITICAL, "poller crashed", sys.exc_info())
    lines = ServiceLogFormatter(journal=True).format(crashed).splitlines()
    assert lines[0] == "<2>poller crashed"
    assert lines[-1] == "<2>ValueError: boom"
    assert all(line.startswith("<2>") for line in lines)
    assert syslog_priority(logging.INFO + 1) == 4
    assert syslog_priority(logging.CRITICAL + 10) == 2


def test_the_journal_is_recognised_by_the_device_and_inode_of_stderr(tmp_path: Path) -> None:
    with (tmp_path / "journal").open("w") as journal, (tmp_path / "elsewhere").open("w") as elsewhere:
        info = os.fstat(journal.fileno())
        environment = {"JOURNAL_STREAM": f"{info.st_dev}:{info.st_ino}"}

        assert stream_is_journal(journal, environment)
        assert not stream_is_journal(elsewhere, environment)  # a shell started from the unit, redirected
        assert not stream_is_journal(journal, {})
        assert not stream_is_journal(journal, {"JOURNAL_STREAM": "garbage"})
        assert not stream_is_journal(io.StringIO(), environment)


@pytest.mark.usefixtures("restored_logging")
def test_our_packages_log_at_info_and_libraries_from_warning() -> None:
    stream = io.StringIO()
    configure_service_logging(stream, environ={})

    logging.getLogger("collectors.service.poller").info("configuration reloaded")
    logging.getLogger("dutyroom.serve").info("started")
    logging.getLogger("httpx").info("HTTP Request: GET http://127.0.0.1/health 200 OK")
    logging.getLogger("pysnmp").warning("odd packet")

    assert stream.getvalue().splitlines() == ["INFO configuration reloaded", "INFO started", "WARNING odd packet"]
