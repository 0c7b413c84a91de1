"""Fixtures for the fault suite: one engine server and one recording per session,
one throwaway cluster (Redis, PostgreSQL, workers) per scenario."""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.harness import Cluster, Counts, MakeCluster, Recordings, Report
from tests.support.openai_server import OpenAITestServer


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "faults: fault-injection tests on real processes")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the engine server's access log


@pytest.fixture(scope="session")
def engine_server() -> Iterator[OpenAITestServer]:
    # Schema validation is the engine tests' job; here the server only answers and counts.
    server = OpenAITestServer(None).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def recordings(tmp_path_factory: pytest.TempPathFactory) -> Recordings:
    return Recordings.synthesise(tmp_path_factory.mktemp("recording"))


@pytest.fixture
def make_cluster(
    tmp_path: Path, engine_server: OpenAITestServer, recordings: Recordings
) -> Iterator[MakeCluster]:
    clusters: list[Cluster] = []

    def make(name: str = "cluster", **knobs: object) -> Cluster:
        cluster = Cluster(tmp_path / name, engine_server, recordings, **knobs)
        clusters.append(cluster)
        return cluster.start()

    yield make
    for cluster in clusters:
        cluster.close()


@pytest.fixture
def report(request: pytest.FixtureRequest) -> Iterator[Report]:
    """Print the scenario's counts where the person running the suite sees them."""
    started = time.monotonic()
    lines: list[str] = []

    def emit(counts: Counts, label: str = "") -> None:
        prefix = f"{request.node.name}" + (f" [{label}]" if label else "")
        lines.append(f"{prefix}: {counts.line()}")

    yield emit
    elapsed = time.monotonic() - started
    lines.append(f"{request.node.name}: {elapsed:.1f}s")
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        print("\n" + "\n".join(f"[faults] {line}" for line in lines), file=sys.stderr, flush=True)
