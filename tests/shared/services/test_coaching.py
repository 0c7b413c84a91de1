"""The coaching rewrite against the local OpenAI-compatible server on the real Postgres:
stored once per score, sent only text, and the rule note stays when the model fails."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import openai
import pytest

from shared.coaching.openai_writer import OpenAICoachWriter
from shared.container import Container
from shared.db import models
from shared.db.repositories.port import UnitOfWorkPort
from shared.domain.coaching import coaching_note
from shared.services.coaching import rewrite_coaching, shown_note
from shared.settings import Settings
from tests.support.openai_server import API_KEY, OPENAPI_PATH, Fault, OpenAITestServer, OpenAPISchemas
from tests.support.results import scored_result, store_score
from tests.support.stack import require

TEXT = "The Lord is my shepherd; I shall not want. He maketh me to lie down in green pastures."
SPOKEN = "The Lord is my shepherd He maketh me to lie down in green pastures"


@pytest.fixture(scope="module")
def server() -> Iterator[OpenAITestServer]:
    require(OPENAPI_PATH.exists(), f"{OPENAPI_PATH} is needed to check requests against OpenAI's schemas")
    running = OpenAITestServer(OpenAPISchemas(OPENAPI_PATH), api_key=API_KEY).start()
    yield running
    running.stop()


@pytest.fixture
def chat(server: OpenAITestServer) -> Iterator[OpenAITestServer]:
    server.reset()
    yield server
    assert server.violations == [], server.violations


@pytest.fixture
def writer(chat: OpenAITestServer, tmp_path: Path) -> OpenAICoachWriter:
    settings = Settings(home=tmp_path, openai_api_key=API_KEY, openai_base_url=chat.base_url)
    return OpenAICoachWriter(settings)


def scored_attempt(pg: Container, spoken: str = SPOKEN, version: str = "v1") -> uuid.UUID:
    with pg.uow() as uow:
        learner, piece = (
            models.User(handle=f"c-{uuid.uuid4().hex[:8]}"),
            models.Piece(title="Psalm 23", text=TEXT),
        )
        uow.session.add_all([learner, piece])
        uow.session.flush()
        attempt = models.Attempt(
            learner_id=learner.id,
            piece_id=piece.id,
            status="done",
            storage_key="k",
            sha256="0" * 64,
            size_bytes=1,
            format="wav",
        )
        uow.session.add(attempt)
        uow.session.flush()
        add_score(uow, attempt.id, spoken, version)
        uow.commit()
        return attempt.id


def add_score(uow: UnitOfWorkPort, attempt_id: uuid.UUID, spoken: str, version: str) -> None:
    store_score(uow, attempt_id, scored_result(TEXT, spoken), version)


def result_of(pg: Container, attempt_id: uuid.UUID) -> dict:  # type: ignore[type-arg]
    with pg.uow() as uow:
        newest = uow.results.latest_score(attempt_id)
        assert newest is not None
        return dict(newest.result)


def test_the_rewrite_is_stored_once_and_shown_instead_of_the_rule_note(
    pg: Container, chat: OpenAITestServer, writer: OpenAICoachWriter
) -> None:
    attempt_id = scored_attempt(pg)
    rule = coaching_note(**{k: result_of(pg, attempt_id)[k] for k in ("words", "hesitations")})
    with pg.uow() as uow:
        note = rewrite_coaching(uow, writer, attempt_id)
    assert note == f"Nice work. {rule}"
    with pg.uow() as uow:
        assert shown_note(uow, attempt_id, result_of(pg, attempt_id)) == note
        assert rewrite_coaching(uow, writer, attempt_id) == note  # a redelivery: no second call
    assert len(chat.chat_requests) == 1
    sent = chat.chat_requests[0]
    assert sent["model"] == "gpt-4o-mini"
    assert all(isinstance(m["content"], str) for m in sent["messages"])  # text only, never audio
    assert sent["messages"][-1]["content"] == f"Piece: Psalm 23\nNote: {rule}"


def test_a_failing_model_leaves_the_rule_note(
    pg: Container, chat: OpenAITestServer, writer: OpenAICoachWriter
) -> None:
    attempt_id = scored_attempt(pg)
    chat.chat_faults.extend([Fault.server_error(503)] * 3)  # the SDK tries three times
    with pg.uow() as uow, pytest.raises(openai.InternalServerError):
        rewrite_coaching(uow, writer, attempt_id)
    with pg.uow() as uow:
        result = result_of(pg, attempt_id)
        assert shown_note(uow, attempt_id, result) == coaching_note(result["words"], result["hesitations"])


def test_a_gateways_page_in_place_of_an_answer_keeps_the_rule_note(
    pg: Container, chat: OpenAITestServer, writer: OpenAICoachWriter
) -> None:
    """QA: a 200 with an HTML page crashed the task with an AttributeError."""
    attempt_id = scored_attempt(pg)
    chat.chat_faults.append(Fault.html())
    with pg.uow() as uow:
        assert rewrite_coaching(uow, writer, attempt_id) is None
        assert uow.session.get(models.CoachingNote, (attempt_id, "v1")) is None


def test_a_rambling_answer_is_not_kept(
    pg: Container, chat: OpenAITestServer, writer: OpenAICoachWriter
) -> None:
    attempt_id = scored_attempt(pg)
    chat.chat_reply = lambda _note: "Well, " * 200
    with pg.uow() as uow:
        assert rewrite_coaching(uow, writer, attempt_id) is None
        assert uow.session.get(models.CoachingNote, (attempt_id, "v1")) is None


def test_a_rescore_gets_its_own_rewrite(
    pg: Container, chat: OpenAITestServer, writer: OpenAICoachWriter
) -> None:
    attempt_id = scored_attempt(pg)
    with pg.uow() as uow:
        first = rewrite_coaching(uow, writer, attempt_id)
        add_score(uow, attempt_id, TEXT, "v2")
        uow.commit()
    with pg.uow() as uow:
        second = rewrite_coaching(uow, writer, attempt_id)
    assert first != second and second is not None and "Word-perfect" in second
    assert len(chat.chat_requests) == 2
