"""``POST /v1/chat/completions`` for the local OpenAI-compatible test server.

Bearer auth, OpenAI's error JSON, the request and the answer validated against
the published schemas (violations fail the test at teardown, like the
transcription endpoint), and queued faults. The answer is ``server.chat_reply``
applied to the last user message, so a test knows what the model "said".
"""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING, Any

from flask import Response, request

if TYPE_CHECKING:
    from tests.support.openai_server import OpenAITestServer


def default_reply(user_message: str) -> str:
    note = user_message.split("Note: ", 1)[-1]
    return f"Nice work. {note}"


def chat_completions(server: OpenAITestServer) -> Response:
    if request.headers.get("Authorization") != f"Bearer {server.api_key}":
        return server._error(401, "Incorrect API key provided.", code="invalid_api_key")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return server._error(400, "We could not parse the JSON body of your request.")
    if server.schemas:
        server.violations.extend(
            f"request {v}" for v in server.schemas.errors("CreateChatCompletionRequest", body)
        )
    server.chat_requests.append(body)
    fault = server.chat_faults.popleft() if server.chat_faults else None
    if fault is not None:
        faulted = server._apply(fault)
        if faulted is not None:
            return faulted
    users = [m["content"] for m in body.get("messages", []) if m.get("role") == "user"]
    content = server.chat_reply(users[-1] if users else "")
    return server._json("CreateChatCompletionResponse", _completion(body["model"], content))


def _completion(model: str, content: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 40, "completion_tokens": 30, "total_tokens": 70},
    }
