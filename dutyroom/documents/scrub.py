"""Text that goes into handover files and reports: cleaned like any device text, and with no config secret.

dutyroom never writes a secret on purpose. The scrubber is the second line: a device or endpoint that echoes
its community string or bearer token into a reason, or an operator pasting one into a note, still does not
get it into a file that is printed and kept for inspection.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from dutyroom.config.load import LoadedConfig
from dutyroom.config.secrets import SecretError, resolve_secret
from dutyroom.config.types import Secret
from dutyroom.textclean import clean_text

REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 4
"""Shorter values are not searched for: redacting every "ab" would mangle text and hide nothing."""


def configured_secrets(config: LoadedConfig) -> frozenset[str]:
    """The values of every secret checks.toml refers to (those that can be read now)."""
    secrets: list[Secret] = []
    for credential in config.parsed.credentials.values():
        secrets.extend(
            secret
            for secret in (credential.community, credential.auth_key, credential.priv_key, credential.token)
            if secret is not None
        )
    if config.parsed.traps is not None:
        secrets.extend(config.parsed.traps.communities)
    values: set[str] = set()
    for secret in secrets:
        try:
            value = resolve_secret(secret, config.base_dir).value
        except SecretError:
            continue
        if len(value) >= MIN_SECRET_LENGTH:
            values.add(value)
    return frozenset(values)


class Scrubber:
    """`scrubber(raw, limit)`: cleaned text with every known secret value replaced by "[redacted]"."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets = sorted({secret for secret in secrets if len(secret) >= MIN_SECRET_LENGTH}, key=len)[::-1]

    def __call__(self, raw: str | None, limit: int = 200) -> str:
        if not self._secrets:
            return clean_text(raw, limit)
        text = self.redact(clean_text(raw, max(limit, 1) * 4))
        return clean_text(text, limit) if len(text) > limit else text

    def redact(self, text: str) -> str:
        """`text` with each secret (and its XML-escaped form, for SVG) replaced."""
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
            escaped = html.escape(secret, quote=False)
            if escaped != secret and escaped in text:
                text = text.replace(escaped, REDACTED)
        return text
