"""`[[site_link]]` in checks.toml (issue 17): the sites a seat watches, checked like every other table."""

from __future__ import annotations

from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.config.problems import ConfigError
from dutyroom.config.types import json_schema
from tui.cli.main import main
from tui.site_links import LinkKind, configured_site_links, ssh_argv

SEAT = """\
[site]
name = "duty seat"
language = "zh"

[[site_link]]
name = "SZ-MAIN"
url = "/run/dutyroom/api.sock"

[[site_link]]
name = "SH-DR"
url = "ssh://duty@dr.example:2222/run/dutyroom/api.sock"
identity_file = "keys/duty_ed25519"
jump_host = "ops@bastion.example:2200"
connect_timeout = "5s"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "checks.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text)
    try:
        load_config(path, environ={})
    except ConfigError as error:
        return [str(problem).replace(str(path), "checks.toml") for problem in error.problems]
    return []


def test_a_seat_with_only_site_links_is_a_valid_config(tmp_path: Path) -> None:
    assert problems_of(tmp_path, SEAT) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            ('url = "/run/dutyroom/api.sock"', 'url = "http://room/api.sock"'),
            "checks.toml:7:7: 'http://room/api.sock': only ssh:// URLs, socket paths and state directories are sites",
            id="bad-scheme",
        ),
        pytest.param(
            ('name = "SH-DR"', 'name = "SZ-MAIN"'),
            "checks.toml:10:8: site 'SZ-MAIN' is given twice",
            id="duplicate-name",
        ),
        pytest.param(
            ('name = "SH-DR"', 'name = "SH:DR"'),
            "checks.toml:10:8: 'SH:DR': a site's name is up to 32 letters, digits, '-', '_' or '.'",
            id="colon-in-name",
        ),
        pytest.param(
            ("ssh://duty@dr.example:2222/run", "ssh://duty:pw@dr.example:2222/run"),
            "no password, query or fragment in a site's URL (keys come from ssh)",
            id="password-in-url",
        ),
        pytest.param(
            ('jump_host = "ops@bastion.example:2200"', 'jump_host = "-oProxyCommand=sh"'),
            "checks.toml:13:13: jump_host '-oProxyCommand=sh' is not [user@]host[:port][,...]",
            id="option-as-jump-host",
        ),
        pytest.param(
            ('connect_timeout = "5s"', 'connect_timeout = "soon"'),
            "checks.toml:14:19: bad duration 'soon' (use e.g. 30s, 5m, 1h30m, 365d)",
            id="bad-timeout",
        ),
        pytest.param(
            ('url = "/run/dutyroom/api.sock"', 'url = "/run/dutyroom/api.sock"\nidentity_file = "k"'),
            "checks.toml:8:1: identity_file, jump_host and connect_timeout are for ssh:// sites only",
            id="ssh-option-on-a-socket",
        ),
        pytest.param(
            ('connect_timeout = "5s"', 'connect_timeout = "5s"\npassword = "x"'),
            "checks.toml:15:1: unknown key 'password' in [site_link]",
            id="no-password-key",
        ),
    ],
)
def test_each_bad_site_link_names_its_place(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in SEAT
    problems = problems_of(tmp_path, SEAT.replace(old, new, 1))
    assert any(expected in problem for problem in problems), problems


def test_dutyroom_check_reports_a_bad_site_link_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, SEAT.replace('name = "SH-DR"', 'name = "SZ-MAIN"'))
    assert main(["check", "--config", str(path)]) == 1
    assert f"{path}:10:8: site 'SZ-MAIN' is given twice" in capsys.readouterr().out + capsys.readouterr().err


def test_the_schema_documents_site_link() -> None:
    definitions = json_schema()["$defs"]
    assert isinstance(definitions, dict)
    link = definitions["SiteLinkEntry"]
    assert set(link["required"]) == {"name", "url"}
    assert link["additionalProperties"] is False
    assert {"identity_file", "jump_host", "connect_timeout"} <= set(link["properties"])
    assert all(prop["description"] for prop in link["properties"].values())


def test_configured_links_carry_their_ssh_options_into_argv(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, SEAT), environ={})
    local, remote = configured_site_links(config.parsed.site_link, config.base_dir)
    assert (local.name, local.kind) == ("SZ-MAIN", LinkKind.SOCKET)
    assert (remote.name, remote.kind, remote.port) == ("SH-DR", LinkKind.SSH, 2222)
    argv = ssh_argv(remote, {})
    options = argv[: argv.index("--")]
    assert options[options.index("-i") + 1] == str(tmp_path / "keys" / "duty_ed25519")
    assert options[options.index("-J") + 1] == "ops@bastion.example:2200"
    assert "ConnectTimeout=5" in options
    assert argv[-2] == "duty@dr.example"


def test_a_seat_needs_no_playbooks_directory_to_pass_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, SEAT)
    assert not (tmp_path / "playbooks").exists()
    assert main(["check", "--config", str(path)]) == 0, capsys.readouterr().out
    room_without_links = write(tmp_path, '[site]\nname = "room"\n')
    assert main(["check", "--config", str(room_without_links)]) == 1  # a room still needs its playbooks
    assert "playbook directory not found" in capsys.readouterr().out
