"""`GET /v1/playbook?id=ID&lang=L`: one of the room's playbooks as its file's text (issue 17).

A seat watching several rooms has no copy of their playbooks (and should not keep one that drifts): it asks
each room's service for the one its alert names. Playbooks are documents, readable by any caller of the socket,
like the room's alerts. Apart from `routes` so the shared module only delegates.
"""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from collectors.service.api.http_connection import Request, Response
from dutyroom.playbooks.file import PLAYBOOK_ID
from dutyroom.playbooks.schema import LANGUAGES
from dutyroom.room import Room
from dutyroom.views.wire import Problem, encode
from dutyroom.views.wire_playbooks import PlaybookAnswer

PLAYBOOK_PATH = "/v1/playbook"


class PlaybookRoutes:
    """Answers PLAYBOOK_PATH from the room in force (asked each time: a reload's playbooks apply)."""

    def __init__(self, room: Callable[[], Room]) -> None:
        self.room = room

    def answer(self, request: Request) -> Response:
        if request.method != "GET":
            return _answer(405, Problem(error=f"{request.method} is not allowed on {PLAYBOOK_PATH}"))
        playbook_id, lang = request.query.get("id", ""), request.query.get("lang", "")
        if not PLAYBOOK_ID.fullmatch(playbook_id):
            return _answer(400, Problem(error=f"{playbook_id!r} is not a playbook id"))
        if lang and lang not in LANGUAGES:
            return _answer(400, Problem(error=f"unknown language {lang!r} (use en or zh)"))
        room = self.room()
        playbook = room.playbooks.get(playbook_id, lang or room.config.parsed.site.language)
        if playbook is None:
            return _answer(404, Problem(error=f"no playbook '{playbook_id}' in this room"))
        try:
            text = playbook.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            return _answer(404, Problem(error=f"playbook '{playbook_id}' cannot be read here: {error}"))
        return _answer(200, PlaybookAnswer(id=playbook.id, lang=playbook.lang, text=text))


def _answer(status: int, message: msgspec.Struct) -> Response:
    return Response(status, encode(message))
