"""The sign-off section: found again in a written file (md or txt, en or zh), signatures read from actions."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from dutyroom.config.load import load_config
from dutyroom.handover.signoff import content_digest, signatures_for, split_signed_file
from dutyroom.handover.writer import HandoverError, sign_handover, write_handover
from dutyroom.model import Identity
from dutyroom.operators.actions import ActionRefused
from dutyroom.playbooks.library import PlaybookLibrary
from dutyroom.room import Room
from dutyroom.store.database import Store

CONFIG = '[site]\nname = "Sign-off"\nlanguage = "{lang}"\n'
ALICE = Identity("alice")
BOB = Identity("bob")


def room_in(tmp_path: Path, lang: str) -> Room:
    path = tmp_path / "checks.toml"
    path.write_text(CONFIG.format(lang=lang))
    return Room(load_config(path), PlaybookLibrary())


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_sign_keeps_the_body_and_adds_both_names(tmp_path: Path, lang: str, fmt: str) -> None:
    room = room_in(tmp_path, lang)
    with Store.open(tmp_path / "state") as store:
        written = write_handover(room, store, time.time(), actor=ALICE, fmt=fmt)
        split = split_signed_file(written.text, fmt)
        assert split is not None
        body, found_lang = split
        assert found_lang == lang
        assert written.text.startswith(body)
        first = sign_handover(room, store, time.time(), actor=ALICE, path=written.path)
        second = sign_handover(room, store, time.time(), actor=BOB, path=written.path)
        with pytest.raises(ActionRefused, match="already signed by both"):
            sign_handover(room, store, time.time(), actor=Identity("carol"), path=written.path)
        actions = store.actions_after(0)
    assert (first.role, second.role) == ("outgoing", "incoming")
    signed = written.path.read_text(encoding="utf-8")
    assert signed.startswith(body)
    assert "alice" in signed[len(body) :]
    assert "bob" in signed[len(body) :]
    signatures = signatures_for(actions, written.path.name)
    assert [(signature.person, signature.role) for signature in signatures] == [
        ("alice", "outgoing"),
        ("bob", "incoming"),
    ]
    assert {signature.digest for signature in signatures} == {content_digest(body)}
    assert split_signed_file(signed, fmt) == (body, lang)


def test_an_empty_shift_is_quiet(tmp_path: Path) -> None:
    with Store.open(tmp_path / "state") as store:
        written = write_handover(room_in(tmp_path, "en"), store, time.time(), actor=ALICE, fmt="txt")
    assert "* Verdict: quiet shift" in written.text
    assert "Open alerts (0)" in written.text


def test_a_file_changed_between_signatures_says_so(tmp_path: Path) -> None:
    room = room_in(tmp_path, "en")
    with Store.open(tmp_path / "state") as store:
        written = write_handover(room, store, time.time(), actor=ALICE)
        sign_handover(room, store, time.time(), actor=ALICE, path=written.path)
        text = written.path.read_text(encoding="utf-8")
        written.path.write_text(text.replace("Collector health", "Collector health (edited)"), encoding="utf-8")
        sign_handover(room, store, time.time(), actor=BOB, path=written.path)
    assert "The content changed between the two signatures." in written.path.read_text(encoding="utf-8")


def test_a_file_without_a_sign_off_section_is_not_signed(tmp_path: Path) -> None:
    room = room_in(tmp_path, "en")
    stranger = tmp_path / "handover-20260101T000000-day.md"
    stranger.write_text("# not ours\n\nSign-off\n")
    with Store.open(tmp_path / "state") as store, pytest.raises(HandoverError, match="not a handover file"):
        sign_handover(room, store, time.time(), actor=ALICE, path=stranger)
    assert split_signed_file("body\n\nSign-off\n--------\n", "txt") == ("body\n", "en")
    assert split_signed_file("body\n  Sign-off\n--------\n", "txt") is None


def test_plain_text_under_an_md_name_is_still_signed(tmp_path: Path) -> None:
    room = room_in(tmp_path, "en")
    out = tmp_path / "shift.md"
    with Store.open(tmp_path / "state") as store:
        write_handover(room, store, time.time(), actor=ALICE, fmt="txt", out=out)
        sign_handover(room, store, time.time(), actor=ALICE, path=out)
    text = out.read_text(encoding="utf-8")
    assert "Sign-off\n--------" in text
    assert "* Outgoing: alice, signed" in text
