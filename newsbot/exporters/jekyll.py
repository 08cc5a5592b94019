"""Jekyll posts in the shape of the seed post: YAML front matter, then an HTML body.

The front matter is written by PyYAML's safe dumper, so no title can break it.
Nothing in the body can reach Liquid: every brace from a source page is an
HTML entity, which a browser shows as the brace and Jekyll leaves alone.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

import yaml
from anyascii import anyascii
from itemadapter import ItemAdapter
from scrapy.exporters import BaseItemExporter
from scrapy.settings import BaseSettings

from newsbot.compose import Body, compose_body
from newsbot.compose.texts import post_texts
from newsbot.extract.dates import parse_date, zone
from newsbot.state import url_key
from newsbot.summarize import whole_sentences
from newsbot.text import escape_liquid, plain_text

SLUG_MAX_WORDS_LENGTH = 60
_NON_SLUG = re.compile(r"[^a-z0-9]+")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]{}()<>#+!|])")
SITE_TIMEZONE = "Asia/Seoul"
"""The zone the README's ``_config.yml`` gives the site (``timezone:``): posts carry Korean times."""


@dataclass(frozen=True)
class PostTemplate:
    """The brand and the fixed texts around every post (``NEWSBOT_*`` settings).

    A text left None (the settings' default) follows the post's language: :meth:`text`.
    """

    brand: str = "koreablockchain"
    site_url: str = "https://newsdao.kr"
    brand_image: str = "/assets/img/newsdao_breakingnews.jpg"
    feature_heading: str | None = None
    image_paragraph: str | None = None
    attribution: str | None = None
    footer: str | None = None
    summary_note: str = "*이 요약문은 150자로 요약되었습니다."
    body_mode: str = "brief"
    """``NEWSBOT_BODY``: ``brief``, ``full`` or ``rewrite`` (see :mod:`newsbot.compose`)."""
    key_points_heading: str | None = None
    excerpt_length: int = 150
    post_language: str = "ko"
    """Language of rewritten posts (``NEWSBOT_POST_LANGUAGE``)."""
    site_timezone: str = SITE_TIMEZONE
    """The site's time zone, as in its ``_config.yml`` (``NEWSBOT_SITE_TIMEZONE``): the day of a post's file name."""

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> PostTemplate:
        defaults = cls()
        return cls(
            brand=settings.get("NEWSBOT_BRAND", defaults.brand),
            site_url=settings.get("NEWSBOT_SITE_URL", defaults.site_url),
            brand_image=settings.get("NEWSBOT_BRAND_IMAGE", defaults.brand_image),
            feature_heading=settings.get("NEWSBOT_FEATURE_HEADING", defaults.feature_heading),
            image_paragraph=settings.get("NEWSBOT_IMAGE_PARAGRAPH", defaults.image_paragraph),
            attribution=settings.get("NEWSBOT_ATTRIBUTION", defaults.attribution),
            footer=settings.get("NEWSBOT_FOOTER", defaults.footer),
            summary_note=settings.get("NEWSBOT_SUMMARY_NOTE", defaults.summary_note),
            body_mode=settings.get("NEWSBOT_BODY", defaults.body_mode),
            key_points_heading=settings.get("NEWSBOT_KEY_POINTS_HEADING", defaults.key_points_heading),
            excerpt_length=settings.getint("NEWSBOT_EXCERPT_LENGTH", defaults.excerpt_length),
            post_language=settings.get("NEWSBOT_POST_LANGUAGE", defaults.post_language),
            site_timezone=settings.get("NEWSBOT_SITE_TIMEZONE", defaults.site_timezone),
        )

    def text(self, name: str, language: str) -> str:
        """The template ``name`` (``feature_heading``, ``footer``...) for a post in ``language``: the
        user's when set, else the language's own."""
        value = getattr(self, name)
        return value if value is not None else post_texts(language)[name]


class _FrontMatterDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Safe YAML, folded long texts; libyaml's emitter where PyYAML has it (four times faster)."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = ">" if "\n" in value or (len(value) > 80 and " " in value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_FrontMatterDumper.add_representer(str, _represent_str)


def dump_front_matter(matter: dict) -> str:
    """``matter`` as YAML in the seed's look: lists indented two spaces under their key.

    The emitters write a list flush with its key (the same YAML); keys with a list are
    dumped apart and their item lines, continuation lines included, indented.
    """
    pieces = []
    for is_list, group in groupby(matter.items(), key=lambda pair: isinstance(pair[1], list) and bool(pair[1])):
        text = yaml.dump(
            dict(group), Dumper=_FrontMatterDumper, allow_unicode=True, sort_keys=False, width=100,
            default_flow_style=False,
        )
        # After a block scalar that keeps trailing blank lines libyaml ends the piece with "..."
        # (document end) on a line of its own; the pieces make one document, so the marker would
        # break it. A value of its own ending in "..." ("Alles hat seine Zeit...") stays whole.
        if text.endswith("\n...\n"):
            text = text[: -len("...\n")]
        if is_list:
            text = "".join(
                f"  {line}" if line.strip() and (line[0].isspace() or line.startswith("- ")) else line
                for line in text.splitlines(keepends=True)
            )
        pieces.append(text)
    return "".join(pieces)


def slugify(text: str, max_length: int = SLUG_MAX_WORDS_LENGTH) -> str:
    """ASCII ``[a-z0-9-]`` words of ``text`` (Hangul romanised), at most ``max_length`` long."""
    words = _NON_SLUG.sub("-", anyascii(text).lower()).strip("-")
    if len(words) > max_length:
        words = words[:max_length].rsplit("-", 1)[0] if "-" in words[:max_length] else words[:max_length]
    return words.strip("-")


