"""The rewrite: one chat-completions call per post to any OpenAI-compatible server, checked, in the seed's shape.

The model answers one JSON object (the contract below); it is validated strictly, checked against
the article (:mod:`newsbot.compose.guard`) and rendered as plain text in the seed's layout: sections
(``<h2>`` and paragraphs), ``<hr>``, a two-column key-points table, ``<hr>``, a closing paragraph.
Anything that goes wrong (HTTP errors after two retries, a timeout, bad JSON, a broken contract, an
invented number or quotation) leaves the post a brief and is counted by reason under
``newsbot/rewrite/fallback/<reason>``. Accepted rewrites are cached in the state, keyed by the
article's text, the model and :data:`~newsbot.compose.prompt.PROMPT_VERSION`.

Contract::

    {"title": str, "summary": str, "sections": [{"heading": str, "paragraphs": [str, ...]}, ...],
     "key_points": [{"label": str, "text": str}, ...], "closing": str}
"""

from __future__ import annotations

import asyncio
import email.utils
import hashlib
import html
import json
import logging
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import nh3
from itemadapter import ItemAdapter

from newsbot.compose import guard
from newsbot.compose.brief import article_text
from newsbot.compose.prompt import PROMPT_VERSION, article_message, system_prompt
from newsbot.sanitize import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from newsbot.state import StateStore

logger = logging.getLogger(__name__)

# Longest string per field, in characters, and most items per list: a reply past these is not a post.
LIMITS = {"title": 200, "summary": 600, "heading": 120, "paragraph": 1500, "label": 80, "text": 400, "closing": 1000}
MAX_SECTIONS = 8
MAX_PARAGRAPHS = 6
MAX_KEY_POINTS = 8
MAX_ARTICLE_CHARS = 12000
"""The article text sent to the model is cut here (a wire article is 1,000-3,000 characters)."""


class RewriteFailed(Exception):
    """The post falls back to a brief; ``reason`` is the stats key's last part."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def _string(value: Any, field: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RewriteFailed("contract", f"{field} is not a non-empty string")
    value = " ".join(value.split())
    if len(value) > limit:
        raise RewriteFailed("contract", f"{field} is longer than {limit} characters")
    return value


def _list(value: Any, field: str, most: int) -> list:
    if not isinstance(value, list) or not value:
        raise RewriteFailed("contract", f"{field} is not a non-empty list")
    if len(value) > most:
        raise RewriteFailed("contract", f"{field} has more than {most} items")
    return value


def _object(value: Any, field: str, keys: set[str]) -> dict:
    if not isinstance(value, dict) or set(value) != keys:
        raise RewriteFailed("contract", f"{field} must be an object with exactly the keys {', '.join(sorted(keys))}")
    return value


def validate_contract(data: Any) -> dict:
    """The reply as the contract says, white space collapsed; :class:`RewriteFailed` ("contract") otherwise."""
    data = _object(data, "the reply", {"title", "summary", "sections", "key_points", "closing"})
    sections = []
    for number, section in enumerate(_list(data["sections"], "sections", MAX_SECTIONS), 1):
        section = _object(section, f"section {number}", {"heading", "paragraphs"})
        sections.append({
            "heading": _string(section["heading"], f"section {number} heading", LIMITS["heading"]),
            "paragraphs": [
                _string(paragraph, f"section {number} paragraph", LIMITS["paragraph"])
                for paragraph in _list(section["paragraphs"], f"section {number} paragraphs", MAX_PARAGRAPHS)
            ],
        })
    key_points = []
    for number, point in enumerate(_list(data["key_points"], "key_points", MAX_KEY_POINTS), 1):
        point = _object(point, f"key point {number}", {"label", "text"})
        key_points.append({
            "label": _string(point["label"], f"key point {number} label", LIMITS["label"]),
            "text": _string(point["text"], f"key point {number} text", LIMITS["text"]),
        })
    return {
        "title": _string(data["title"], "title", LIMITS["title"]),
        "summary": _string(data["summary"], "summary", LIMITS["summary"]),
        "sections": sections,
        "key_points": key_points,
        "closing": _string(data["closing"], "closing", LIMITS["closing"]),
    }


def contract_strings(rewrite: dict) -> list[str]:
    """Every string of a validated rewrite, for the guard."""
    strings = [rewrite["title"], rewrite["summary"], rewrite["closing"]]
    for section in rewrite["sections"]:
        strings += [section["heading"], *section["paragraphs"]]
    for point in rewrite["key_points"]:
        strings += [point["label"], point["text"]]
    return strings


def check_rewrite(rewrite: dict, article: str, article_language: str) -> None:
    """:class:`RewriteFailed` when the rewrite holds a number or a quotation the article does not."""
    strings = contract_strings(rewrite)
    invented = guard.invented_numbers(strings, article)
    if invented:
        raise RewriteFailed("invented_number", ", ".join(invented[:5]))
    quotes = guard.invented_quotations(strings, article, article_language)
    if quotes:
        raise RewriteFailed("invented_quote", quotes[0][:80])


def parse_reply(content: str | None) -> dict:
    """The message content as the contract's object: :class:`RewriteFailed` ("bad_json") when it is not JSON."""
    try:
        data = json.loads(content or "")
    except ValueError as exc:
        raise RewriteFailed("bad_json", str(exc)) from None
    return validate_contract(data)


