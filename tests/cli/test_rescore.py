"""``recital rescore`` as an admin runs it, on a copy of one embedded home.

The home (SQLite, local storage) holds three attempts processed by the real
pipeline, two of one piece and one of another, each scored at an old version.
"""

from __future__ import annotations

import base64
import json
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from sqlalchemy import select, update

from shared.container import Container
from shared.db import models
from shared.db.migrate import upgrade
from shared.domain.scoring import SCORING_VERSION
from shared.queue import QUEUE_RESCORE, RESCORE_BATCH
from shared.settings import Settings
from tests.cli.test_commands import embedded_env, recital
from tests.support.attempts import LEARNER, OLD_VERSION, TEXT, new_piece, scored_long_ago
from tests.support.recitations import synthesise
from tests.support.stack import redis_db_url

NEW = {OLD_VERSION, SCORING_VERSION}


@dataclass(frozen=True)
class Library:
    home: Path
    piece: uuid.UUID  # attempts[0] and attempts[1], oldest first
    other_piece: uuid.UUID  # attempts[2]
    attempts: list[uuid.UUID]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    folder = tmp_path_factory.mktemp("rescore")
    settings = Settings(home=folder / "home")
    upgrade(settings)
    deps = Container(settings)
    reading = synthesise(TEXT, folder / "reading.wav")
    piece, other_piece = new_piece(deps), new_piece(deps)
    attempts = [scored_long_ago(deps, p, reading) for p in (piece, piece, other_piece)]
    deps.dispose_engine()
    return Library(settings.home, piece, other_piece, attempts)


@pytest.fixture
def home(library: Library, tmp_path: Path) -> Path:
    """A fresh copy of the library's home for each test."""
    return Path(shutil.copytree(library.home, tmp_path / "home"))


@pytest.fixture
def broker() -> Iterator[tuple[str, redis.Redis]]:
    url = redis_db_url(11)  # no test worker consumes this database
    client = redis.Redis.from_url(url)
    yield url, client
    client.delete(QUEUE_RESCORE)


def deps_for(home: Path) -> Container:
    return Container(Settings(home=home))


def versions(home: Path) -> dict[uuid.UUID, set[str]]:
    found: dict[uuid.UUID, set[str]] = {}
    with deps_for(home).uow() as uow:
        for attempt_id, version in uow.session.execute(
            select(models.Score.attempt_id, models.Score.scoring_version)
        ):
            found.setdefault(attempt_id, set()).add(version)
    return found


