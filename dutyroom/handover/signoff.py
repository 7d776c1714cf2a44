"""Sign-off of a handover file: who handed over and who took over, when, and the content each signed.

A signature is an operator action (`handover-sign`, payload: file name, role, sha256 of the content above
the sign-off section), so it is in the hash-chained audit log. The file keeps its content and gets a new
sign-off section, always its last section; a file edited between the two signatures shows it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import get_args
from zoneinfo import ZoneInfo

from dutyroom.config.types import Language
from dutyroom.documents.model import Block, Bullets, Heading, Item, Paragraph
from dutyroom.documents.render import render_blocks
from dutyroom.documents.scrub import Scrubber
from dutyroom.documents.wording import Wording
from dutyroom.playbooks.run_state import person_of
from dutyroom.store.records import StoredAction

SIGN_KIND = "handover-sign"
OUTGOING, INCOMING = "outgoing", "incoming"
LANGUAGES: tuple[Language, ...] = get_args(Language)
"""The languages a sign-off heading can be written in, hence looked for."""


@dataclass(frozen=True, slots=True)
class Signature:
    role: str
    who: str
    person: str
    at: float
    digest: str
    action_id: int


def content_digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def signatures_for(actions: Iterable[StoredAction], file_name: str) -> list[Signature]:
    """The signatures recorded for `file_name`, the first of each role only, in the order signed."""
    found: dict[str, Signature] = {}
    for action in actions:
        if action.kind != SIGN_KIND or action.payload.get("file") != file_name:
            continue
        role = str(action.payload.get("role", ""))
        if role in (OUTGOING, INCOMING) and role not in found:
            found[role] = Signature(
                role,
                action.actor.describe(),
                person_of(action.actor),
                action.at,
                str(action.payload.get("sha256", "")),
                action.id,
            )
    return sorted(found.values(), key=lambda signature: signature.action_id)


def signoff_blocks(words: Wording, scrub: Scrubber, signatures: list[Signature]) -> list[Block]:
    by_role = {signature.role: signature for signature in signatures}
    items = []
    for role, key, missing in (
        (OUTGOING, "sign.outgoing", "sign.missing_out"),
        (INCOMING, "sign.incoming", "sign.missing_in"),
    ):
        signature = by_role.get(role)
        if signature is None:
            items.append(Item(words(missing)))
        else:
            line = words(key, who=scrub(signature.who, 80), at=words.stamp(signature.at))
            items.append(Item(line, (words("sign.digest", digest=signature.digest[:16]),)))
    blocks: list[Block] = [Heading(words("section.signoff")), Bullets(tuple(items))]
    digests = {signature.digest for signature in signatures}
    if len(digests) > 1:
        blocks.append(Paragraph(words("sign.changed")))
    if len(by_role) < 2:
        blocks.append(Paragraph(words("sign.how")))
    return blocks


def render_signoff(words: Wording, scrub: Scrubber, signatures: list[Signature], fmt: str, ambiguous_wide: bool) -> str:
    return render_blocks(signoff_blocks(words, scrub, signatures), fmt, ambiguous_wide=ambiguous_wide)


def split_signed_file(text: str, fmt: str) -> tuple[str, str] | None:
    """(content above the sign-off section, its language), or None when the file has no sign-off section."""
    lines = text.splitlines(keepends=True)
    headings = {
        lang: render_blocks([Heading(Wording(lang, ZoneInfo("UTC"))("section.signoff"))], fmt).splitlines(keepends=True)
        for lang in LANGUAGES
    }
    for index in range(len(lines) - 1, 0, -1):
        for lang, heading in headings.items():
            if lines[index : index + len(heading)] == heading and lines[index - 1] == "\n":
                body = "".join(lines[: index - 1])
                return body, lang
    return None
