"""The evaluation's splits: issue #23's shapes are built as planned, and the
final split shares nothing with what the rules may be tuned on."""

from __future__ import annotations

from collections import Counter

from bench.eval.cases import Case, build
from bench.eval.final_texts import FINAL
from bench.eval.run import plan
from bench.eval.texts import HELD_OUT, MAIN


def _built(split: str) -> list[Case]:
    cases = []
    for i in plan(split, False):
        case = Case(i["name"], i["text"], i["kind"], i["voice"], i["condition"], i["seed"])
        case.lexicon = i["lexicon"]
        cases.append(build(case))
    return cases


def test_standard_splits_keep_their_cases() -> None:
    # main and held_out are comparable with the history only while they stay the same.
    assert len(plan("main", False)) == len(plan(False, False)) == 114
    assert [i["name"] for i in plan("held_out", False)] == [i["name"] for i in plan(True, False)]


def test_self_corrections_come_in_every_timing_and_relation() -> None:
    for split in ("tune", "final"):
        cases = _built(split)
        repairs = [r for c in cases for r in c.truth.repairs]  # type: ignore[union-attr]
        timings, relations = Counter(r[1] for r in repairs), Counter(r[2] for r in repairs)
        assert set(timings) == {"none", "short", "pause"} and min(timings.values()) >= 15, timings
        assert set(relations) == {"synonym", "near_sound", "function"} and min(relations.values()) >= 12
        for case in cases:
            truth = case.truth
            assert truth is not None
            for index, timing, _ in truth.repairs:
                assert truth.statuses[index] == "self_corrected"
                slip = next(k for k, t in enumerate(case.tokens) if t.ref == index) - 1
                pause = case.tokens[slip].pause
                assert case.tokens[slip].ref is None
                assert {"none": pause == 0, "short": 0.05 <= pause <= 0.25, "pause": pause >= 0.35}[timing]


def test_unrelated_insertions_sit_right_before_a_word() -> None:
    for case in _built("final"):
        if case.kind != "insert_before":
            continue
        assert case.truth is not None and len(case.truth.extras) == 3
        for after, kind in case.truth.extras:
            at = next(k for k, t in enumerate(case.tokens) if t.ref == after + 1)
            assert kind == "inserted" and case.tokens[at - 1].ref is None and case.tokens[at - 1].pause == 0


def test_every_shape_kind_is_read_in_every_voice() -> None:
    for split in ("tune", "final"):
        voices: dict[str, set[str]] = {}
        for item in plan(split, False):
            voices.setdefault(item["kind"], set()).add(item["voice"])
        assert all(len(v) == 6 for v in voices.values()), voices


def test_final_split_uses_texts_used_nowhere_else() -> None:
    assert not set(FINAL) & (set(MAIN) | set(HELD_OUT))
    tuned = " ".join((*MAIN.values(), *HELD_OUT.values()))
    assert all(text[:40] not in tuned for text in FINAL.values())
    assert {i["text_name"] for i in plan("final", False)} == set(FINAL)
