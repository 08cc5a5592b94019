"""News portals: sites that show other outlets' articles inside a page of their own.

A portal page wraps the outlet's article in the portal's reader tools (an automatic
summary, text to speech, font size, translation, reactions) and names itself where a
page names its publisher. One entry per portal says, by the page's structure, which
elements are the portal's own and where the outlet's name is.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.etree
import lxml.html


@dataclass(frozen=True)
class Portal:
    """Where a portal's pages keep the outlet's name and which of their elements are the portal's."""

    hosts: tuple[str, ...]
    """Host names of the portal's article pages."""
    outlet_meta: tuple[str, ...]
    """Meta names or properties (lower-case) that name the outlet, most trusted first."""
    widgets: lxml.etree.XPath
    """The portal's reader tools, removed before extraction."""


def _class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


PORTALS = (
    # Daum News (v.daum.net, Kakao): og:site_name is the label "언론사 뷰" ("outlet's view"), the outlet is in
    # og:article:author. The tool bar (.util_view: summary "요약보기", text to speech, font size with a sample
    # text, translation) sits in the article header; the reactions box (.emotion_wrap) follows the article.
    Portal(
        hosts=("v.daum.net",),
        outlet_meta=("og:article:author",),
        widgets=lxml.etree.XPath(
            f"//*[{_class('util_view')} or {_class('view_layer')} or {_class('emotion_wrap')}]"
        ),
    ),
)


def portal_for(url: str) -> Portal | None:
    """The portal ``url`` is a page of, or None."""
    host = urlsplit(url).hostname or ""
    return next((portal for portal in PORTALS if host in portal.hosts), None)


def portal_of(tree: lxml.html.HtmlElement, url: str) -> Portal | None:
    """The portal a page is from: by ``url``, else by the address the page gives for itself (``og:url``,
    its canonical link), as a page saved to a file or fetched through another address still does."""
    portal = portal_for(url)
    head = tree.find("head")
    if portal is not None or head is None:
        return portal
    for element in head.iterchildren("meta", "link"):
        if element.get("property") == "og:url" or (element.get("rel") or "").lower() == "canonical":
            portal = portal_for((element.get("content") or element.get("href") or "").strip())
            if portal is not None:
                return portal
    return None


def remove_widgets(tree: lxml.html.HtmlElement, portal: Portal) -> None:
    """Drop the portal's reader tools from ``tree``, keeping the text that follows them."""
    for element in portal.widgets(tree):
        element.drop_tree()