def post_slug(title: str, url: str) -> str:
    """Title words plus a hash of the article's canonical URL: unique, stable, never empty."""
    digest = hashlib.sha1(url_key(url).encode("utf-8")).hexdigest()[:8]
    words = slugify(title)
    return f"{words}-{digest}" if words else f"article-{digest}"


def post_datetime(item: ItemAdapter) -> datetime:
    """The post's date in the source's own time zone: when the article that opened it was published
    (``post_date``), else when this one was."""
    published = parse_date(item.get("post_date") or item.get("published"), item.get("timezone") or None)
    if published is None:
        raise ValueError("article has no publication date")
    return published.astimezone(zone(item["timezone"])) if item.get("timezone") else published


def post_filename(item: ItemAdapter, site_timezone: str = SITE_TIMEZONE) -> str:
    """``YYYY-MM-DD-<slug>.md`` from the publication date and the article URL.

    The day is the one in the site's zone (Jekyll's ``timezone``, ``NEWSBOT_SITE_TIMEZONE``), where
    Jekyll files the post: an article published at 20:00 in New York is dated the next day in
    Seoul, and its permalink says so; the file name must say the same.
    """
    day = post_datetime(item).astimezone(zone(site_timezone)).strftime("%Y-%m-%d")
    return f"{day}-{post_slug(item.get('title', ''), item.get('canonical_url') or item.get('url'))}.md"


def escape_markdown(text: str) -> str:
    """Text that kramdown's ``markdownify`` shows as is (no links, emphasis or HTML)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def front_matter(item: ItemAdapter, template: PostTemplate, body: Body) -> dict:
    """The seed's keys (title, categories, excerpt, feature_text, image) plus date and source.

    Title and summary are the body's (a rewrite has its own). Korean posts carry the seed's
    note after the summary, as the seed does.
    """
    excerpt = body.excerpt
    if template.summary_note and body.language == "ko":
        # The note goes inside the excerpt's limit (NEWSBOT_EXCERPT_LENGTH): the summary gives up its last sentences.
        note = plain_text(template.summary_note)
        room = max(template.excerpt_length - len(note) - 2, 0)
        excerpt = f"{whole_sentences(excerpt, room, body.language) if room else ''}  {note}".strip()
    heading = template.text("feature_heading", body.language).format(brand=plain_text(template.brand))
    matter = {
        "title": body.title,
        "categories": [plain_text(category) for category in item.get("categories") or ["News"] if plain_text(category)],
        "excerpt": excerpt,
        "feature_text": f"{heading}\n\n{escape_markdown(excerpt)}".strip(),
        "image": item.get("image") or template.brand_image,
        "date": post_datetime(item),
        "source": plain_text(item.get("source")),
        "source_url": item.get("url"),
    }
    if item.get("sources"):
        matter["sources"] = [
            {"name": plain_text(source.get("name")), "url": source.get("url")} for source in item["sources"]
        ]
    if item.get("last_modified_at"):
        matter["last_modified_at"] = datetime.fromisoformat(item["last_modified_at"])
    return matter


def _source_entries(item: ItemAdapter) -> list[tuple[str, str]]:
    """``(name, url)`` of every source to credit: the story's ``sources`` in order, the main article first if missing."""
    main = (plain_text(item.get("source")), item.get("url") or "")
    entries = [
        (plain_text(source.get("name")), source.get("url") or "")
        for source in item.get("sources") or []
        if source.get("url")
    ]
    if main[1] and main[1] not in {url for _, url in entries}:
        entries.insert(0, main)
    return list(dict.fromkeys(entries))


def attribution(item: ItemAdapter, line: str, values: dict[str, str]) -> str:
    """``line`` (``NEWSBOT_ATTRIBUTION``) once for every source of the post (one for a single article)."""
    lines = []
    for name, url in _source_entries(item):
        escaped_url = escape_liquid(html.escape(url))
        lines.append(line.format(**{**values, "source": escape_liquid(html.escape(name or url)), "source_url": escaped_url}))
    return "\n".join(lines)


def render_post(item: object, template: PostTemplate) -> str:
    """The whole post file as text, its body composed per ``template.body_mode``."""
    adapter = ItemAdapter(item)
    body = compose_body(adapter, template)
    matter = front_matter(adapter, template, body)
    # Values from the page land in the body too: escaped for HTML, and for Liquid like the article.
    values = {
        "brand": html.escape(template.brand),
        "site_url": html.escape(template.site_url),
        "image": escape_liquid(html.escape(matter["image"])),
        "source": escape_liquid(html.escape(matter["source"] or matter["source_url"])),
        "source_url": escape_liquid(html.escape(adapter.get("url", ""))),
        "title": escape_liquid(html.escape(matter["title"])),
    }
    yaml_text = dump_front_matter(matter)
    parts = [
        "---",
        yaml_text.rstrip("\n"),
        "---",
        "",
        template.text("image_paragraph", body.language).format(**values),
        "",
        escape_liquid(body.html),
        "",
        attribution(adapter, template.text("attribution", body.language), values),
        template.text("footer", body.language).format(**values),
        "",
    ]
    return "\n".join(parts)


class JekyllPostExporter(BaseItemExporter):
    """Writes one item as one Jekyll post to a binary file."""

    def __init__(self, file, template: PostTemplate | None = None, **kwargs) -> None:
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.template = template or PostTemplate()

    def export_item(self, item: object) -> None:
        self.file.write(render_post(item, self.template).encode("utf-8"))
