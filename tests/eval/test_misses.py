"""The misses listing names each thing a result got wrong, by kind."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import Any

from bench.eval.cases import Case, build
from bench.eval.misses import case_misses, said_text
from bench.eval.run import plan


def _item(kind: str) -> dict[str, Any]:
    return next(i for i in plan("tune", False) if i["kind"] == kind)


def _truth(item: dict[str, Any]) -> dict[str, Any]:
    case = Case(item["name"], item["text"], item["kind"], item["voice"], item["condition"], item["seed"])
    case.lexicon = item["lexicon"]
    built = build(case).truth
    assert built is not None
    return asdict(built)


def test_each_kind_of_miss_is_named_where_it_happened() -> None:
    item = _item("sc_pause")
    truth = _truth(item)
    repaired = [i for i, s in enumerate(truth["statuses"]) if s == "self_corrected"]
    right = [i for i, s in enumerate(truth["statuses"]) if s == "correct"]
    status = {i: "correct" if s == "self_corrected" else s for i, s in enumerate(truth["statuses"])}
    status[repaired[0]] = "self_corrected"  # the first repair found, the others missed
    status[right[0]] = "substituted"
    status[right[1]] = "self_corrected"
    words = [{"index": i, "status": s, "expected": f"w{i}", "spoken": f"w{i}"} for i, s in status.items()]
    lines = case_misses({"truth": truth, "result": {"words": words}})
    kinds = Counter(line.split(" @")[0] for line in lines)
    assert kinds == {"FALSE ALARM": 1, "REPAIR UNFOUNDED": 1, "REPAIR MISSED": len(repaired) - 1}
    places = [int(line.split("@")[1].split()[0]) for line in lines]
    assert places == sorted(places)  # in the piece's order
    assert f"FALSE ALARM @{right[0]} 'w{right[0]}'" in "\n".join(lines)
    # A repair after a pause shows the pause in what was said.
    assert "s]" in said_text(item)


def test_an_insertion_with_no_extra_word_reported_near_it_is_named() -> None:
    item = _item("insert_before")
    truth = _truth(item)
    words = [{"index": i, "status": s, "expected": "", "spoken": ""} for i, s in enumerate(truth["statuses"])]
    lines = case_misses({"truth": truth, "result": {"words": words}})
    assert len(lines) == len(truth["extras"])
    assert all(line.startswith("EXTRA MISSED inserted") for line in lines)
    anchor = truth["extras"][0][0]
    words.insert(anchor + 1, {"index": None, "status": "inserted", "expected": None, "spoken": "x"})
    assert len(case_misses({"truth": truth, "result": {"words": words}})) == len(lines) - 1
