"""Body HTML through an nh3 allowlist: structure stays, anything that runs goes."""

from __future__ import annotations

import nh3

from newsbot.fragments import inner_html, parse_fragment

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "h5", "h6",
        "ul", "ol", "li", "dl", "dt", "dd",
        "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
        "figure", "figcaption", "img", "picture",
        "a", "blockquote", "q", "cite", "pre", "code",
        "b", "strong", "i", "em", "u", "s", "sub", "sup", "small", "mark", "abbr", "time", "span",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start"},
    "time": {"datetime"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
_IMAGE_PREFIXES = ("http://", "https://", "/assets/")
# Whole elements (with their text) that never belong in a post.
_CLEAN_CONTENT_TAGS = frozenset({"script", "style", "iframe", "object", "embed", "form", "noscript", "template", "svg", "math", "button", "select", "textarea"})


def sanitize_html(markup: str) -> str:
    """Allowlisted HTML only: no scripts, styles, frames, forms, handlers or unsafe URLs."""
    cleaned = nh3.clean(
        markup.replace("<h1", "<h2").replace("</h1", "</h2"),
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(_CLEAN_CONTENT_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="nofollow noopener",
        strip_comments=True,
    )
    fragment = parse_fragment(cleaned)
    if fragment is None:
        return ""
    for image in list(fragment.iter("img")):
        source = (image.get("src") or "").strip()
        if not source.startswith(_IMAGE_PREFIXES):
            image.drop_tree()
    for link in list(fragment.iter("a")):
        if not (link.get("href") or "").strip().startswith(("http://", "https://", "mailto:")):
            link.drop_tag()  # the text stays, the link (empty, relative or unsafe) goes
    return inner_html(fragment).strip()
