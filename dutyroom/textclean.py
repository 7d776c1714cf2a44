"""The one choke point for hostile device text: every string from a device or endpoint passes here.

Control characters (C0, DEL, C1, including ESC and NUL) become visible `\\xNN` escapes, lines are joined,
invalid UTF-8 is replaced, and the length is capped. The result is plain text; renderers must still treat it
as text, never as markup.
"""

from __future__ import annotations

DEFAULT_LIMIT = 200
ELLIPSIS = "…"


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF)


def clean_text(raw: str | bytes | None, limit: int = DEFAULT_LIMIT) -> str:
    """Return `raw` safe to show or store: control bytes made visible, at most `limit` characters."""
    if raw is None:
        return ""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw)
    if len(text) > limit * 4:
        text = text[: limit * 4]
    pieces: list[str] = []
    length = 0
    for char in text:
        if char in "\t\n\r":
            piece = " "
        elif _is_control(char):
            piece = f"\\x{ord(char):02x}" if ord(char) <= 0xFF else f"\\u{ord(char):04x}"
        else:
            piece = char
        if length + len(piece) > limit:
            pieces.append(ELLIPSIS)
            break
        pieces.append(piece)
        length += len(piece)
    return "".join(pieces).strip()
