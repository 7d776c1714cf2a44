"""A reload never exits the poller (issue 13.8): whatever the files hold, `try_reload` returns an outcome,
and a room is taken only when it passes everything `check` checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from collectors.service import reload
from collectors.service.reload import try_reload

GOOD = """\
[site]
name = "room"

[defaults]
interval = "10s"

[[target]]
id = "console"
group = "servers"
kind = "host"
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    (tmp_path / "playbooks").mkdir()
    path = tmp_path / "checks.toml"
    path.write_text(GOOD)
    return path


def test_a_good_file_reloads(config: Path) -> None:
    outcome = try_reload(config, None)
    assert outcome.room is not None
    assert outcome.status == ""


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (GOOD.replace('"10s"', '"0s"'), ":5:12: 'interval' must be longer than 0s"),
        (GOOD + "mounts = " + "[" * 500 + "]" * 500 + "\n", ":11:42: arrays and inline tables nested more than 32"),
        (
            GOOD + '\n[[target]]\nid = "ups"\ngroup = "power"\nkind = "snmp"\naddress = "udp://127.0.0.1:1"\n'
            'profile = "no-such-profile"\n',
            ":17:11: target 'ups': no profile named 'no-such-profile'",
        ),
        (GOOD + '\n[traps]\nlisten = "udp://127.0.0.1:70000"\n', ":13:10: trap listen address"),
    ],
)
def test_what_would_break_a_running_poller_fails_the_reload_at_file_line_col(
    config: Path, text: str, where: str
) -> None:
    config.write_text(text)
    outcome = try_reload(config, None)
    assert outcome.room is None
    assert outcome.status.startswith(f"reload failed: {config}{where}")


def test_an_unforeseen_error_while_reading_is_a_failed_reload_not_a_crash(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(reload, "check_room", explode)
    outcome = try_reload(config, None)
    assert outcome.room is None
    assert outcome.status == f"reload failed: {config}: cannot be read (RecursionError)"


def test_a_room_whose_engine_cannot_be_built_is_refused(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(config: object) -> None:
        raise ValueError("no engine for this room")

    monkeypatch.setattr(reload, "Engine", refuse)
    outcome = try_reload(config, None)
    assert outcome.room is None
    assert (
        outcome.status == f"reload failed: {config}:1:1: the configuration cannot be started: no engine for this room"
    )
