"""Sites: named links to the `dutyroom serve` of each machine room, so one seat watches all of them (issue 17).

A link is `NAME=URL`, the URL being a local socket path, a state directory (its `api.sock`), or
`ssh://[user@]host[:port]/path/to/api.sock`. Over SSH the link runs `dutyroom api-bridge` on the remote host,
which relays the API between its standard input/output and the remote socket: the bridge process is the SSH
login user, so the remote service names that person from the kernel (SO_PEERCRED), as it names a local caller,
with no forwarded socket left on either host (docs/api.md, "Sites"). The same links come from a seat's
`[[site_link]]` (`dutyroom.config.site_links`, which reads names and URLs for both), with their ssh options.

Standard library only at module level: `dutyroom alerts --site` stays a one-liner.
"""

from __future__ import annotations

import http.client
import os
import shlex
import socket
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, TypeVar

import msgspec

from dutyroom.config.site_links import SITE_NAME as SITE_NAME  # the console reads these here
from dutyroom.config.site_links import SiteLinkEntry, check_site_name, read_site_url, ssh_options
from dutyroom.config.site_links import SiteLinkInvalid as SiteLinkInvalid
from dutyroom.textclean import clean_text
from tui.service_client import TIMEOUT_S, ServiceClient, ServiceUnreachable, connect

T = TypeVar("T")

SOCKET_NAME = "api.sock"
SSH_COMMAND_VARIABLE = "DUTYROOM_SSH_COMMAND"
"""The ssh to run (as git's GIT_SSH_COMMAND): default `ssh`; options such as `-i KEY` go here or in ~/.ssh/config."""
REMOTE_COMMAND_VARIABLE = "DUTYROOM_REMOTE_COMMAND"
"""How to run dutyroom on the remote host: default `dutyroom` (found on the login user's PATH)."""
SSH_STOP_S = 2.0
"""How long a closed link's ssh may take to leave before it is killed."""


class LinkKind(StrEnum):
    SOCKET = "socket"
    STATE = "state"
    SSH = "ssh"


@dataclass(frozen=True)
class SiteLink:
    """One site: its name (the site column and banner) and where its service answers."""

    name: str
    url: str
    kind: LinkKind
    path: Path
    """The local socket or state directory; over SSH, the socket on the remote host."""
    host: str = ""
    user: str = ""
    port: int | None = None
    ssh_options: tuple[str, ...] = ()
    """From `[[site_link]]` (`dutyroom.config.site_links.ssh_options`): a key file, a jump host, a timeout."""


def parse_site_link(text: str) -> SiteLink:
    """`NAME=URL` as a SiteLink; SiteLinkInvalid says what is wrong with it."""
    name, equals, url = text.partition("=")
    if not equals or not url:
        raise SiteLinkInvalid(f"{text!r}: a site is NAME=URL (a socket, a state directory or ssh://user@host/sock)")
    return site_link(name, url)


def site_link(name: str, url: str, ssh_options: tuple[str, ...] = ()) -> SiteLink:
    """The site `name` at `url`: a local path is a state directory when it is one now, else a socket."""
    check_site_name(name)
    address = read_site_url(url)
    if address.host:
        return SiteLink(name, url, LinkKind.SSH, address.path, address.host, address.user, address.port, ssh_options)
    return SiteLink(name, url, LinkKind.STATE if address.path.is_dir() else LinkKind.SOCKET, address.path)


def parse_site_links(texts: list[str]) -> list[SiteLink]:
    """Every `--site`, each name once."""
    return _named_once([parse_site_link(text) for text in texts])


def configured_site_links(entries: Sequence[SiteLinkEntry], base_dir: Path) -> list[SiteLink]:
    """checks.toml's `[[site_link]]` (checked when it loaded) as links; key files are relative to `base_dir`."""
    return _named_once([site_link(entry.name, entry.url, ssh_options(entry, base_dir)) for entry in entries])


def _named_once(links: list[SiteLink]) -> list[SiteLink]:
    seen: set[str] = set()
    for link in links:
        if link.name in seen:
            raise SiteLinkInvalid(f"site {link.name!r} is given twice")
        seen.add(link.name)
    return links


