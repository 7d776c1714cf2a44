"""The three operator forms: acknowledge, silence and note, each building the payload `ConsoleSource.submit` takes.

- ack: {comment, expires_at (epoch seconds, only when an expiry was given)}
- silence: {rule, target, group, comment, start, end}, for alert ""
- note: {text}
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text

from dutyroom.durations import DurationError, parse_duration
from dutyroom.views import AlertView
from tui.i18n import Translator
from tui.render import device_text, state_label
from tui.screens.context import Payload, Recorder
from tui.screens.dialogs import ActionDialog, Field, Request

DEFAULT_SILENCE = "1h"


def alert_subject(alert: AlertView, translate: Translator, *, ascii_only: bool = False) -> Text:
    subject = Text(state_label(alert.state, translate, ascii_only=ascii_only) + "  ", end="")
    subject.append_text(device_text(alert.target_name or alert.target, 80))
    subject.append(" / ")
    subject.append_text(device_text(alert.rule, 80))
    return subject


def _duration(text: str, translate: Translator) -> float | str:
    try:
        seconds = parse_duration(text)
    except DurationError:
        return translate("dialog.bad_duration", text=device_text(text, 40).plain)
    return seconds if seconds > 0 else translate("dialog.bad_duration", text=device_text(text, 40).plain)


def ack_dialog(alert: AlertView, now: Callable[[], float], record: Recorder, translate: Translator,
               *, ascii_only: bool = False) -> ActionDialog:
    def build(values: dict[str, str]) -> Request | str:
        comment = values["comment"].strip()
        if not comment:
            return translate("dialog.comment_required")
        payload: dict[str, str | float | int | None] = {"comment": comment}
        expiry = values["expires"].strip()
        if expiry:
            seconds = _duration(expiry, translate)
            if isinstance(seconds, str):
                return seconds
            payload["expires_at"] = now() + seconds
        return Request("ack", alert.fingerprint, payload)

    fields = [Field("comment", translate("dialog.comment"), focus=True),
              Field("expires", translate("dialog.expiry"))]
    subject = alert_subject(alert, translate, ascii_only=ascii_only)
    return ActionDialog(translate("dialog.ack.title"), subject, fields, build, record, translate)


def silence_dialog(alert: AlertView, now: Callable[[], float], record: Recorder, translate: Translator,
                   *, ascii_only: bool = False) -> ActionDialog:
    def build(values: dict[str, str]) -> Request | str:
        rule, target, group = (values[name].strip() for name in ("rule", "target", "group"))
        if not (rule or target or group):
            return translate("dialog.matcher_required")
        seconds = _duration(values["duration"], translate)
        if isinstance(seconds, str):
            return seconds
        comment = values["comment"].strip()
        if not comment:
            return translate("dialog.comment_required")
        start = now()
        payload: Payload = {"rule": rule, "target": target, "group": group, "comment": comment,
                            "start": start, "end": start + seconds}
        return Request("silence", "", payload)

    fields = [
        Field("rule", translate("dialog.rule"), alert.rule),
        Field("target", translate("dialog.target"), alert.target),
        Field("group", translate("dialog.group"), alert.group),
        Field("duration", translate("dialog.duration"), DEFAULT_SILENCE),
        Field("comment", translate("dialog.comment"), focus=True),
    ]
    subject = alert_subject(alert, translate, ascii_only=ascii_only)
    return ActionDialog(translate("dialog.silence.title"), subject, fields, build, record, translate)


def note_dialog(alert: AlertView, record: Recorder, translate: Translator, *, ascii_only: bool = False) -> ActionDialog:
    def build(values: dict[str, str]) -> Request | str:
        text = values["text"].strip()
        if not text:
            return translate("dialog.text_required")
        return Request("note", alert.fingerprint, {"text": text})

    fields = [Field("text", translate("dialog.note_text"), focus=True)]
    subject = alert_subject(alert, translate, ascii_only=ascii_only)
    return ActionDialog(translate("dialog.note.title"), subject, fields, build, record, translate)
