"""The legend in the help: every mark and symbol a screen draws, beside what it means, in the console's language.

Built from the same constants the widgets draw with (state symbols, the unhandled mark, step boxes, the
ellipsis), in the set the console uses (`--ascii` or not), so the help can never describe a symbol the screen
does not show. `test_ascii_symbols` checks that no ASCII symbol stands for two things.
"""

from __future__ import annotations

from dutyroom.model import State
from dutyroom.playbooks.run_state import StepStatus
from tui.i18n import Translator
from tui.render import ASCII_ELLIPSIS, ASCII_LEVELS, BLOCKS, ELLIPSIS, state_label
from tui.widgets.alert_rows import ASCII_LOWERED, EYE, LOWERED
from tui.widgets.playbook_text import STATUS_BOXES

Legend = list[tuple[str, str]]
"""(what the screen draws, what it means)."""

_STEP_MEANINGS = {
    StepStatus.OPEN: "legend.step.open",
    StepStatus.DONE: "legend.step.done",
    StepStatus.AWAITING_CONFIRMATION: "legend.step.awaiting",
    StepStatus.SKIPPED: "legend.step.skipped",
}


def states_legend(translate: Translator, *, ascii_only: bool) -> Legend:
    """Each state as the screen draws it (symbol + word), most urgent first."""
    ordered = sorted(State, key=lambda state: state.rank, reverse=True)
    return [
        (state_label(state, translate, ascii_only=ascii_only), translate(f"legend.state.{state.value}"))
        for state in ordered
    ]


def marks_legend(translate: Translator, *, ascii_only: bool) -> Legend:
    """The alert list's marks and the playbook pane's boxes."""
    lowered = ASCII_LOWERED if ascii_only else LOWERED
    phases = f"{translate('phase.pending')} {translate('phase.resolved')}"
    rows: Legend = [
        (EYE, translate("legend.eye")),
        ("ACK:who", translate("legend.ack")),
        ("SIL", translate("legend.sil")),
        ("SUPP<parent", translate("legend.supp")),
        ("FLAP", translate("legend.flap")),
        ("ESC", translate("legend.esc")),
        ("DRILL", translate("legend.drill")),
        (translate("mark.capped", phase="..."), translate("legend.capped")),
        (f"{translate('severity.warning')}{lowered}", translate("legend.lowered")),
        (phases, translate("legend.phase")),
    ]
    rows += [(box, translate(_STEP_MEANINGS[status])) for status, box in STATUS_BOXES.items()]
    rows.append((translate("playbook.two_person"), translate("legend.two_person")))
    rows.append((ASCII_ELLIPSIS if ascii_only else ELLIPSIS, translate("legend.ellipsis")))
    return rows


def timeline_legend(translate: Translator, *, ascii_only: bool) -> Legend:
    kinds: Legend = [
        (translate(f"timeline.{kind}"), translate(f"legend.timeline.{kind}"))
        for kind in ("event", "transition", "action")
    ]
    return [
        *kinds,
        (f"[{translate('playbook.drill')}]", translate("legend.drill")),
        (ASCII_ELLIPSIS if ascii_only else ELLIPSIS, translate("legend.ellipsis")),
    ]


def detail_legend(translate: Translator, *, ascii_only: bool) -> Legend:
    levels = ASCII_LEVELS if ascii_only else BLOCKS
    return [
        *states_legend(translate, ascii_only=ascii_only),
        (levels, translate("legend.sparkline")),
        (ASCII_ELLIPSIS if ascii_only else ELLIPSIS, translate("legend.ellipsis")),
    ]


def legend_for(topic: str, translate: Translator, *, ascii_only: bool) -> Legend:
    """The legend of one screen: `main`, `timeline` or `detail`."""
    if topic == "timeline":
        return timeline_legend(translate, ascii_only=ascii_only)
    if topic == "detail":
        return detail_legend(translate, ascii_only=ascii_only)
    return [*states_legend(translate, ascii_only=ascii_only), *marks_legend(translate, ascii_only=ascii_only)]
