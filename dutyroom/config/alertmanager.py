"""Checks of the `[alertmanager]` table that its types cannot express: URLs, durations, the basic-auth secret."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from dutyroom.config.durations import DurationError, parse_duration
from dutyroom.config.secrets import secret_problem
from dutyroom.config.types import Alertmanager

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