def _text(value: str) -> str:
    """A model's string as HTML text: never markup."""
    return html.escape(value, quote=True)


_TABLE_ATTRIBUTES = {**ALLOWED_ATTRIBUTES, "table": {"style", "border"}, "td": {"style"}}


def render_rewrite(rewrite: dict, key_points_heading: str, detail_heading: str) -> str:
    """The rewrite in the seed's shape; every model string escaped, the whole through nh3 as well.

    The key-points table's two headings: ``key_points_heading`` and ``detail_heading``."""
    parts = []
    for section in rewrite["sections"]:
        parts.append(f"<h2>{_text(section['heading'])}</h2>")
        parts += [f"<p>{_text(paragraph)}</p>" for paragraph in section["paragraphs"]]
    rows = [
        '<tr>\n<td style="text-align: center; width: 30%;"><b>{}</b></td>\n'
        '<td style="text-align: center; width: 70%;"><b>{}</b></td>\n</tr>'.format(_text(key_points_heading), _text(detail_heading))
    ]
    rows += [
        '<tr>\n<td style="text-align: center;"><b>{}</b></td>\n<td style="text-align: center;">{}</td>\n</tr>'.format(
            _text(point["label"]), _text(point["text"])
        )
        for point in rewrite["key_points"]
    ]
    table = '<table style="width: 100%;" border="1">\n<tbody>\n' + "\n".join(rows) + "\n</tbody>\n</table>"
    parts += ["<hr>", table, "<hr>", f"<p>{_text(rewrite['closing'])}</p>"]
    return nh3.clean(
        "\n\n".join(parts),
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in _TABLE_ATTRIBUTES.items()},
        filter_style_properties={"text-align", "width"},
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
    )


def cache_key(text: str, model: str) -> str:
    """What a cached rewrite is valid for: the article's text, the model and the prompt."""
    digest = hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()
    return f"{digest}:{model}:{PROMPT_VERSION}"


@dataclass
class Reply:
    """A model's accepted rewrite and what it cost."""

    rewrite: dict
    prompt_tokens: int = 0
    completion_tokens: int = 0
    retries: int = 0


def _retry_after(response: Any) -> float | None:
    """Seconds the server asked to wait (``Retry-After`` as seconds or an HTTP date), or None."""
    value = (getattr(response, "headers", None) or {}).get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        when = email.utils.parsedate_to_datetime(value) if value else None
        return max(when.timestamp() - time.time(), 0.0) if when else None


class ModelClient:
    """One chat-completions call through the official ``openai`` client, with newsbot's retry rule:
    HTTP 429 and 5xx retried at most twice with backoff, honoring ``Retry-After``; nothing else is."""

    max_retries = 2
    backoff_seconds = 1.0
    longest_wait = 60.0
    """A ``Retry-After`` longer than this is not waited for: the post falls back instead."""

    def __init__(self, base_url: str, model: str, api_key: str, timeout: float, post_language: str) -> None:
        from openai import OpenAI  # loaded for rewrites only

        self.model = model
        self.post_language = post_language
        # The SDK's own retries are off: it would retry timeouts too, and a stalled server would cost three.
        self.client = OpenAI(base_url=base_url or None, api_key=api_key, timeout=timeout, max_retries=0)

    def rewrite(self, title: str, source: str, published: str, text: str, article_language: str) -> Reply:
        """A checked rewrite of the article, or :class:`RewriteFailed`. Blocking: run it in a thread."""
        import openai

        messages = [
            {"role": "system", "content": system_prompt(self.post_language)},
            {"role": "user", "content": article_message(title, source, published, text[:MAX_ARTICLE_CHARS])},
        ]
        retries = 0
        while True:
            try:
                completion = self.client.chat.completions.create(
                    model=self.model, messages=messages, response_format={"type": "json_object"}, temperature=0.2
                )
                break
            except openai.APITimeoutError:
                raise RewriteFailed("timeout") from None
            except openai.APIStatusError as exc:
                status = exc.status_code
                if (status == 429 or status >= 500) and retries < self.max_retries:
                    wait = _retry_after(exc.response)
                    wait = self.backoff_seconds * 2**retries if wait is None else wait
                    if wait <= self.longest_wait:
                        retries += 1
                        logger.info("model answered HTTP %s; retry %d in %.1f s", status, retries, wait)
                        time.sleep(wait)
                        continue
                raise RewriteFailed("http_error", f"HTTP {status}") from None
            except openai.APIConnectionError as exc:
                raise RewriteFailed("connection", type(exc).__name__) from None
            except openai.OpenAIError as exc:  # a reply the SDK cannot read
                raise RewriteFailed("bad_json", type(exc).__name__) from None
        choice = completion.choices[0] if completion.choices else None
        rewrite = parse_reply(choice.message.content if choice else None)
        check_rewrite(rewrite, text, article_language)
        usage = completion.usage
        return Reply(
            rewrite,
            prompt_tokens=getattr(usage, "prompt_tokens", 0) or 0,
            completion_tokens=getattr(usage, "completion_tokens", 0) or 0,
            retries=retries,
        )


