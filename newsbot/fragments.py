"""Body HTML fragments: parse into a wrapper element, serialize its inside back."""

from __future__ import annotations

import html
import re

import lxml.html
from lxml import etree


# lxml.html picks each element's Python class with a Python call (forms and their fields get classes
# of their own), made for every element proxy lxml creates: 1.3 million calls per 400 pages. Nothing
# here or in the extractors uses those form classes, so the C lookup gives every element HtmlElement:
# 6 % of a worker's CPU, the same articles.
_ELEMENT_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


def html_parser(**options: bool) -> lxml.html.HTMLParser:
    """An lxml HTML parser whose elements are all ``HtmlElement``s, looked up in C."""
    parser = lxml.html.HTMLParser(**options)
    parser.set_element_class_lookup(_ELEMENT_CLASSES)
    return parser


# A link or image source that is not already absolute (nor a fragment, mail or data URL). The quote
# is matched or refused outright (no possessive ``?+``, which needs Python 3.11): either a quote and
# then a relative value, or no quote at all and a relative value.
_ABSOLUTE = r"(?:https?://|#|mailto:|data:)"
_RELATIVE_LINK = re.compile(
    rf"""\b(?:href|src|srcset|poster|action|cite|data)\s*=\s*(?:["'](?!{_ABSOLUTE})|(?!["']|{_ABSOLUTE}))""", re.I
)
# Characters XML (and so lxml) cannot hold: C0 controls other than tab, newline, carriage return.
XML_INCOMPATIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FRAGMENT_PARSER = html_parser()
"""The parser for extracted HTML: fragments and the documents extractors return."""


def parse_fragment(markup: str) -> lxml.html.HtmlElement | None:
    """``markup`` inside one ``<div>``; None when it cannot be parsed."""
    try:
        return lxml.html.fragment_fromstring(XML_INCOMPATIBLE.sub("", markup), create_parent="div", parser=FRAGMENT_PARSER)
    except (etree.ParserError, ValueError):
        return None


def inner_html(wrapper: lxml.html.HtmlElement) -> str:
    """The wrapper's content as HTML, without the wrapper itself."""
    leading = html.escape(wrapper.text) if wrapper.text else ""
    return leading + "".join(lxml.html.tostring(child, encoding="unicode") for child in wrapper)


def absolutize_links(markup: str, base_url: str) -> str:
    """``markup`` with relative links and image sources made absolute against ``base_url``; parsed
    only when there is one (the extractor resolves the article's own links already)."""
    if not _RELATIVE_LINK.search(markup):
        return markup
    fragment = parse_fragment(markup)
    if fragment is None:
        return markup
    fragment.make_links_absolute(base_url, resolve_base_href=False, handle_failures="discard")
    return inner_html(fragment)
