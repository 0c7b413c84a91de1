"""Golden scoring: fixed transcripts and the results scoring gives them, stored
with the SCORING_VERSION that gave them.

Scores are stored per (attempt, scoring version) and ``recital rescore``
only re-scores attempts without a row at the current version, so a change to
what scoring says without a bump would leave old and new rules mixed under
one version; this test fails instead. Regenerate after a bump with
``RECITAL_WRITE_GOLDEN=1 pytest tests/shared/domain/test_golden_scoring.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shared.domain.scoring import SCORING_VERSION, score_recitation
from shared.domain.transcript import SpokenWord, Transcript
from shared.sounds import MEANING_OR_SOUND
from tests.support import golden

GOLDEN = Path(__file__).parent / "golden" / "scoring.json"
PSALM = "The Lord is my shepherd; I shall not want. He restoreth my soul."
LINCOLN = "Four score and seven years ago, in 1863, we can long endure. Ah, the work!"


def _timed(text: str, step: float = 0.4, at: float = 0.0) -> list[SpokenWord]:
    return [
        SpokenWord(w, round(at + k * step, 2), round(at + k * step + step - 0.05, 2))
        for k, w in enumerate(text.split())
    ]


def _case(
    piece: str, words: list[SpokenWord], pauses: list[tuple[float, float]] | None = None
) -> dict[str, Any]:
    transcript = Transcript.of(words, "golden", "golden")
    result = score_recitation(
        piece, transcript, pauses=pauses, duration=30.0, silences=pauses or (), related=MEANING_OR_SOUND
    )
    return result.to_dict()


def _outputs() -> dict[str, Any]:
    psalm = _timed("the lord is my shepherd i shall not want he restoreth my soul")
    # "not [slip] ... not": the copy sounds unlike the first, after a stop
    slip = _timed("the lord is my shepherd i shall not", 0.4) + _timed(
        "not want he restoreth my soul", 0.4, 3.8
    )
    slip[8] = SpokenWord("not", 3.8, 4.15, unlike_previous=True)
    alike = [*psalm[:-1], SpokenWord("sell", psalm[-1].start, psalm[-1].end, 0.46, sounds_like="soul")]
    return {
        "clean": _case(PSALM, psalm),
        "skip_and_swap": _case(PSALM, _timed("a lord is my shepherd he restoreth my sole")),
        "fillers": _case(
            PSALM, _timed("the lord um is my shepherd uh i shall not want he restoreth my soul")
        ),
        "repetition": _case(
            PSALM, _timed("the lord the lord is my shepherd i shall not want he restoreth my soul")
        ),
        "self_correction": _case(
            PSALM, _timed("the lord is my sheep shepherd i shall not want"), [(1.9, 2.3)]
        ),
        "unlike_copy": _case(PSALM, slip, [(3.15, 3.8)]),
        # a synonym said and corrected at once (WordNet: spirit ~ soul), an unrelated word
        # said right before a word, and a function word for a function word (since 2026.12.1)
        "synonym_no_pause": _case(
            PSALM, _timed("the lord is my shepherd i shall not want he restoreth my spirit soul")
        ),
        "unrelated_no_pause": _case(PSALM, _timed("the lord is my river shepherd i shall not want")),
        "function_no_pause": _case(PSALM, _timed("the lord is the my shepherd i shall not want")),
        "sounds_like": _case(PSALM, alike),
        # a slip spelled apart from the word but sounding like it (W AA SH T / W AA N T),
        # corrected at once (the pronouncing dictionary, since 2026.12.3)
        "sound_alike_no_pause": _case(PSALM, _timed("the lord is my shepherd i shall not washed want")),
        "hesitation": _case(PSALM, [*psalm[:5], *_timed("i shall not want", at=6.0)], [(1.95, 6.0)]),
        "numbers_and_own_filler": _case(
            LINCOLN,
            _timed(
                "four score and seven years ago in eighteen sixty three we can can long endure ah the work"
            ),
        ),
        "empty": _case(PSALM, []),
    }


def test_fixed_transcripts_score_as_the_golden_file_says() -> None:
    golden.check(GOLDEN, "SCORING_VERSION", SCORING_VERSION, "shared/domain/scoring.py", _outputs())
