"""Playbook text reflowed for a screen: a paragraph's wrapped lines become one line; blocks stay as written."""

from __future__ import annotations

from dutyroom.playbooks.markdown import reflowed_lines

BODY = """# Title

The UPS has lost its mains input.
Air conditioning is usually **not** on the UPS.

停电期间机房温度
会持续上升。

## Appendix: shutdown order

1. Test servers
2. OA servers
5. **Keep running:** core switches,
   order gateways
- a bullet
```
code line one
code line two
```
| a | b |
| - | - |"""


def test_paragraph_lines_are_joined_and_blocks_are_kept() -> None:
    assert reflowed_lines(BODY) == [
        "# Title",
        "",
        "The UPS has lost its mains input. Air conditioning is usually **not** on the UPS.",
        "",
        "停电期间机房温度会持续上升。",
        "",
        "## Appendix: shutdown order",
        "",
        "1. Test servers",
        "2. OA servers",
        "5. **Keep running:** core switches, order gateways",
        "- a bullet",
        "```",
        "code line one",
        "code line two",
        "```",
        "| a | b |",
        "| - | - |",
    ]
