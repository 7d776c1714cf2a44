"""`GET /v1/playbook?id=ID&lang=L` (issue 17): a room's playbook as its file's text, so a seat with no copy of
the room's playbooks (a laptop, a bastion) reads the one the room itself follows."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_service_api import T0, ask

from collectors.service.api.changes import ChangeFeed
from collectors.service.api.routes import ServiceRoutes
from dutyroom.config.load import load_config
from dutyroom.playbooks.library import read_playbooks
from dutyroom.room import Room
from dutyroom.store.database import Store
from dutyroom.views.wire import decode
from dutyroom.views.wire_playbooks import PlaybookAnswer
from tui.service_client import ServiceClient, ServiceRefused, ServiceUnreachable
from tui.site_playbooks import SitePlaybooks, playbook_of_answer

SHIPPED = Path(__file__).resolve().parents[2] / "playbooks"


@pytest.fixture
def routes(tmp_path: Path) -> Iterator[ServiceRoutes]:
    for lang in ("en", "zh"):
        (tmp_path / "playbooks" / lang).mkdir(parents=True)
        shutil.copy(SHIPPED / lang / "disk-full.md", tmp_path / "playbooks" / lang)
    (tmp_path / "checks.toml").write_text('[site]\nname = "room"\n', encoding="utf-8")
    library, problems = read_playbooks(tmp_path / "playbooks")
    assert problems == []
    room = Room(load_config(tmp_path / "checks.toml", resolve_secrets=False), library)
    with Store.open(tmp_path / "state") as store:
        yield ServiceRoutes(lambda: room, store, ChangeFeed(), clock=lambda: T0)


def test_a_playbook_is_its_files_text_in_the_language_asked(routes: ServiceRoutes) -> None:
    status, answer = ask(routes, "GET", "/v1/playbook?id=disk-full&lang=zh")
    assert status == 200, answer
    assert isinstance(answer, dict)
    assert (answer["id"], answer["lang"]) == ("disk-full", "zh")
    assert answer["text"] == (SHIPPED / "zh" / "disk-full.md").read_text(encoding="utf-8")


def test_the_text_reads_back_into_the_same_playbook(routes: ServiceRoutes) -> None:
    status, answer = ask(routes, "GET", "/v1/playbook?id=disk-full&lang=en")
    assert status == 200
    playbook = playbook_of_answer(decode(json.dumps(answer).encode(), PlaybookAnswer))
    expected = read_playbooks(SHIPPED)[0].get("disk-full", "en")
    assert playbook is not None
    assert expected is not None
    assert (playbook.id, playbook.title, playbook.steps) == (expected.id, expected.title, expected.steps)


@pytest.mark.parametrize(
    ("query", "status", "says"),
    [
        ("id=no-such-playbook", 404, "no playbook 'no-such-playbook'"),
        ("id=../etc/passwd", 400, "not a playbook id"),
        ("", 400, "not a playbook id"),
        ("id=disk-full&lang=fr", 400, "en or zh"),
    ],
)
def test_what_is_not_a_playbook_here_says_why(routes: ServiceRoutes, query: str, status: int, says: str) -> None:
    got, answer = ask(routes, "GET", f"/v1/playbook?{query}")
    assert got == status
    assert says in str(answer)


def test_only_get(routes: ServiceRoutes) -> None:
    assert ask(routes, "POST", "/v1/playbook?id=disk-full", {})[0] == 405


class FakeSite(ServiceClient):
    """A site's service as the seat sees it: the shipped playbooks, or a refusal, or nothing at all."""

    def __init__(self) -> None:
        super().__init__(Path("/nonexistent/api.sock"))
        self.asked = 0
        self.down = False

    def playbook(self, playbook_id: str, lang: str) -> PlaybookAnswer:
        self.asked += 1
        if self.down:
            raise ServiceUnreachable("ssh: connect to host dr port 22: Connection refused")
        path = SHIPPED / lang / f"{playbook_id}.md"
        if not path.exists():
            raise ServiceRefused(404, f"no playbook '{playbook_id}' in this room")
        return PlaybookAnswer(id=playbook_id, lang=lang, text=path.read_text(encoding="utf-8"))


def test_a_sites_playbooks_are_asked_once_a_while_and_what_is_missing_says_why() -> None:
    site, now = FakeSite(), [0.0]
    playbooks = SitePlaybooks("SH-DR", site, clock=lambda: now[0], keep_s=60.0)
    found = playbooks.get("disk-full", "zh")
    assert found is not None
    assert (found.id, found.lang) == ("disk-full", "zh")
    assert playbooks.get("disk-full", "zh") is found
    assert site.asked == 1
    assert playbooks.get("no-such", "en") is None
    assert playbooks.unavailable("no-such", "en") == (
        "playbook no-such not available from SH-DR (no playbook 'no-such' in this room)"
    )
    assert playbooks.unavailable("disk-full", "zh") == ""
    site.down, now[0] = True, 61.0
    assert playbooks.get("disk-full", "zh") is None
    assert "not available from SH-DR (ssh: connect to host dr" in playbooks.unavailable("disk-full", "zh")
