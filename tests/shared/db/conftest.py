"""The repository contract's two worlds: the in-memory fakes and Postgres."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shared.container import Container
from shared.settings import Settings
from tests.support.worlds import FakeWorld, PostgresWorld, World


@pytest.fixture(scope="module")
def pg_container(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    container = Container(Settings(home=tmp_path_factory.mktemp("contract"), database_url=pg_url))
    yield container
    container.engine.dispose()


@pytest.fixture(params=["fake", "postgres"])
def world(request: pytest.FixtureRequest) -> World:
    if request.param == "fake":
        return FakeWorld()
    return PostgresWorld(request.getfixturevalue("pg_container"))
