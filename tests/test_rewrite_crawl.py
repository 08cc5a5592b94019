"""A rewrite crawl of real pages against a stand-in model that misbehaves in every way the issue names."""

from __future__ import annotations

import gzip
import json
import re

from conftest import PAGES, build_with_jekyll, manifest, read_post, run_newsbot
from modelserver import Answer, ScriptedModel, article_of
from test_compose_brief import korean_pages

from newsbot.devserver import LocalServer, LocalSite, SavedPage

INVENTED = "98,765"
# No digits and no double quotes: the guard would reject them before the escaping is put to the test.
HOSTILE = [
    "<script>alert('model')</script>",
    "<img src=x/onerror=alert(document.domain)>",
    "{{ 'owned' | upcase }}",
    "{% include secret.html %}",
    "<a href='javascript:alert(document.cookie)'>link</a>",
]


def faithful(article: dict) -> dict:
    """A good answer: sentences of the article itself, so its numbers and quotes only."""
    text = " ".join(article["text"].split())
    sentences = [piece for piece in re.split(r"(?<=[.!?])\s+", text) if len(piece) > 25][:7]
    while len(sentences) < 7:
        sentences.append(sentences[-1])
    return {
        "title": article["title"],
        "summary": sentences[0],
        "sections": [{"heading": "개요", "paragraphs": sentences[1:3]}, {"heading": "배경", "paragraphs": [sentences[3]]}],
        "key_points": [{"label": "핵심", "text": sentences[4]}, {"label": "전망", "text": sentences[5]}],
        "closing": sentences[6],
    }


def scripted(behaviours: list[str], assigned: dict[str, str]):
    def answer(request: dict) -> Answer:
        article = article_of(request)
        behaviour = assigned.setdefault(article["title"], behaviours[len(assigned) % len(behaviours)])
        good = faithful(article)
        if behaviour == "hostile":
            good["sections"][0]["heading"] = HOSTILE[0]
            good["sections"][1]["paragraphs"] = HOSTILE
            good["key_points"][0]["label"] = HOSTILE[2]
            good["title"] = HOSTILE[0] + article["title"]
        elif behaviour == "invented_number":
            good["closing"] = f"피해 규모는 {INVENTED}명에 이릅니다."
        elif behaviour == "bad_json":
            return Answer(content="Sure! Here is your rewrite: {title: 'oops'")
        elif behaviour == "http_500":
            return Answer(status=500, headers={"Retry-After": "0"})
        elif behaviour == "stall":
            return Answer(stall=True)
        return Answer(content=json.dumps(good, ensure_ascii=False))

    return answer


def test_rewrite_crawl_against_a_misbehaving_model_posts_every_article_safely(tmp_path, jekyll):
    site = LocalSite()
    english = [PAGES / entry["file"] for entry in manifest() if re.search(r"APNews|Reuters|BBC_2024", entry["file"])]
    pages = [*korean_pages(), *[(page, next(e["url"] for e in manifest() if e["file"] == page.name)) for page in english]]
    for page, url in pages:
        site.add(SavedPage(path="/" + url.split("://", 1)[1], body=gzip.decompress(page.read_bytes())))
    behaviours = ["good", "hostile", "invented_number", "bad_json", "http_500", "stall"]
    assigned: dict[str, str] = {}
    model = ScriptedModel(scripted(behaviours, assigned))
    settings = [
        "-s", "NEWSBOT_BODY=rewrite", "-s", "NEWSBOT_LLM_MODEL=stand-in", "-s", "NEWSBOT_LLM_TIMEOUT=2",
        "-s", "NEWSBOT_LLM_API_KEY=sk-never-in-a-log", "-s", "NEWSBOT_QUICK_CHECK=False",
    ]
    with LocalServer(site) as base, model as model_url:
        first = run_newsbot(tmp_path, f"{base}/feed.xml", "-s", f"NEWSBOT_LLM_URL={model_url}", *settings)
        calls_after_first = len(model.requests)
        report = json.loads((tmp_path / ".newsbot" / "last-run.json").read_text(encoding="utf-8"))
        second = run_newsbot(tmp_path, f"{base}/feed.xml", "-s", f"NEWSBOT_LLM_URL={model_url}", *settings)
        assert model.stalled.is_set()
    log = first.stdout + first.stderr
    assert first.returncode == 0, log[-3000:]  # only the model failed: still a good run
    assert "Traceback" not in log and "sk-never-in-a-log" not in log
    assert set(assigned.values()) == set(behaviours)
    posts = {path.name: read_post(path) for path in (tmp_path / "_posts").glob("*.md")}
    assert len(posts) == len(pages)  # as many posts as a brief crawl
    rewritten = [body for _, body in posts.values() if "<table" in body]
    briefs = [body for _, body in posts.values() if "<table" not in body]
    assert len(rewritten) >= 2 and all(body.count("<h2>") >= 1 and "<hr>" not in body for body in briefs)
    for body in rewritten:
        assert re.fullmatch(
            r"\n<p><img [^\n]+</p>\n\n<h2>[^<]+</h2>\n\n<p>.+</p>\n\n<hr>\n\n<table.+</table>\n\n<hr>\n\n<p>[^<]+</p>\n\n"
            r"<p>원문: <a href=[^\n]+</a></p>\n실시간 뉴스 속보는, [^\n]+\n",
            body, re.S,
        ), body
    hostile = [body for body in rewritten if "&lt;script&gt;alert" in body]
    assert hostile and all("&#123;&#123; 'owned' | upcase &#125;&#125;" in body for body in hostile)
    for name, (matter, body) in posts.items():
        everything = json.dumps(matter, default=str, ensure_ascii=False) + body
        assert INVENTED not in everything and INVENTED.replace(",", "") not in everything, name
        assert "<script" not in body and "{{" not in body and "{%" not in body
        assert not re.search(r"<[A-Za-z/!]", matter["title"])
    figures = report["sources"][0]["rewrite"]
    assert figures["calls"] == len(pages) and figures["accepted"] == len(rewritten)
    assert figures["fallbacks"] == len(briefs)
    for reason in ("invented_number", "bad_json", "http_error", "timeout"):
        assert figures[f"fallback_{reason}"] >= 1, figures
    assert figures["prompt_tokens"] == 100 * figures["accepted"]
    assert "model: " in first.stdout and "fell back to a brief" in first.stdout
    assert calls_after_first == len(pages) + 2 * figures["fallback_http_error"]  # each 500 retried twice

    assert second.returncode == 0, (second.stdout + second.stderr)[-3000:]
    assert len(model.requests) == calls_after_first  # the second run calls the model 0 times
    built = build_with_jekyll(jekyll, tmp_path, tmp_path.parent / f"{tmp_path.name}-site", min_pages=len(posts))
    assert "OWNED" not in built and "secret.html" in built  # Liquid shown as text, never run
