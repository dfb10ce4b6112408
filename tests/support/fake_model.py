"""A fake model service on loopback that speaks the real protocols (the Anthropic Messages API
and OpenAI-compatible chat completions): it records every request it receives and answers with
what the test sets, so tests see exactly what would leave the platform."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class FakeModel:
    url: str = ""
    requests: list[dict] = field(default_factory=list)
    # The text the "model" answers with; None answers 500.
    reply: str | None = "Rephrased."
    delay: float = 0.0

    def prompts(self) -> str:
        """Everything that was sent, as one text (to search for data that must not leave)."""
        return "\n".join(json.dumps(r["body"]) + json.dumps(r["headers"]) for r in self.requests)


def _handler(model: FakeModel):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            model.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            if model.delay:
                threading.Event().wait(model.delay)
            if model.reply is None:
                self.send_response(500)
                self.end_headers()
                return
            if self.path.endswith("/messages"):
                if not self.headers.get("x-api-key") or "anthropic-version" not in self.headers:
                    self.send_response(401)
                    self.end_headers()
                    return
                answer = {
                    "id": "msg_fake",
                    "type": "message",
                    "role": "assistant",
                    "content": [{"type": "text", "text": model.reply}],
                    "stop_reason": "end_turn",
                }
            else:
                answer = {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": model.reply},
                            "finish_reason": "stop",
                        }
                    ],
                }
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            # the platform may have given up waiting (the timeout test)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    return Handler


@contextmanager
def fake_model_server(path: str = "/v1/messages") -> Iterator[FakeModel]:
    """A FakeModel listening on 127.0.0.1 (a free port) until the block ends."""
    model = FakeModel()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(model))
    model.url = f"http://127.0.0.1:{server.server_address[1]}{path}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield model
    finally:
        server.shutdown()
        server.server_close()
