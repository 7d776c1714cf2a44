"""The handover's status sections: troubled targets, collector health (and the trading calendar's warning),
capacity headroom, silences ending soon."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dutyroom.config.calendar_coverage import HEADING, coverage_notice
from dutyroom.config.calendar_file import Lang
from dutyroom.documents.capacity import CapacityRow, format_number, labels_text
from dutyroom.documents.model import Document, Item
from dutyroom.handover.context import HandoverContext
from dutyroom.model import State
from dutyroom.operators.state import SilenceWindow
from dutyroom.store.liveness import POLLER_DOWN_AFTER_S
from dutyroom.views.alerts import all_silences, collector_health


def troubled_targets(doc: Document, ctx: HandoverContext) -> None:
    """Unreachable (hard-failing) targets, stale series, targets not polled lately, flapping checks."""
    words, scrub, config = ctx.words, ctx.scrub, ctx.room.config
    doc.heading(words("section.targets"))
    lines: list[tuple[str, str]] = []
    for target in config.parsed.target:
        label = ctx.target_label(target.id)
        health = ctx.engine.health.get(target.id)
        if health is not None and health.hard_failure_since:
            state = health.failure or State.UNREACHABLE
            lines.append(
                (
                    target.id,
                    words(
                        "target.unreachable",
                        target=label,
                        state=words("state." + state.value),
                        at=ctx.when(health.hard_failure_since),
                        n=health.consecutive_failures,
                        reason=scrub(health.reason, 160),
                    ),
                )
            )
        elif target.kind != "trap":
            timing = config.timings.get(target.id)
            if health is None or not health.last_result_at:
                lines.append((target.id, words("target.never", target=label)))
            elif timing is not None and ctx.now - health.last_result_at > timing.stale_after_s:
                lines.append((target.id, words("target.late", target=label, at=ctx.when(health.last_result_at))))
    for check in sorted(ctx.engine.checks.values(), key=lambda item: (item.target, item.rule)):
        if check.active and check.state is State.STALE:
            text = words(
                "target.stale", target=ctx.target_label(check.target), rule=check.rule, reason=scrub(check.reason, 120)
            )
            lines.append((check.target, text))
        if check.flapping:
            lines.append(
                (check.target, words("target.flapping", target=ctx.target_label(check.target), rule=check.rule))
            )
    lines.sort(key=lambda line: line[0])
    doc.bullets([Item(text) for _, text in lines], words("none"))


def collectors(doc: Document, ctx: HandoverContext) -> None:
    words = ctx.words
    doc.heading(words("section.collectors"))
    health = collector_health(ctx.room.config, ctx.engine.health, ctx.now)
    items = [
        Item(
            words(
                "collectors.counts",
                targets=health.targets,
                on_time=health.on_time,
                stale=health.stale,
                failing=health.failing,
            )
        )
    ]
    beat = ctx.heartbeat
    if beat is None:
        items.append(Item(words("collectors.no_poller")))
    else:
        key = "collectors.poller" if beat.is_fresh(ctx.now, POLLER_DOWN_AFTER_S) else "collectors.poller_stale"
        items.append(Item(words(key, age=words.duration(beat.age(ctx.now)), pid=beat.pid)))
    if line := calendar_line(ctx):
        items.append(Item(line))
    doc.bullets(items)


def calendar_line(ctx: HandoverContext) -> str:
    """The calendar's warning (provisional or draft days, or the confirmed calendar ending soon), or ''."""
    calendar = ctx.room.config.calendar
    if calendar is None:
        return ""
    notice = coverage_notice(calendar, datetime.fromtimestamp(ctx.now, calendar.zone))
    if notice is None:
        return ""
    lang: Lang = "zh" if ctx.lang == "zh" else "en"
    return f"{HEADING.get(lang)}{'：' if lang == 'zh' else ': '}{ctx.scrub(notice.text(lang), 300)}"


def capacity(doc: Document, ctx: HandoverContext, rows: list[CapacityRow]) -> None:
    words = ctx.words
    doc.heading(words("section.capacity"))
    table = []
    for row in rows:
        status = {None: "capacity.unknown", True: "capacity.ok", False: "capacity.low"}[row.ok]
        target = ctx.target_label(row.target)
        if row.labels:
            target += " " + ctx.scrub(labels_text(row.labels), 40)
        headroom = row.headroom
        table.append(
            (
                target,
                row.rule,
                "-" if headroom is None else f"{headroom:.2f}x",
                f"{row.needed:g}x",
                format_number(row.peak),
                format_number(row.capacity),
                words(status),
            )
        )
    keys = ("col.target", "col.rule", "col.headroom", "col.needed", "col.peak", "col.capacity", "col.status")
    doc.table(
        tuple(words(key) for key in keys),
        table,
        align=("left", "left", "right", "right", "right", "right", "left"),
        flexible=(0, 1),
        empty=words("none"),
    )


def silences_ending(doc: Document, ctx: HandoverContext) -> None:
    """Silences and maintenance windows that end between now and the end of the next shift."""
    words, scrub, config = ctx.words, ctx.scrub, ctx.room.config
    horizon = ctx.window.next_end
    doc.heading(words("section.silences", at=words.minute(horizon)))
    ending: list[tuple[float, SilenceWindow]] = []
    for window in all_silences(config, ctx.operator):
        end = next_end(window, ctx.now, horizon, ctx.words.timezone)
        if end is not None:
            ending.append((end, window))
    items = []
    for end, window in sorted(ending, key=lambda pair: (pair[0], pair[1].id)):
        match = ", ".join(
            f"{key}={scrub(value, 40)}"
            for key, value in (("rule", window.rule), ("target", window.target), ("group", window.group))
            if value
        )
        line = words(
            "silence.line",
            id=scrub(window.id, 40),
            match=match or words("silence.any"),
            who=scrub(window.by, 80),
            end=ctx.when(end),
        )
        items.append(Item(line, (scrub(window.comment, 200),) if window.comment else ()))
    doc.bullets(items, words("none"))


def next_end(window: SilenceWindow, now: float, horizon: float, timezone: ZoneInfo) -> float | None:
    """When `window` next ends within [now, horizon), or None."""
    if not window.days:
        return window.end if now <= window.end < horizon and window.start < horizon else None
    if window.from_time is None or window.to_time is None:
        return None
    first_day = datetime.fromtimestamp(now, timezone).date() - timedelta(days=1)
    for offset in range(0, 9):
        day = first_day + timedelta(days=offset)
        if ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()] not in window.days:
            continue
        end_day = day if window.to_time > window.from_time else day + timedelta(days=1)
        end = datetime.combine(end_day, window.to_time, tzinfo=timezone).timestamp()
        if now <= end < horizon:
            return end
    return None
