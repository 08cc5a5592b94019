"""What newsbot's helpers read settings through: Scrapy's ``Settings`` or the plain ones of the quick
check and the tests, anything with ``get``."""

from __future__ import annotations

from typing import Any, Protocol


class SettingsReader(Protocol):
    """Settings read by name: Scrapy's ``Settings``, ``ProjectSettings``, a dict."""

    def get(self, name: str, default: Any = None) -> Any: ...
