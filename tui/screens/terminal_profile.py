"""Which terminal profile a session gets: remote (SSH) or local, 16 colours or more, symbols or ASCII. Imports no
Textual.

Textual reads `TEXTUAL_FPS` and `ESCDELAY` once, when it is first imported, so the command line calls
`prepare_environment` before importing the console (`tui.app`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping

REMOTE_ENVIRONMENT: Mapping[str, str] = {
    "TEXTUAL_FPS": "20",  # at most 20 frames a second over a slow, recorded link (Textual's default is 60)
    "ESCDELAY": "300",  # ms before a lone ESC is the Escape key, so slow-link escape sequences still parse
}


def is_remote_session(environ: Mapping[str, str] | None = None) -> bool:
    """True inside an SSH session (SSH_CONNECTION, SSH_CLIENT or SSH_TTY set)."""
    environ = os.environ if environ is None else environ
    return bool(environ.get("SSH_CONNECTION") or environ.get("SSH_CLIENT") or environ.get("SSH_TTY"))


def terminal_has_16_colors(environ: Mapping[str, str] | None = None) -> bool:
    """True when TERM names a terminal without 256 colours and COLORTERM claims nothing better."""
    environ = os.environ if environ is None else environ
    term = environ.get("TERM", "")
    if environ.get("COLORTERM") in ("truecolor", "24bit") or "256" in term or not term:
        return False
    return term.startswith(("xterm", "linux", "screen", "vt", "putty", "tmux", "rxvt", "ansi"))


ASCII_TERMINALS = ("linux", "vt100", "vt102", "vt220", "vt320")
"""TERM values whose terminals lack the state symbols (✖ ▲ ◌ ⊘): the Linux kernel console's font has a few hundred
glyphs, the VTs only ASCII and line drawing."""


def terminal_needs_ascii(environ: Mapping[str, str] | None = None) -> bool:
    """True when TERM names a terminal that cannot draw the console's symbols (`linux`, `linux-16color`, `vt220`)."""
    environ = os.environ if environ is None else environ
    term = environ.get("TERM", "")
    return term in ASCII_TERMINALS or term.startswith(tuple(f"{name}-" for name in ASCII_TERMINALS))


def prepare_environment(remote: bool | None = None, environ: MutableMapping[str, str] | None = None) -> bool:
    """Set Textual's import-time knobs for a remote session (values already set win); returns `remote`."""
    environ = os.environ if environ is None else environ
    remote = is_remote_session(environ) if remote is None else remote
    if remote:
        for name, value in REMOTE_ENVIRONMENT.items():
            environ.setdefault(name, value)
    return remote
