"""The service API's playbook message (docs/api.md, "Playbooks"): one playbook as its file's text.

The text, not a parsed form: the file is the one shape of a playbook, so a seat reads what a site sends with
the same reader as its own files (`dutyroom.playbooks.file.read_playbook_text`), problems and all.
"""

from __future__ import annotations

import msgspec


class PlaybookAnswer(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    """GET /v1/playbook?id=ID&lang=L: the playbook in `lang` (or its other translation) as the room has it."""

    id: str
    lang: str
    """The language of `text`: the one asked for, or the other when the room has no such translation."""
    text: str
