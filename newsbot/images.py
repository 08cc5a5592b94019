"""Which image URLs are never a lead image: logos, icons, tracking pixels, placeholders."""

from __future__ import annotations

import re

_UNWANTED = re.compile(
    r"(?:logo|favicon|icon|sprite|pixel|spacer|blank|placeholder|default[-_]?(?:image|thumb|og)|1x1|"
    r"transparent|avatar|badge|button|banner[-_]?ad|doubleclick|/ads?/|tracking|beacon|\.svg(?:$|\?)|\.gif(?:$|\?))",
    re.IGNORECASE,
)


def is_unwanted_image(url: str) -> bool:
    """True for URLs that name a logo, icon, pixel or placeholder rather than a photo."""
    path = url.split("://", 1)[-1]
    path = path.split("/", 1)[1] if "/" in path else ""
    return bool(_UNWANTED.search(path))
