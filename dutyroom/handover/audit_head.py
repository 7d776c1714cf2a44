"""The audit log's head in a handover's sign-off, so the log can later be checked against the file.

Each signature rewrites the sign-off with the head as it is just after the signature was recorded (record
number and hash; never the key). `dutyroom audit verify --against FILE` reads it back with `recorded_head`: a
log that no longer holds that record with that hash was cut or rewritten after the handover, even by someone
holding the key. The number follows a `#` and the hash stands alone on the next line, in both languages.
"""

from __future__ import annotations

import re

from dutyroom.config.types import Language
from dutyroom.store.audit_verify import RecordedHead
from dutyroom.store.database import Store

HEAD_LABEL: dict[Language, str] = {"en": "Audit log head", "zh": "审计日志链头"}
_HEAD_LINES = re.compile(r"#(\d+)[ \t]*\n[ \t]*([0-9a-f]{64})[ \t]*$", re.MULTILINE)


def audit_head_text(store: Store, lang: str) -> str:
    """Two lines (after a blank one) for the end of the sign-off section, in the sign-off's language."""
    seq, digest = store.audit_head()
    label = HEAD_LABEL["zh"] if lang == "zh" else HEAD_LABEL["en"]
    return f"\n{label} #{seq}\n{digest}\n"


def recorded_head(text: str, source: str) -> RecordedHead | None:
    """The last head written in a handover's text; None when it has none (unsigned, or from before heads)."""
    found = _HEAD_LINES.findall(text)
    if not found:
        return None
    seq, digest = found[-1]
    return RecordedHead(int(seq), digest, source)