def open_site(
    link: SiteLink, environ: Mapping[str, str] | None = None, *, timeout_s: float = TIMEOUT_S
) -> ServiceClient | None:
    """A client of the site's service; None when a local socket has nobody listening (no serve there).

    Over SSH nothing is started until the first request; a link that fails then is ServiceUnreachable.
    """
    env = os.environ if environ is None else environ
    if link.kind is LinkKind.SSH:
        return SshSiteClient(link, env, timeout_s=timeout_s)
    socket_path = link.path / SOCKET_NAME if link.kind is LinkKind.STATE else link.path
    client = connect(socket_path, env)
    if client is not None:
        client.timeout_s = timeout_s
    return client


def ssh_argv(link: SiteLink, environ: Mapping[str, str]) -> list[str]:
    """The ssh command that runs the remote bridge: BatchMode, so a missing key fails instead of prompting."""
    ssh = shlex.split(environ.get(SSH_COMMAND_VARIABLE, "") or "ssh")
    remote = shlex.split(environ.get(REMOTE_COMMAND_VARIABLE, "") or "dutyroom")
    destination = f"{link.user}@{link.host}" if link.user else link.host
    port = ["-p", str(link.port)] if link.port else []
    bridge = shlex.join([*remote, "api-bridge", "--socket", str(link.path)])
    return [*ssh, "-T", "-o", "BatchMode=yes", *port, *link.ssh_options, "--", destination, bridge]


class SshSiteClient(ServiceClient):
    """A client of a remote service through `dutyroom api-bridge` over ssh; its failures say what ssh said."""

    def __init__(self, link: SiteLink, environ: Mapping[str, str], *, timeout_s: float) -> None:
        self.link = link
        self.bridge = SshBridgeConnection(ssh_argv(link, environ), timeout_s)
        super().__init__(link.path, environ, timeout_s=timeout_s, connection=self.bridge)

    def _call(
        self, method: str, path: str, kind: type[T], body: msgspec.Struct | None = None, *, extra_s: float = 0.0
    ) -> T:
        try:
            return super()._call(method, path, kind, body, extra_s=extra_s)
        except ServiceUnreachable as error:
            why = self.bridge.ssh_said or str(error)  # ssh's own words say more than a reset connection
            raise ServiceUnreachable(f"{self.link.url}: {why}") from None


class SshBridgeConnection(http.client.HTTPConnection):
    """The API over an ssh process's standard input/output (a socket pair), restarted on the next request after
    it broke: the reconnection of a lost site is just the next read."""

    def __init__(self, argv: list[str], timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.argv = argv
        self._process: subprocess.Popen[bytes] | None = None
        self._errors: IO[bytes] | None = None
        self.ssh_said = ""
        """The last line ssh (or the remote bridge) wrote on its standard error: why the link broke."""

    def connect(self) -> None:
        self._stop_ssh()
        ours, theirs = socket.socketpair()
        errors = tempfile.TemporaryFile()  # noqa: SIM115 - kept for the ssh process; what ssh says when it fails
        try:
            self._process = subprocess.Popen(
                self.argv, stdin=theirs.fileno(), stdout=theirs.fileno(), stderr=errors, start_new_session=True
            )
        except OSError as error:
            ours.close()
            errors.close()
            raise ServiceUnreachable(f"cannot run {self.argv[0]}: {error.strerror or error}") from None
        finally:
            theirs.close()
        self._errors = errors
        ours.settimeout(self.timeout)
        self.sock = ours

    def close(self) -> None:
        super().close()
        self._stop_ssh()

    def _stop_ssh(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            try:
                process.wait(timeout=SSH_STOP_S)  # our end is closed: the bridge sees EOF and ssh leaves
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=SSH_STOP_S)
        if self._errors is not None:
            self._errors.seek(0)
            lines = self._errors.read()[-4096:].decode("utf-8", "replace").strip().splitlines()
            self.ssh_said = clean_text(lines[-1], 300) if lines else self.ssh_said  # the remote host's words
            self._errors.close()
            self._errors = None
