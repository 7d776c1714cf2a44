"""The poller's last good configuration, published in the state directory (issue 13.9): secret references
only, atomically, readable by whoever reaches the state; commands and consoles start from it when checks.toml
does not load, and attached consoles follow it after a good reload."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.config.published import (
    PublishedConfigError,
    publish_config,
    published_path,
    published_stamp,
    read_published,
)
from dutyroom.model import Identity
from dutyroom.room import room_of
from dutyroom.store.database import Store
from dutyroom.views.store_source import StoreSource
from tui.cli.common import CommandFailed, load_or_fail

ROOM = """\
# the community is "hunter2-in-a-comment": comments are never published
[site]
name = "{name}"

[credentials.ups]
community = {{ file = "secrets/ups.community" }}

[credentials.gw]
token = {{ env = "GW_TOKEN" }}

[[target]]
id = "ups-a"
group = "power"
kind = "snmp"
address = "udp://127.0.0.1:16101"
credentials = "ups"
profile = "ups-mib"

[[rule]]
id = "on-battery"
metric = "ups.on_battery"
critical = "== 1"
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "playbooks").mkdir()
    (tmp_path / "secrets").mkdir()
    secret = tmp_path / "secrets" / "ups.community"
    secret.write_text("s3cret-community\n")
    secret.chmod(0o600)
    (tmp_path / "state").mkdir(mode=0o700)
    (tmp_path / "checks.toml").write_text(ROOM.format(name="room one"))
    return tmp_path


def test_the_published_copy_holds_references_never_secret_values_or_comments(site: Path) -> None:
    config = load_config(site / "checks.toml", resolve_secrets=False)
    path = publish_config(config, site / "state", 1000.0)
    text = path.read_text()
    assert "s3cret-community" not in text
    assert "hunter2" not in text
    document = json.loads(text)
    assert document["config"]["credentials"]["ups"]["community"] == {"env": None, "file": "secrets/ups.community"}
    assert document["source"] == str((site / "checks.toml").resolve())
    assert path.stat().st_mode & 0o777 == 0o644
    assert path.parent.stat().st_mode & 0o777 == 0o755


def test_the_published_copy_reads_back_as_the_same_config_without_needing_secrets(site: Path) -> None:
    config = load_config(site / "checks.toml", resolve_secrets=False)
    publish_config(config, site / "state", 1000.0)
    (site / "secrets" / "ups.community").chmod(0o644)  # would be refused if it were read
    published = read_published(site / "state")
    assert published.config.parsed == config.parsed
    assert published.published_at == 1000.0
    assert published.config.path == (site / "checks.toml").resolve()


def test_nothing_published_is_an_error_that_says_so(tmp_path: Path) -> None:
    with pytest.raises(PublishedConfigError, match="no configuration published"):
        read_published(tmp_path)
    assert published_stamp(tmp_path) is None


def test_a_command_falls_back_to_the_published_config_and_says_so(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    publish_config(load_config(site / "checks.toml", resolve_secrets=False), site / "state", time.time())
    (site / "checks.toml").write_text(ROOM.format(name="room one") + "\nbroken = [\n")
    config = load_or_fail(site / "checks.toml", site / "state")
    assert config.parsed.site.name == "room one"
    error = capsys.readouterr().err
    assert f"{site / 'checks.toml'}:" in error
    assert "does not load" in error
    assert "using the last good configuration, published by the poller at" in error


def test_without_a_published_config_the_files_problem_is_the_error(site: Path) -> None:
    (site / "checks.toml").write_text("[site\n")
    with pytest.raises(CommandFailed, match="TOML syntax error"):
        load_or_fail(site / "checks.toml", site / "state")


def test_a_good_file_is_used_as_it_is_even_with_unreadable_secrets(site: Path) -> None:
    publish_config(load_config(site / "checks.toml", resolve_secrets=False), site / "state", time.time())
    (site / "checks.toml").write_text(ROOM.format(name="room two"))
    (site / "secrets" / "ups.community").unlink()
    assert load_or_fail(site / "checks.toml", site / "state").parsed.site.name == "room two"


def test_an_attached_console_takes_the_room_the_poller_publishes_after_a_reload(site: Path) -> None:
    state = site / "state"
    first = load_config(site / "checks.toml", resolve_secrets=False)
    publish_config(first, state, 1000.0)
    room, problems = room_of(first)
    assert room is not None, problems
    with Store.open(state) as store:
        source = StoreSource(room, store, Identity(user="viewer"), "viewer")
        assert source.snapshot(2000.0).status.site == "room one"
        (site / "checks.toml").write_text(ROOM.format(name="room two"))
        publish_config(load_config(site / "checks.toml", resolve_secrets=False), state, 3000.0)
        assert source.snapshot(4000.0).status.site == "room two"
        assert source.room.config.parsed.site.name == "room two"


def test_a_publication_is_written_atomically_over_the_previous_one(site: Path) -> None:
    config = load_config(site / "checks.toml", resolve_secrets=False)
    publish_config(config, site / "state", 1.0)
    before = published_stamp(site / "state")
    publish_config(config, site / "state", 2.0)
    after = published_stamp(site / "state")
    assert before is not None
    assert after is not None
    assert before[0] != after[0]  # a new inode: renamed over, never rewritten in place
    assert [path.name for path in published_path(site / "state").parent.iterdir()] == ["checks.json"]
