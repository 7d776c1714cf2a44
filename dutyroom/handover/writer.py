"""The shift handover file: what the next shift must know, written atomically, signed by both operators.

Sections, in order: site, shift window, who was on duty, a one-line verdict, the next open and its pre-open
check; open alerts (each with its trading impact); alerts opened and resolved in the shift (and their ack
comments); playbook runs; silences and maintenance ending by the end of the next shift;
flapping, stale and unreachable targets; collector health; capacity headroom; notes for the next shift;
drills; sign-off. Markdown or plain text, English or Chinese, every line at most 80 cells (CJK counts two).

Files go to `site.handover_dir` under the state directory (created 0700) as
`handover-YYYYmmddTHHMMSS-<shift>.<md|txt>` unless `out` names one (`-`: standard output); a console
screenshot, when given, is written beside it as `<same name>.svg`. Files are 0600 (0640 in a setgid team
directory). Writing is atomic (`dutyroom.atomic`): on any failure the previous file is intact and the error
names the path. No config secret is ever written (`dutyroom.documents.scrub`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dutyroom.actions_model import HandoverNote, HandoverSign
from dutyroom.atomic import document_mode, write_atomically
from dutyroom.documents.capacity import capacity_rows
from dutyroom.documents.history import people, read_all_actions
from dutyroom.documents.model import Document, Item
from dutyroom.documents.render import render
from dutyroom.documents.scrub import Scrubber, configured_secrets
from dutyroom.documents.wording import Wording
from dutyroom.handover import alerts, pre_open, runs, status, verdict
from dutyroom.handover.audit_head import audit_head_text
from dutyroom.handover.context import HandoverContext, gather
from dutyroom.handover.shifts import ShiftWindow, handover_file_name, shift_window
from dutyroom.handover.signoff import (
    INCOMING,
    OUTGOING,
    content_digest,
    render_signoff,
    signatures_for,
    split_signed_file,
)
from dutyroom.model import Identity
from dutyroom.operators.actions import ActionRefused, ActionRequest, submit
from dutyroom.playbooks.run_state import person_of
from dutyroom.room import Room
from dutyroom.store.database import Store
from dutyroom.store.records import StoredAction
from dutyroom.textclean import clean_text

HANDOVER_NOTE = runs.HANDOVER_NOTE
AUDIT_KIND = "handover"
STANDARD_OUTPUT = Path("-")
"""`--out -`: the handover is returned for the caller to print, and no file is written."""


class HandoverError(Exception):
    """The handover could not be written or signed; the message names the file."""


@dataclass(frozen=True)
class HandoverResult:
    path: Path
    svg_path: Path | None
    window: ShiftWindow
    text: str


@dataclass(frozen=True)
class SignResult:
    path: Path
    role: str
    action: StoredAction | None
    """The signature recorded now; None when this operator had signed before (the file was refreshed)."""


def handover_directory(room: Room, store: Store) -> Path:
    return store.db_path.parent / room.config.parsed.site.handover_dir


def build_handover(
    room: Room, store: Store, now: float, *, actor: Identity, lang: str | None = None, shift_start: float | None = None
) -> tuple[Document, HandoverContext]:
    """The handover as a document (without its sign-off section) and what it was built from."""
    config = room.config
    site = config.parsed.site
    window = shift_window(site.shifts, config.timezone, now, shift_start=shift_start)
    words = Wording(lang or site.language, config.timezone)
    scrub = Scrubber(configured_secrets(config))
    ctx = gather(room, store, now, window, words, scrub)
    doc = Document(words("handover.title", site=scrub(site.name, 80)))
    shift_name = words("shift." + window.label) if window.label in ("day", "night") else window.label
    on_duty = people(ctx.history.operators()) or "-"
    header = [
        words("handover.site", site=scrub(site.name, 80)),
        words(
            "handover.shift",
            shift=shift_name,
            start=words.minute(window.start),
            end=words.minute(window.end),
            tz=config.timezone.key,
        ),
        words("handover.written", at=words.stamp(now), who=scrub(actor.describe(), 80)),
        words("handover.on_duty", names=scrub(on_duty, 400)),
        words("handover.roster", names=", ".join(scrub(name, 40) for name in site.roster) or "-"),
        words("handover.verdict", text=verdict.verdict(ctx)),
    ]
    if line := _next_open_line(ctx):
        header.append(line)
    doc.bullets([Item(line) for line in header])
    alerts.open_alerts(doc, ctx)
    alerts.opened_and_resolved(doc, ctx)
    runs.playbook_runs(doc, ctx)
    status.silences_ending(doc, ctx)
    status.troubled_targets(doc, ctx)
    status.collectors(doc, ctx)
    status.capacity(doc, ctx, capacity_rows(config, ctx.engine.checks.values(), store))
    runs.notes(doc, ctx)
    runs.drills(doc, ctx)
    return doc, ctx


def _next_open_line(ctx: HandoverContext) -> str:
    """When trading next opens and how far its pre-open check is; "" without a calendar."""
    words, scrub = ctx.words, ctx.scrub
    opening = pre_open.next_open(ctx.room.config.calendar, ctx.now)
    if opening is None:
        return ""
    check = pre_open.pre_open_check(ctx.history.runs.runs.values(), opening.at)
    run = check.run
    if run is None:
        state = words("preopen.none")
    else:
        found = runs.run_summary(ctx, run)
        names = {"title": scrub(found.title, 60) if found is not None else run.playbook_id, "run": run.run_id}
        if check.done:
            finished = max((step.done_at or run.started_at for step in run.steps), default=run.started_at)
            state = words("preopen.done", at=ctx.when(finished), **names)
        else:
            key = "preopen.progress" if run.is_open else "preopen.closed"
            state = words(key, done=check.steps_done, steps=check.steps, **names)
    mark = words("impact.provisional") if opening.provisional else ""
    return words("handover.next_open", at=words.minute(opening.at), mark=mark, check=state)


def write_handover(
    room: Room,
    store: Store,
    now: float,
    *,
    actor: Identity,
    out: Path | None = None,
    fmt: str | None = None,
    lang: str | None = None,
    shift_start: float | None = None,
    screen_svg: str | None = None,
) -> HandoverResult:
    """Build, render and write the handover (and the screenshot beside it); audit that it was written.

    With `out` = STANDARD_OUTPUT nothing is written: the text is in the result for the caller to print.
    """
    fmt = fmt or ("txt" if out is not None and out.suffix == ".txt" else "md")
    doc, ctx = build_handover(room, store, now, actor=actor, lang=lang, shift_start=shift_start)
    wide = ctx.lang == "zh"
    text = render(doc, fmt, ambiguous_wide=wide) + "\n" + render_signoff(ctx.words, ctx.scrub, [], fmt, wide)
    if out is None:
        directory = handover_directory(room, store)
        try:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as error:
            raise HandoverError(f"cannot create {directory}: {error.strerror or error}") from None
        out = directory / handover_file_name(now, room.config.timezone, ctx.window, fmt)
    if out != STANDARD_OUTPUT:
        write_atomically(out, text, mode=document_mode(out.parent))
    svg_path = None
    if screen_svg is not None and out != STANDARD_OUTPUT:
        svg_path = out.with_suffix(".svg")
        try:
            write_atomically(svg_path, ctx.scrub.redact(screen_svg), mode=document_mode(out.parent))
        except OSError as error:
            raise HandoverError(f"{out} was written, but not the screenshot: {error}") from None
    store.record_audit(
        actor,
        AUDIT_KIND,
        {"file": out.name, "shift": ctx.window.label, "shift_start": ctx.window.start, "format": fmt},
        at=now,
    )
    return HandoverResult(out, svg_path, ctx.window, text)


def sign_handover(room: Room, store: Store, now: float, *, actor: Identity, path: Path) -> SignResult:
    """Sign `path` as the outgoing operator (first signature) or the incoming one (second), then rewrite it."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise HandoverError(f"cannot read {path}: {getattr(error, 'strerror', None) or error}") from None
    formats = ("txt", "md") if path.suffix == ".txt" else ("md", "txt")
    fmt, split = next(((fmt, found) for fmt in formats if (found := split_signed_file(text, fmt))), (formats[0], None))
    if split is None:
        raise HandoverError(f"{path} is not a handover file written by dutyroom (no sign-off section)")
    body, lang = split
    digest = content_digest(body)
    signatures = signatures_for(read_all_actions(store), path.name)
    mine = next((signature for signature in signatures if signature.person == person_of(actor)), None)
    stored: StoredAction | None = None
    if mine is None:
        roles = {signature.role for signature in signatures}
        if OUTGOING not in roles:
            role = OUTGOING
        elif INCOMING not in roles:
            role = INCOMING
        else:
            raise ActionRefused(f"{path.name} is already signed by both the outgoing and the incoming operator")
        signature = HandoverSign(file=path.name, role=role, sha256=digest)
        stored = submit(store, room.config, actor, ActionRequest(signature), now)
        signatures = signatures_for(read_all_actions(store), path.name)
    else:
        role = mine.role
    words = Wording(lang, room.config.timezone)
    scrub = Scrubber(configured_secrets(room.config))
    signed = body + "\n" + render_signoff(words, scrub, signatures, fmt, lang == "zh") + audit_head_text(store, lang)
    try:
        write_atomically(path, signed, mode=document_mode(path.parent))
    except OSError as error:
        done = f"the signature is recorded (action #{stored.id}), but " if stored is not None else ""
        raise HandoverError(f"{done}{error}") from None
    return SignResult(path, role, stored)


def record_handover_note(room: Room, store: Store, now: float, *, actor: Identity, text: str) -> StoredAction:
    """A note for the next shift (an action of kind `handover-note`), listed in the handover's notes."""
    if not clean_text(text).strip():
        raise ActionRefused("a handover note needs text")
    return submit(store, room.config, actor, ActionRequest(HandoverNote(text=text)), now)
