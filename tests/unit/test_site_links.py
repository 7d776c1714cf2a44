"""Sites as `NAME=URL` (issue 17): what a link may name, and the ssh command that carries a remote site."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from tui.site_links import (
    LinkKind,
    SiteLinkInvalid,
    parse_site_link,
    parse_site_links,
    ssh_argv,
)


def test_a_state_directory_a_socket_and_an_ssh_url_are_sites(tmp_path: Path) -> None:
    assert parse_site_link(f"main={tmp_path}").kind is LinkKind.STATE
    assert parse_site_link(f"main={tmp_path / 'api.sock'}").kind is LinkKind.SOCKET
    remote = parse_site_link("SH-DR=ssh://duty@dr.example:2222/run/dutyroom/api.sock")
    assert (remote.kind, remote.user, remote.host, remote.port) == (LinkKind.SSH, "duty", "dr.example", 2222)
    assert remote.path == Path("/run/dutyroom/api.sock")
    assert parse_site_link("dr=ssh://dr.example/run/dutyroom/api.sock").user == ""


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("no-equals", "NAME=URL"),
        ("main=", "NAME=URL"),
        ("bad name=/x", "name"),
        ("x=http://host/api.sock", "only ssh://"),
        ("x=ssh://host", "absolute"),
        ("x=ssh://host:99999/api.sock", "port"),
        ("x=ssh://u:pw@host/api.sock", "password"),
    ],
)
def test_a_bad_site_says_why_in_one_line(text: str, says: str) -> None:
    with pytest.raises(SiteLinkInvalid, match=says) as raised:
        parse_site_link(text)
    assert "\n" not in str(raised.value)


def test_a_site_is_named_once() -> None:
    with pytest.raises(SiteLinkInvalid, match="twice"):
        parse_site_links(["a=/x.sock", "a=/y.sock"])


def test_the_ssh_command_runs_the_remote_bridge_without_prompting() -> None:
    link = parse_site_link("dr=ssh://duty@dr.example:2222/run/dutyroom/api.sock")
    argv = ssh_argv(link, {"DUTYROOM_SSH_COMMAND": "ssh -i /k", "DUTYROOM_REMOTE_COMMAND": "/opt/dr/bin/dutyroom"})
    assert argv[:3] == ["ssh", "-i", "/k"]
    assert "BatchMode=yes" in argv
    assert argv[argv.index("-p") + 1] == "2222"
    assert argv[-2:] == ["duty@dr.example", "/opt/dr/bin/dutyroom api-bridge --socket /run/dutyroom/api.sock"]
    assert ssh_argv(link, {})[0] == "ssh"


def test_the_bridge_relays_both_ways_and_passes_the_end_of_input_on() -> None:
    from tui.cli.api_bridge import relay

    service, bridge_side = socket.socketpair()
    ours_in, bridge_in = socket.socketpair()
    bridge_out, ours_out = socket.socketpair()
    with service, bridge_side, ours_in, bridge_in, bridge_out, ours_out:
        for end in (service, ours_out):
            end.settimeout(10)
        relaying = threading.Thread(target=relay, args=(bridge_in.fileno(), bridge_out.fileno(), bridge_side))
        relaying.start()
        ours_in.sendall(b"GET /v1/version")
        ours_in.shutdown(socket.SHUT_WR)
        assert service.recv(100) == b"GET /v1/version"
        assert service.recv(100) == b""  # the end of input reached the service as a half-close
        service.sendall(b"HTTP/1.1 200 OK")
        service.shutdown(socket.SHUT_WR)
        assert ours_out.recv(100) == b"HTTP/1.1 200 OK"
        relaying.join(timeout=10)
        assert not relaying.is_alive()  # the service's end ends the bridge


def test_a_broken_link_says_what_ssh_said_made_safe_to_show() -> None:
    from tui.service_client import ServiceUnreachable
    from tui.site_links import open_site

    link = parse_site_link("dr=ssh://duty@dr.example/run/dutyroom/api.sock")
    fake_ssh = "sh -c 'printf \"\\033[2Jssh: Permission denied (publickey).\\n\" >&2' ssh"
    client = open_site(link, {"DUTYROOM_SSH_COMMAND": fake_ssh}, timeout_s=10)
    assert client is not None
    with client, pytest.raises(ServiceUnreachable) as raised:
        client.version()
    said = str(raised.value)
    assert said == "ssh://duty@dr.example/run/dutyroom/api.sock: \\x1b[2Jssh: Permission denied (publickey)."
    assert "\x1b" not in said
