"""A small OpenAI-compatible chat-completions server on 127.0.0.1 that answers from a script.

No model runs: each request is answered by a function of the request (a good rewrite, hostile
markup, an invented number, bad JSON, an HTTP error, or a stall until the test ends).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from newsbot.compose.prompt import ARTICLE_END, ARTICLE_START


@dataclass
class Answer:
    """What the server sends for one request."""

    status: int = 200
    content: str | None = None
    """The assistant message's content (for status 200)."""
    headers: dict[str, str] = field(default_factory=dict)
    stall: bool = False
    """Send nothing until the server closes (past any client timeout)."""


def completion(content: str) -> dict:
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "stand-in",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
    }


def article_of(request: dict) -> dict:
    """The article object the client put between the delimiters of its user message."""
    user = next(message["content"] for message in request["messages"] if message["role"] == "user")
    inside = user.split(ARTICLE_START + "\n", 1)[1].rsplit("\n" + ARTICLE_END, 1)[0]
    return json.loads(inside)


class ScriptedModel:
    """``with ScriptedModel(answer) as base_url:``: every POST is answered by ``answer(request_json)``."""

    def __init__(self, answer: Callable[[dict], Answer]) -> None:
        self.answer = answer
        self.requests: list[dict] = []
        self.headers: list[dict[str, str]] = []
        self.stalled = threading.Event()
        """Set when a request is being stalled."""
        self._release = threading.Event()
        model = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
                model.requests.append(body)
                model.headers.append({name.lower(): value for name, value in self.headers.items()})
                answer = model.answer(body)
                if answer.stall:
                    model.stalled.set()
                    model._release.wait(60)
                    return
                payload = json.dumps(completion(answer.content) if answer.status == 200 else {"error": {"message": "scripted"}})
                data = payload.encode("utf-8")
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
