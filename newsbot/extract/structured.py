"""Structured data first: JSON-LD articles, OpenGraph and plain meta tags (via extruct)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import lxml.html
from extruct.jsonld import JsonLdExtractor
from extruct.opengraph import OpenGraphExtractor

logger = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset(
    {
        "NewsArticle",
        "Article",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "ReviewNewsArticle",
        "LiveBlogPosting",
        "BlogPosting",
        "Report",
        "ScholarlyArticle",
        "TechArticle",
        "SatiricalArticle",
        "ClaimReview",  # a fact check (AFP Faktencheck): its name is the headline, its date the check's
    }
)
_JSONLD = JsonLdExtractor()
_OPENGRAPH = OpenGraphExtractor()


@dataclass
class StructuredData:
    """What a page says about itself: its JSON-LD article node and its meta tags."""

    article: dict[str, Any] = field(default_factory=dict)
    """The JSON-LD node typed as an article (``NewsArticle`` and kin); empty when none."""
    meta: dict[str, str] = field(default_factory=dict)
    """OpenGraph and ``<meta name|property|itemprop>`` values, keys lower-cased, first value wins."""
    meta_all: dict[str, list[str]] = field(default_factory=dict)
    """Every value of repeated meta keys (``article:tag``, ``article:author``)."""

    def first(self, *keys: str) -> str:
        """The first non-empty meta value among ``keys``."""
        for key in keys:
            value = self.meta.get(key, "").strip()
            if value:
                return value
        return ""


def read_structured_data(tree: lxml.html.HtmlElement, url: str) -> StructuredData:
    """Collect JSON-LD and meta data from a parsed page."""
    data = StructuredData()
    try:
        nodes = _JSONLD.extract_items(tree, base_url=url)
    except Exception as exc:  # extruct raises whatever its JSON repair meets
        logger.debug("unreadable JSON-LD on %s: %s", url, exc)
        nodes = []
    every_node = list(_walk(nodes))
    data.article = _resolved(_best_article(every_node), every_node)
    try:
        for node in _OPENGRAPH.extract_items(tree, base_url=url):
            for key, value in node.get("properties", []):
                _add_meta(data, key, value)
    except Exception as exc:  # malformed namespaces in the wild
        logger.debug("unreadable OpenGraph on %s: %s", url, exc)
    for element in tree.iterfind(".//meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        value = element.get("content")
        if key and value is not None:
            _add_meta(data, key, value)
    return data


def _add_meta(data: StructuredData, key: str, value: Any) -> None:
    if not isinstance(value, str):
        return
    key = key.strip().lower()
    data.meta_all.setdefault(key, [])
    if value not in data.meta_all[key]:
        data.meta_all[key].append(value)
    if value.strip() and key not in data.meta:
        data.meta[key] = value


def _walk(value: Any):
    """Every dict in a JSON-LD document, through ``@graph`` and nested lists."""
    if isinstance(value, list):
        for entry in value:
            yield from _walk(entry)
    elif isinstance(value, dict):
        yield value
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if key in value and isinstance(value[key], (list, dict)):
                yield from _walk(value[key])


def _resolved(article: dict[str, Any], nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """``article`` with a reference (``{"@id": ...}``) as its image replaced by the node it names.

    Yoast-style pages give ``"image": {"@id": "https://.../page/#primaryimage"}`` and describe that
    ImageObject, with its real URL, elsewhere in the ``@graph``.
    """
    if not article or "image" not in article:
        return article
    described = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str) and len(node) > 1}
    image = article["image"]
    entries = image if isinstance(image, list) else [image]
    resolved = [
        described.get(entry["@id"], entry) if isinstance(entry, dict) and set(entry) == {"@id"} else entry
        for entry in entries
    ]
    return {**article, "image": resolved}


def types_of(node: dict[str, Any]) -> set[str]:
    """The node's ``@type`` values with any schema.org prefix removed."""
    raw = node.get("@type", [])
    names = raw if isinstance(raw, list) else [raw]
    return {str(name).rsplit("/", 1)[-1] for name in names}


def _best_article(nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """The article node with the most to say (headline and body count most)."""
    candidates = [node for node in nodes if types_of(node) & ARTICLE_TYPES]
    if not candidates:
        return {}
    return max(
        candidates,
        key=lambda node: (
            bool(node.get("headline") or node.get("name")),
            len(str(node.get("articleBody", ""))),
            len(node),
        ),
    )


def names(value: Any) -> list[str]:
    """Names from a JSON-LD person/organization value: a string, a node, or a list of them."""
    found: list[str] = []
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, dict):
            entry = entry.get("name", "")
        if isinstance(entry, list):
            found.extend(names(entry))
        elif isinstance(entry, str) and entry.strip():
            found.append(entry.strip())
    return found


def image_urls(value: Any) -> list[str]:
    """URLs from a JSON-LD image value: a URL, an ImageObject, or a list of them.

    An ImageObject's ``@id`` counts only when it is no page anchor (``.../#primaryimage`` names
    the node, not the picture).
    """
    found: list[str] = []
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, dict):
            identifier = entry.get("@id") if isinstance(entry.get("@id"), str) and "#" not in entry["@id"] else ""
            entry = entry.get("url") or entry.get("contentUrl") or identifier or ""
        if isinstance(entry, list):
            found.extend(image_urls(entry))
        elif isinstance(entry, str) and entry.strip():
            found.append(entry.strip())
    return found


def text_value(value: Any) -> str:
    """A JSON-LD value that should be text (some sites give lists or nodes)."""
    if isinstance(value, list):
        return ", ".join(text_value(entry) for entry in value if text_value(entry))
    if isinstance(value, dict):
        return text_value(value.get("name") or value.get("@value") or "")
    return str(value).strip() if value is not None else ""
