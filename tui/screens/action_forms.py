"""The three operator forms: acknowledge, silence and note, each building its typed action.

- ack: `Ack` on the alert at the severity shown, sticky when ticked, with an expiry (epoch seconds) only when
  one was given
- silence: `Silence` of rule, target and group from now for the given duration, on no one alert ("")
- note: `Note` on the alert
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from dutyroom.actions_model import Ack, Note, Silence, acked_severity
from dutyroom.config.durations import DurationError, parse_duration
from dutyroom.views.alerts import AlertView
from tui.i18n import Translator
from tui.render import device_text, state_label
from tui.screens.context import ConsoleContext
from tui.screens.dialogs import YES, ActionDialog, Builder, Field, Request

DEFAULT_SILENCE = "1h"


def alert_subject(alert: AlertView, translate: Translator, *, ascii_only: bool = False) -> Text:
    subject = Text(state_label(alert.state, translate, ascii_only=ascii_only) + "  ", end="")
    subject.append_text(device_text(alert.target_name or alert.target, 80))
    subject.append(" / ")
    subject.append_text(device_text(alert.rule, 80))
    return subject


def parse_positive_duration(text: str, translate: Translator) -> float | str:
    """Seconds in `text`, or the reason it is not a usable duration."""
    try:
        seconds = parse_duration(text)
    except DurationError:
        seconds = 0.0
    return seconds if seconds > 0 else translate("dialog.bad_duration", text=device_text(text, 40).plain)


def _dialog(
    alert: AlertView, context: ConsoleContext, title_key: str, fields: Sequence[Field], build: Builder
) -> ActionDialog:
    translate, settings = context.translate, context.settings
    subject = alert_subject(alert, translate, ascii_only=settings.ascii_only)
    title = translate(title_key)
    return ActionDialog(
        title,
        subject,
        fields,
        build,
        context.record,
        translate,
        cursor_blink=not settings.remote,
        refused=context.viewer_refusal(title),
    )


def ack_dialog(alert: AlertView, context: ConsoleContext) -> ActionDialog:
    translate = context.translate

    def build(values: dict[str, str]) -> Request | str:
        comment = values["comment"].strip()
        if not comment:
            return translate("dialog.comment_required")
        expires_at = None
        if expiry := values["expires"].strip():
            seconds = parse_positive_duration(expiry, translate)
            if isinstance(seconds, str):
                return seconds
            expires_at = context.clock() + seconds
        severity, sticky = acked_severity(alert.shown_severity), values["sticky"] == YES
        return Request(Ack(comment=comment, expires_at=expires_at, severity=severity, sticky=sticky), alert.fingerprint)

    fields = [
        Field("comment", translate("dialog.comment"), focus=True),
        Field("expires", translate("dialog.expiry")),
        Field("sticky", translate("dialog.sticky"), yes_no=True),
    ]
    return _dialog(alert, context, "dialog.ack.title", fields, build)


def silence_dialog(alert: AlertView, context: ConsoleContext) -> ActionDialog:
    translate = context.translate

    def build(values: dict[str, str]) -> Request | str:
        rule, target, group = (values[name].strip() for name in ("rule", "target", "group"))
        if not (rule or target or group):
            return translate("dialog.matcher_required")
        seconds = parse_positive_duration(values["duration"], translate)
        if isinstance(seconds, str):
            return seconds
        comment = values["comment"].strip()
        if not comment:
            return translate("dialog.comment_required")
        start = context.clock()
        silence = Silence(rule=rule, target=target, group=group, comment=comment, start=start, end=start + seconds)
        return Request(silence, "")

    fields = [
        Field("rule", translate("dialog.rule"), alert.rule),
        Field("target", translate("dialog.target"), alert.target),
        Field("group", translate("dialog.group"), alert.group),
        Field("duration", translate("dialog.duration"), DEFAULT_SILENCE),
        Field("comment", translate("dialog.comment"), focus=True),
    ]
    return _dialog(alert, context, "dialog.silence.title", fields, build)


def note_dialog(alert: AlertView, context: ConsoleContext) -> ActionDialog:
    translate = context.translate

    def build(values: dict[str, str]) -> Request | str:
        text = values["text"].strip()
        if not text:
            return translate("dialog.text_required")
        return Request(Note(text=text), alert.fingerprint)

    return _dialog(
        alert, context, "dialog.note.title", [Field("text", translate("dialog.note_text"), focus=True)], build
    )
