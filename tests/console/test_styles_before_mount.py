"""A snapshot can reach a widget before Textual has computed its component styles (the first timer tick racing
the first style pass: seen as `KeyError: No 'site-overview--group' key in COMPONENT_CLASSES` under load). The
widgets then draw plain text instead of raising, and the next snapshot restyles them."""

from __future__ import annotations

from dutyroom.model import State
from dutyroom.views.alerts import GroupCount
from tui.i18n import Translator
from tui.widgets.playbook_pane import PlaybookSteps
from tui.widgets.site_overview import SiteOverview


def test_the_site_overview_draws_plain_text_before_its_styles_exist() -> None:
    overview = SiteOverview(Translator("en"))  # never mounted: no component styles yet
    groups = [GroupCount("power", "Power", "电力", {State.CRITICAL: 1, State.OK: 5})]
    text = overview.overview_text(groups)
    assert text.plain == "Power ✖1 ✔5"


def test_the_playbook_steps_have_plain_styles_before_theirs_exist() -> None:
    styles = PlaybookSteps().step_styles()
    assert not styles.done
    assert not styles.who