def test_dry_run_counts_and_the_embedded_default_scores_here(home: Path, library: Library) -> None:
    env = embedded_env(home)
    dry = recital("rescore", "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith(f"3 attempts would be re-scored at scoring version {SCORING_VERSION}")
    only = recital("rescore", "--dry-run", "--piece", str(library.piece), env=env)
    assert only.stdout.startswith("2 attempts"), only.stdout + only.stderr
    anycase = recital("rescore", "--dry-run", "--learner", LEARNER.upper(), "--json", "--sample", "2",
                      "--seed", "5", env=env)  # fmt: skip
    assert anycase.returncode == 0, anycase.stderr
    assert (json.loads(anycase.stdout)["matching"], json.loads(anycase.stdout)["sampled"]) == (3, 2)
    run = recital("rescore", "--batch-size", "2", env=env)
    assert run.returncode == 0, run.stderr
    assert f"re-scored 3, skipped 0, failed 0 at scoring version {SCORING_VERSION}" in run.stdout
    assert versions(home) == {attempt: NEW for attempt in library.attempts}
    assert recital("rescore", "--dry-run", env=env).stdout.startswith("0 attempts")


def test_a_real_broker_gets_batches_unless_inline(
    home: Path, library: Library, broker: tuple[str, redis.Redis]
) -> None:
    url, client = broker
    env = {**embedded_env(home), "RECITAL_BROKER_URL": url}
    sent = recital("rescore", "--batch-size", "2", env=env)
    assert sent.returncode == 0, sent.stderr
    assert "sent 3 attempts in 2 batches to the rescore queue" in sent.stdout
    messages = [json.loads(m) for m in client.lrange(QUEUE_RESCORE, 0, -1)]
    assert {m["headers"]["task"] for m in messages} == {RESCORE_BATCH}
    batches = [json.loads(base64.b64decode(m["body"]))[0][0] for m in messages]
    assert sorted(map(len, batches)) == [1, 2]
    assert sorted(i for batch in batches for i in batch) == sorted(map(str, library.attempts))
    assert versions(home) == {attempt: {OLD_VERSION} for attempt in library.attempts}

    inline = recital("rescore", "--inline", "--limit", "1", env=env)
    assert inline.returncode == 0 and "re-scored 1, skipped 0" in inline.stdout, inline.stderr
    assert versions(home)[library.attempts[0]] == NEW  # the oldest
    assert client.llen(QUEUE_RESCORE) == 2


def test_an_attempt_that_cannot_be_scored_is_listed_and_exits_1(home: Path, library: Library) -> None:
    with deps_for(home).uow() as uow:
        uow.session.execute(update(models.Piece).filter_by(id=library.other_piece).values(text=""))
        uow.commit()
    run = recital("rescore", env=embedded_env(home))
    assert run.returncode == 1
    assert "re-scored 2, skipped 0, failed 1" in run.stdout, run.stdout + run.stderr
    assert f"failed {library.attempts[2]}: NoWordsToRecite" in run.stderr
    for follow in ([], ["--once"], ["--json"]):  # one exit status however the run is followed
        status = recital("rescore", "status", *follow, env=embedded_env(home))
        assert status.returncode == 1, (follow, status.stdout, status.stderr)
    followed = json.loads(status.stdout)
    dry = json.loads(recital("rescore", "--dry-run", "--json", env=embedded_env(home)).stdout)
    assert [f["attempt_id"] for f in dry["failures"]] == [str(library.attempts[2])]  # as the API's
    assert dry["failures"][0]["reason"].startswith("NoWordsToRecite")
    assert followed["failed"] == 1 and len(followed["failures"]) == 1  # as the admin API lists them
    assert followed["failures"][0]["attempt_id"] == str(library.attempts[2])
    assert followed["failures"][0]["reason"].startswith("NoWordsToRecite")


def test_bad_input_is_refused_with_exit_2(home: Path, library: Library) -> None:
    env = embedded_env(home)
    unknown = recital("rescore", "--piece", str(uuid.uuid4()), env=env)
    assert unknown.returncode == 2 and "No piece with that id" in unknown.stderr, unknown.stderr
    garbled = recital("rescore", "--piece", "psalm-23", env=env)
    assert garbled.returncode == 2 and "Not a piece id" in garbled.stderr, garbled.stderr
    zero = recital("rescore", "--batch-size", "0", env=env)
    assert zero.returncode == 2 and "at least 1" in zero.stderr
    for dry_only in (["--json"], ["--seed", "5"], ["--sample", "10"]):  # without --dry-run: no real run
        refused = recital("rescore", *dry_only, env=env)
        assert refused.returncode == 2 and "--dry-run" in refused.stderr, (dry_only, refused.stderr)
        assert len(refused.stderr.splitlines()) == 1, refused.stderr
    for run_only in (["--limit", "1"], ["--batch-size", "2"], ["--inline"]):  # a dry run would ignore them
        refused = recital("rescore", "--dry-run", *run_only, env=env)
        assert refused.returncode == 2 and "of a real run" in refused.stderr, (run_only, refused.stderr)
    assert versions(home) == {attempt: {OLD_VERSION} for attempt in library.attempts}


def test_a_database_without_tables_is_a_clear_error(tmp_path: Path) -> None:
    run = recital("rescore", "--dry-run", env=embedded_env(tmp_path / "empty-home"))
    assert run.returncode == 2
    assert "run: recital db upgrade" in run.stderr and "Traceback" not in run.stderr, run.stderr
