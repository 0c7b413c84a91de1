"""Quality floors on a tiny slice of the evaluation set (bench/eval).

The full evaluation (``python -m bench.eval``) is a benchmark; this keeps the
engine and scorer from sliding back below what it measured, in under a
minute: a clean reading, a number-heavy reading and readings with omitted and
substituted words, all synthesised with flite's slt voice, clean channel.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from bench.eval.run import score_case
from bench.eval.texts import MAIN


def _case(kind: str, text: str, seed: int) -> dict[str, Any]:
    return {"set": "floor", "type": "synth", "kind": kind, "text_name": text, "text": MAIN[text],
            "voice": "slt", "condition": "clean", "seed": seed, "name": f"{kind}-{text}-{seed}"}  # fmt: skip


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    if shutil.which("flite") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("flite is required under CI=true")
        pytest.skip("flite is not installed")
    cache: Path = tmp_path_factory.mktemp("eval")
    cases = [_case("clean", "psalm23", 1), _case("numbers", "numbers_main", 2),
             _case("substitute", "gettysburg", 3), _case("skip_phrase", "lords_prayer", 4)]  # fmt: skip
    return {c["kind"]: score_case(c, cache) for c in cases}


def test_correct_readings_score_at_least_95(results: dict[str, dict[str, Any]]) -> None:
    assert results["clean"]["result"]["scores"]["accuracy"] >= 95
    assert results["numbers"]["result"]["scores"]["accuracy"] >= 95


def test_miscues_are_found_without_false_alarms(results: dict[str, dict[str, Any]]) -> None:
    from bench.eval.cases import Truth
    from bench.eval.metrics import add, compare

    counts = add(
        compare(Truth(**results[k]["truth"]), results[k]["result"]) for k in ("substitute", "skip_phrase")
    )
    assert counts["detected"] >= 0.9 * counts["miscues"]
    assert counts["false_alarms"] <= 0.03 * counts["right_words"]
    error = abs(
        results["substitute"]["result"]["scores"]["accuracy"]
        - Truth(**results["substitute"]["truth"]).accuracy
    )
    assert error <= 3
