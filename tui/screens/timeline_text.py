"""A timeline entry in the console's language: the words for what happened, and every field for the full view.

The store hands entries over as words (an action's kind, a transition's phases), never as an English sentence,
so `--lang zh` reads 勾选步骤 where the store says `step` and no internal tag (`run-join`) reaches the screen.
Free text (comments, device messages) is kept as it was typed.
"""

from __future__ import annotations

from dutyroom.views.console_source import TimelineEntry
from tui.i18n import Translator


def what_happened(entry: TimelineEntry, translate: Translator) -> str:
    """The words for the entry's 'What' column: what changed, then the free text, which must fit the most.

    A transition leads with its rule (the rule is what changed); an action leads with what was done and ends
    with the rule it was about, so a comment is not pushed out of a narrow column by a long rule name.
    """
    head = " ".join(part for part in _head(entry, translate) if part)
    text = entry.text
    if text and head and not text.lower().startswith(head.lower()):  # "agent restarted: agent restarted (...)" once
        text = f"{head}{translate('timeline.then')}{text}"
    elif not text:
        text = head
    if entry.kind == "action" and entry.rule:
        text = translate("timeline.about", text=text, rule=entry.rule)
    return text


def _head(entry: TimelineEntry, translate: Translator) -> list[str]:
    match entry.kind:
        case "transition":
            change = _transition_change(entry, translate)
            severity = translate.word("severity", entry.severity) if entry.severity else ""
            return [entry.rule, change, severity]
        case "action":
            step = translate("timeline.step", step=entry.step) if entry.step else ""
            return [_word(translate, "timeline.did", entry.what), step]
        case _:
            return [_word(translate, "timeline.event_kind", entry.what)]


def _transition_change(entry: TimelineEntry, translate: Translator) -> str:
    after = _word(translate, "phase", entry.what)
    return f"{_word(translate, 'phase', entry.before)} -> {after}" if entry.before else after


def _word(translate: Translator, family: str, value: str) -> str:
    """The translated word for `value`, or a neutral one: an unknown tag never shows as itself with dashes."""
    if not value:
        return ""
    key = f"{family}.{value}"
    return translate(key) if translate.has(key) else value.replace("-", " ")


def entry_fields(entry: TimelineEntry, translate: Translator) -> list[tuple[str, str]]:
    """(label, value) of every field the entry has, for the full view that Enter opens."""
    fields = [
        (translate("col.kind"), translate(f"timeline.{entry.kind}")),
        (translate("col.target"), entry.target),
        (translate("col.rule"), entry.rule),
        (translate("col.who"), entry.who),
    ]
    match entry.kind:
        case "transition":
            fields.append((translate("timeline.change"), _transition_change(entry, translate)))
            fields.append((translate("col.severity"), translate.word("severity", entry.severity)))
            fields.append((translate("col.value_only"), entry.text))
        case "action":
            fields.append((translate("timeline.action_kind"), _word(translate, "timeline.did", entry.what)))
            fields.append((translate("timeline.step_label"), str(entry.step) if entry.step else ""))
            fields.append((translate("col.text"), entry.text))
        case _:
            fields.append((translate("timeline.event_label"), _word(translate, "timeline.event_kind", entry.what)))
            fields.append((translate("col.text"), entry.text))
    if entry.drill:
        fields.append((translate("playbook.drill"), translate("confirm.yes")))
    return [(label, value) for label, value in fields if value]