class Rewriter:
    """Gives posts a rewrite for ``NEWSBOT_BODY=rewrite``: cache first, then the model, in threads.

    The writer calls :meth:`rewrite_item` under the post's claim, so in Redis mode only the worker
    holding the claim calls the model. ``NEWSBOT_LLM_CONCURRENCY`` calls run at once, at most
    ``NEWSBOT_LLM_MAX_PER_RUN`` per run; the reactor never waits on one.
    """

    timeout = 60.0
    concurrency = 2
    max_per_run = 100
    post_language = "ko"

    def __init__(self, crawler: Crawler, state: StateStore) -> None:
        settings = crawler.settings
        self.stats = crawler.stats
        self.state = state
        self.model = settings.get("NEWSBOT_LLM_MODEL", "")  # required with rewrite: newsbot.config checks
        self.concurrency = settings.getint("NEWSBOT_LLM_CONCURRENCY", self.concurrency)
        self.max_per_run = settings.getint("NEWSBOT_LLM_MAX_PER_RUN", self.max_per_run)
        self.client = ModelClient(
            settings.get("NEWSBOT_LLM_URL", ""),
            self.model,
            settings.get("NEWSBOT_LLM_API_KEY") or os.environ.get("OPENAI_API_KEY") or "none",
            settings.getfloat("NEWSBOT_LLM_TIMEOUT", self.timeout),
            settings.get("NEWSBOT_POST_LANGUAGE", self.post_language),
        )
        self.calls = 0
        self._slots: asyncio.Semaphore | None = None

    async def rewrite_item(self, item: object) -> None:
        """Set the item's ``rewrite`` (cached or new); leave it empty and count why when there is none."""
        adapter = ItemAdapter(item)
        text = article_text(adapter)
        key = cache_key(text, self.model)
        cached = self.state.cached_rewrite(key)
        if cached is not None:
            adapter["rewrite"] = cached
            self.stats.inc_value("newsbot/rewrite/cached")
            return
        if self.max_per_run and self.calls >= self.max_per_run:
            self._fall_back(adapter, "max_per_run")
            return
        self.calls += 1
        if self._slots is None:
            self._slots = asyncio.Semaphore(max(self.concurrency, 1))
        async with self._slots:
            self.stats.inc_value("newsbot/rewrite/calls")
            try:
                reply = await asyncio.to_thread(
                    self.client.rewrite,
                    adapter.get("title") or "",
                    adapter.get("source") or "",
                    adapter.get("published") or "",
                    text,
                    adapter.get("language") or "",
                )
            except RewriteFailed as exc:
                self._fall_back(adapter, exc.reason, str(exc))
                return
        self.stats.inc_value("newsbot/rewrite/accepted")
        self.stats.inc_value("newsbot/rewrite/tokens/prompt", reply.prompt_tokens)
        self.stats.inc_value("newsbot/rewrite/tokens/completion", reply.completion_tokens)
        if reply.retries:
            self.stats.inc_value("newsbot/rewrite/retries", reply.retries)
        self.state.record_rewrite(key, reply.rewrite)
        adapter["rewrite"] = reply.rewrite

    def _fall_back(self, adapter: ItemAdapter, reason: str, detail: str = "") -> None:
        self.stats.inc_value("newsbot/rewrite/fallback")
        self.stats.inc_value(f"newsbot/rewrite/fallback/{reason}")
        logger.warning("no rewrite for %s (%s); posting a brief", adapter.get("url"), detail or reason)
