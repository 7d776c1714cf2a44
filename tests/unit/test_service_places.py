"""Where serve and its clients find checks.toml, the state directory and the socket: the command line, the
environment, `[service]` in checks.toml, systemd's directories, then the working directory."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.config.problems import ConfigError
from tui.cli.common import client_socket, default_config, default_state, service_socket

SYSTEMD = {
    "CONFIGURATION_DIRECTORY": "/etc/dutyroom",
    "STATE_DIRECTORY": "/var/lib/dutyroom",
    "RUNTIME_DIRECTORY": "/run/dutyroom",
}


def test_under_systemd_serve_defaults_to_the_units_directories() -> None:
    assert default_config(SYSTEMD) == Path("/etc/dutyroom/checks.toml")
    assert default_state(SYSTEMD) == Path("/var/lib/dutyroom")
    assert service_socket(argparse.Namespace(state=Path("/var/lib/dutyroom")), SYSTEMD) == Path(
        "/run/dutyroom/api.sock"
    )


def test_outside_systemd_the_working_directory_and_dutyroom_variables_count() -> None:
    assert (default_config({}), default_state({})) == (Path("checks.toml"), Path(".state"))
    mine = {**SYSTEMD, "DUTYROOM_CONFIG": "/srv/room/checks.toml", "DUTYROOM_STATE": "/srv/room/state"}
    assert (default_config(mine), default_state(mine)) == (Path("/srv/room/checks.toml"), Path("/srv/room/state"))


def test_the_socket_the_command_line_then_the_environment_then_checks_toml_then_systemd() -> None:
    given = argparse.Namespace(state=Path("/s"), socket=Path("/given.sock"))
    unset = argparse.Namespace(state=Path("/s"), socket=None)
    env = {**SYSTEMD, "DUTYROOM_SOCKET": "/env.sock"}

    assert service_socket(given, env, configured="/toml.sock") == Path("/given.sock")
    assert service_socket(unset, env, configured="/toml.sock") == Path("/env.sock")
    assert service_socket(unset, SYSTEMD, configured="/toml.sock") == Path("/toml.sock")
    assert service_socket(unset, {}, configured="") == Path("/s/api.sock")
    assert client_socket(unset, {}, configured="/toml.sock") == Path("/toml.sock")
    assert client_socket(unset, {}) == Path("/s/api.sock")


def test_the_service_table_is_read_and_its_mistakes_are_placed(tmp_path: Path) -> None:
    path = tmp_path / "checks.toml"
    path.write_text('[site]\nname = "x"\n\n[service]\nsocket = "/run/duty/api.sock"\nsocket_group = "duty"\n')
    service = load_config(path, resolve_secrets=False).parsed.service
    assert (service.socket, service.socket_group) == ("/run/duty/api.sock", "duty")

    path.write_text('[site]\nname = "x"\n\n[service]\nsocket = "run/api.sock"\nsocket_group = "duty team"\n')
    with pytest.raises(ConfigError) as bad:
        load_config(path, resolve_secrets=False)
    lines = str(bad.value).splitlines()
    assert lines[0].startswith(f"{path}:5:10: "), lines
    assert "service.socket" in lines[0]
    assert lines[1].startswith(f"{path}:6:16: "), lines
    assert "service.socket_group" in lines[1]

    path.write_text('[site]\nname = "x"\n\n[service]\nsockets = "/run/api.sock"\n')
    with pytest.raises(ConfigError, match=r":5:1: unknown key 'sockets' in \[service\]"):
        load_config(path, resolve_secrets=False)
