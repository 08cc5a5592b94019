"""Headlines without the site's name glued to them."""

from __future__ import annotations

import re

from newsbot.text import normalize_space
from newsbot.extract.korean import TITLE_SUFFIX_SEPARATORS

_QUOTE_PAIRS = {'"': '"', "“": "”", "'": "'", "‘": "’", "«": "»", "「": "」", "『": "』"}
_WORD = re.compile(r"\w+")


def _squash(text: str) -> str:
    return "".join(_WORD.findall(text.lower()))


def clean_title(title: str, site_names: list[str], host: str = "") -> str:
    """Remove a trailing or leading site name (``… | 연합뉴스``) and quotes the site wrapped it in."""
    title = normalize_space(title)
    known = {_squash(name) for name in site_names if name and _squash(name)}
    host_label = host.lower().removeprefix("www.").split(".")[0] if host else ""
    if host_label:
        known.add(_squash(host_label))
    for _ in range(2):  # "Headline | Section | Site" loses both tails
        stripped = _strip_once(title, known)
        if stripped == title:
            break
        title = stripped
    return _unquote(title)


def _strip_once(title: str, known: set[str]) -> str:
    cuts: list[tuple[int, int]] = []
    for separator in TITLE_SUFFIX_SEPARATORS:
        spaced = separator.startswith(" ")
        position = title.find(separator)
        while position != -1:
            tail = title[position + len(separator) :].strip()
            if len(title[:position]) >= 8 and len(tail) <= 40 and (spaced or " " not in tail):
                if _is_site_name(tail, known):
                    cuts.append((position, position))
            position = title.find(separator, position + 1)
        first, _, rest = title.partition(separator)
        if separator in title and spaced and len(rest) >= 8 and len(first) <= 40 and _is_site_name(first, known):
            cuts.append((len(title), len(first) + len(separator)))
    if not cuts:
        return title
    suffix_cut, prefix_cut = min(cuts)
    if suffix_cut < len(title):
        return title[:suffix_cut].strip()
    return title[prefix_cut:].strip()


def _is_site_name(part: str, known: set[str]) -> bool:
    squashed = _squash(part)
    if not squashed:
        return False
    return any(
        squashed == name or (len(name) >= 4 and name in squashed) or (len(squashed) >= 3 and squashed in name)
        for name in known
    )


def title_from_heading(meta_title: str, headings: list[str]) -> str:
    """The visible ``<h1>`` when the meta title is that heading plus a site suffix we do not know.

    ``[CEO&]창의적 열정과 … 간다 : 뉴스 : 동아닷컴`` with the ``<h1>``
    ``[CEO&]창의적 열정과 … 간다`` gives the ``<h1>``.
    """
    for heading in headings:
        heading = normalize_space(heading)
        if len(heading) < 8 or heading == meta_title or not meta_title.startswith(heading):
            continue
        rest = meta_title[len(heading) :]
        if any(rest.startswith(separator) for separator in TITLE_SUFFIX_SEPARATORS):
            return heading
    return meta_title


def _unquote(title: str) -> str:
    if len(title) > 2 and _QUOTE_PAIRS.get(title[0]) == title[-1]:
        inner = title[1:-1]
        if title[0] not in inner and title[-1] not in inner:
            return inner.strip()
    return title
