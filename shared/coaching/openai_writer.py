"""A chat model rewording a rule-built coaching note, through the official SDK.

Only the note and the piece's title are sent: never the recording, never the
learner's name. ``OPENAI_BASE_URL``-style settings point it at the local
OpenAI-compatible test server in tests.
"""

from __future__ import annotations

import openai
from openai.types.chat import ChatCompletion

from shared.settings import Settings

SYSTEM = (
    "You are a warm, precise recitation coach. Reword the coaching note you are given "
    "in at most two short sentences. Keep every quoted word exactly as it is, invent "
    "nothing that the note does not say, and end with one concrete thing to practise."
)
TIMEOUT_SECONDS = 30.0
MAX_TOKENS = 160


class OpenAICoachWriter:
    def __init__(self, settings: Settings) -> None:
        if settings.openai_api_key is None:
            raise ValueError("RECITAL_OPENAI_API_KEY is not set")
        self.model = settings.openai_coaching_model
        self._client = openai.OpenAI(
            api_key=settings.openai_api_key.get_secret_value(),
            base_url=settings.openai_base_url,
            timeout=TIMEOUT_SECONDS,
            max_retries=2,  # the SDK backs off on 429 and 5xx, honouring Retry-After
        )

    def rewrite(self, rule_note: str, piece_title: str) -> str:
        response = self._client.chat.completions.create(
            model=self.model,
            messages=[
                {"role": "system", "content": SYSTEM},
                {"role": "user", "content": f"Piece: {piece_title}\nNote: {rule_note}"},
            ],
            max_tokens=MAX_TOKENS,
            temperature=0.3,
        )
        # The SDK does not check a 200: a gateway's HTML page comes back as a str (QA:
        # an AttributeError in the maintenance log). No usable answer keeps the rule note.
        if not isinstance(response, ChatCompletion) or not response.choices:
            return ""
        content = response.choices[0].message.content
        return content.strip() if isinstance(content, str) else ""
