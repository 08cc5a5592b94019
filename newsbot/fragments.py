"""Body HTML fragments: parse into a wrapper element, serialize its inside back."""

from __future__ import annotations

import html
import re

import lxml.html
from lxml import etree


# Characters XML (and so lxml) cannot hold: C0 controls other than tab, newline, carriage return.
XML_INCOMPATIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def parse_fragment(markup: str) -> lxml.html.HtmlElement | None:
    """``markup`` inside one ``<div>``; None when it cannot be parsed."""
    try:
        return lxml.html.fragment_fromstring(XML_INCOMPATIBLE.sub("", markup), create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def inner_html(wrapper: lxml.html.HtmlElement) -> str:
    """The wrapper's content as HTML, without the wrapper itself."""
    leading = html.escape(wrapper.text) if wrapper.text else ""
    return leading + "".join(lxml.html.tostring(child, encoding="unicode") for child in wrapper)
