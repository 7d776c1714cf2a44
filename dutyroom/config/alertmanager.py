"""Checks of the `[alertmanager]` table that its types cannot express: URLs, durations, the basic-auth secret,
and a room reading back the Alertmanager it sends to when what it sends cannot carry the mark that keeps it out."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from dutyroom.config.durations import DurationError, parse_duration
from dutyroom.config.secrets import secret_problem
from dutyroom.config.types import Alertmanager, AlertmanagerTarget, Config
from dutyroom.model import SENT_MARK_LABEL

Problem = tuple[tuple[str | int, ...], str]
"""(key path under checks.toml, message)."""


def alertmanager_problems(
    section: Alertmanager, base_dir: Path, environ: Mapping[str, str] | None, *, resolve_secrets: bool
) -> list[Problem]:
    """Every problem of the table, each at its key."""
    problems: list[Problem] = []
    for index, url in enumerate(section.urls):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            problems.append((("alertmanager", "urls", index), f"'{url}' is not an http:// or https:// URL"))
        elif parts.username or parts.password:
            problems.append((("alertmanager", "urls", index), "put credentials in 'username' and 'password'"))
    for key in ("resend_interval", "timeout", "ack_silence_for"):
        text = getattr(section, key)
        if key == "ack_silence_for" and not text:
            continue
        try:
            if parse_duration(text) <= 0:
                problems.append((("alertmanager", key), f"'{key}' must be longer than 0s"))
        except DurationError as error:
            problems.append((("alertmanager", key), str(error)))
    if section.ack_silence_for and not section.mirror_silences:
        problems.append((("alertmanager", "ack_silence_for"), "'ack_silence_for' needs 'mirror_silences = true'"))
    if (section.password is None) != (not section.username):
        problems.append((("alertmanager",), "basic auth needs both 'username' and 'password'"))
    if section.password is not None and resolve_secrets:
        problem = secret_problem(section.password, base_dir, environ)
        if problem:
            problems.append((("alertmanager", "password"), problem))
    if section.ca_file and not (base_dir / section.ca_file).is_file():
        problems.append((("alertmanager", "ca_file"), f"CA file {base_dir / section.ca_file} does not exist"))
    return problems


def read_back_problems(config: Config) -> list[Problem]:
    """An empty site name where a target reads an Alertmanager the room also sends to, at the name.

    What `serve` sends carries the site's name as the `dutyroom_site` mark, by which Alertmanager sources leave
    dutyroom's own alerts out; Alertmanager drops a label whose value is empty, so without a name the room's
    alerts would come back through its own source as new ones. URLs compare by scheme, host, port and path
    as written (a name and an address of the same host are not matched).
    """
    section = config.alertmanager
    if section is None or config.site.name:
        return []
    destinations = {_same_place(url) for url in section.urls}
    for target in config.target:
        if isinstance(target, AlertmanagerTarget) and _same_place(target.url) in destinations:
            message = (
                f"target '{target.id}' reads the Alertmanager at {target.url} that alerts are sent to, and without a"
                f" site name they carry no '{SENT_MARK_LABEL}' mark: they would come back as new alerts; name the"
                " site"
            )
            return [(("site", "name"), message)]
    return []


def _same_place(url: str) -> tuple[str, str, int | None, str]:
    parts = urlsplit(url)
    try:
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    except ValueError:  # a port out of range: reported as a bad URL elsewhere
        port = None
    return parts.scheme.lower(), (parts.hostname or "").lower(), port, parts.path.rstrip("/")
