"""The scoring entry point and the result contract it produces."""

from __future__ import annotations

import json
import random

import pytest

from shared.domain.result import WordStatus
from shared.domain.scoring import SCORING_VERSION, ScoringOptions, score_recitation
from shared.domain.text import parse_reference
from shared.domain.transcript import SpokenWord, Transcript

PSALM = (
    "The Lord is my shepherd; I shall not want.\n"
    "He maketh me to lie down in green pastures:\n"
    "he leadeth me beside the still waters."
)
NUMBERS = (
    "On the 4th of July 1776, 56 men signed it. By 1863, at 3:30 in the afternoon, "
    "1,000 soldiers had marched 21 miles for $5 a day."
)


def transcript(
    text: str,
    gaps: dict[int, float] | None = None,
    word: float = 0.3,
    gap: float = 0.05,
    start: float = 0.5,
) -> Transcript:
    """Words ``word`` s long and ``gap`` s apart; longer gaps before given indices."""
    words, t = [], start
    for i, w in enumerate(text.split()):
        t += (gaps or {}).get(i, 0.0 if i == 0 else gap)
        words.append(SpokenWord(w, round(t, 3), round(t + word, 3)))
        t += word
    return Transcript.of(words, "test-engine", "test-model")


def test_number_heavy_text_read_correctly_scores_100() -> None:
    said = (
        "on the fourth of july seventeen seventy six fifty six men signed it "
        "by eighteen sixty three at three thirty in the afternoon one thousand "
        "soldiers had marched twenty one miles for five dollars a day"
    )
    result = score_recitation(NUMBERS, transcript(said))
    assert result.scores.accuracy == 100.0
    assert result.scores.completeness == 100.0
    assert {w.status for w in result.words} == {WordStatus.CORRECT}


def test_number_heavy_text_other_readings_and_digits_score_100() -> None:
    said = (
        "on the 4th of july 1776 fifty-six men signed it by one thousand eight hundred "
        "and sixty three at 3:30 in the afternoon a thousand soldiers had marched "
        "21 miles for $5 a day"
    )
    assert score_recitation(NUMBERS, transcript(said)).scores.accuracy == 100.0


def test_contractions_and_spelling_variants_score_100() -> None:
    ref = "'Tis the honour of our defence; ne'er o'er the colour grey at one o'clock."
    said = "tis the honor of our defense never over the color gray at one o'clock"
    assert score_recitation(ref, transcript(said)).scores.accuracy == 100.0


def test_fillers_are_counted_and_cost_no_accuracy() -> None:
    said = "the lord um is my shepherd uh i shall not want erm"
    result = score_recitation(PSALM.splitlines()[0], transcript(said))
    assert result.fillers == 3
    assert result.scores.accuracy == 100.0
    assert all(w.spoken not in {"um", "uh", "erm"} for w in result.words)
    clean = score_recitation(PSALM.splitlines()[0], transcript("the lord is my shepherd i shall not want"))
    assert result.scores.fluency < clean.scores.fluency


def test_filler_that_is_a_word_of_the_piece_is_kept() -> None:
    result = score_recitation("Ah, love, let us be true", transcript("ah love let us be true"))
    assert result.fillers == 0
    assert result.scores.accuracy == 100.0


def test_miscues_in_words_and_accuracy() -> None:
    ref = "The Lord is my shepherd; I shall not want."
    said = "the lord is my good shepherd i will not"
    result = score_recitation(ref, transcript(said))
    rows = [(w.expected, w.spoken, w.status.value, w.index) for w in result.words]
    assert rows == [
        ("The", "the", "correct", 0),
        ("Lord", "lord", "correct", 1),
        ("is", "is", "correct", 2),
        ("my", "my", "correct", 3),
        (None, "good", "inserted", None),
        ("shepherd", "shepherd", "correct", 4),
        ("I", "i", "correct", 5),
        ("shall", "will", "substituted", 6),
        ("not", "not", "correct", 7),
        ("want", None, "omitted", 8),
    ]
    assert result.scores.accuracy == round(100 * 7 / 9, 1)
    assert result.scores.completeness == round(100 * 8 / 9, 1)
    omitted = result.words[-1]
    assert omitted.start is None and omitted.end is None
    assert result.words[0].start == 0.5


def test_repetition_and_self_correction_do_not_cost_accuracy() -> None:
    ref = "he leadeth me beside the still waters"
    said = "he leadeth me me beside the quiet the still waters"
    result = score_recitation(ref, transcript(said))
    statuses = [w.status for w in result.words]
    assert statuses.count(WordStatus.REPEATED) == 2
    corrected = [w for w in result.words if w.status == WordStatus.SELF_CORRECTED]
    assert [(w.expected, w.spoken) for w in corrected] == [("still", "quiet still")]
    assert result.scores.accuracy == 100.0


def test_hesitation_is_placed_before_the_next_word_and_marks_prompted() -> None:
    said = "the lord is my shepherd i shall not want"
    result = score_recitation(PSALM.splitlines()[0], transcript(said, gaps={2: 1.5, 5: 3.2}))
    assert [(h.before_word, h.duration) for h in result.hesitations] == [(2, 1.5), (5, 3.2)]
    prompted = [w.index for w in result.words if w.prompted]
    assert prompted == [5]


def test_silence_before_first_and_after_last_word_is_not_a_hesitation() -> None:
    said = "the lord is my shepherd"
    tr = transcript(said, start=4.0)
    result = score_recitation("The Lord is my shepherd", tr, pauses=[(0.0, 4.0), (5.7, 9.0)], duration=9.0)
    assert result.hesitations == ()


def test_vad_pauses_replace_word_gaps_and_thresholds_are_options() -> None:
    said = "the lord is my shepherd"
    tr = transcript(said, gaps={3: 0.7})  # "is" ends at 1.5, "my" starts at 2.2
    options = ScoringOptions(hesitation_seconds=0.5, prompted_seconds=0.6)
    result = score_recitation("The Lord is my shepherd", tr, options, pauses=[(1.45, 2.25)])
    assert [(h.start, h.end, h.before_word) for h in result.hesitations] == [(1.45, 2.25, 3)]
    assert [w.index for w in result.words if w.prompted] == [3]
    from_gaps = score_recitation("The Lord is my shepherd", tr, options)
    assert [(h.start, h.end, h.before_word) for h in from_gaps.hesitations] == [(1.5, 2.2, 3)]
    assert score_recitation("The Lord is my shepherd", tr, options, pauses=[]).hesitations == ()
    assert score_recitation("The Lord is my shepherd", tr).hesitations == ()  # 0.7 s < 1 s


def test_sections_have_their_own_accuracy() -> None:
    said = "the lord is my shepherd i shall not want he leadeth me beside the still waters"
    result = score_recitation(PSALM, transcript(said))
    assert [s.accuracy for s in result.sections] == [100.0, 0.0, 100.0]
    assert result.sections[1].text == "He maketh me to lie down in green pastures:"
    assert (result.sections[1].first_word, result.sections[1].last_word) == (9, 17)


def test_rates_use_speaking_time() -> None:
    words = " ".join(["the lord is my shepherd"] * 12)  # 60 words
    tr = transcript(words, word=0.4, gap=0.1)  # 0.5 s per word => 120 wpm
    result = score_recitation(words, tr, duration=60.0)
    assert result.scores.wpm == pytest.approx(120.0, abs=1.5)
    assert result.scores.wcpm == result.scores.wpm
    assert result.scores.fluency == 100.0
    assert result.scores.overall == 100.0


def test_empty_transcript_scores_zero() -> None:
    result = score_recitation(PSALM, Transcript.of([], "offline", "m"))
    assert {w.status for w in result.words} == {WordStatus.OMITTED}
    assert len(result.words) == 25
    scores = result.scores
    assert (
        scores.accuracy,
        scores.completeness,
        scores.fluency,
        scores.overall,
        scores.wpm,
        scores.wcpm,
    ) == (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)


def test_empty_reference_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="reference text is empty"):
        score_recitation("", transcript("hello"))


def test_skipped_paragraph_in_long_speech_costs_only_its_words() -> None:
    rng = random.Random(11)
    vocab = "we the people of and to a in that for nation liberty shall not".split()
    paragraphs = [" ".join(rng.choice(vocab) for _ in range(100)) + "." for _ in range(30)]
    said = " ".join(p.rstrip(".") for k, p in enumerate(paragraphs) if k != 17)
    result = score_recitation("\n".join(paragraphs), transcript(said))
    omitted = [w.index for w in result.words if w.status == WordStatus.OMITTED]
    assert omitted == list(range(1700, 1800))
    assert result.scores.accuracy == round(100 * 2900 / 3000, 1)
    assert [s.accuracy for s in result.sections].count(0.0) == 1


def test_result_dict_is_json_with_the_contract_keys() -> None:
    said = "the lord um is my my shepherd i shall not"
    tr = transcript(said, gaps={4: 1.2})
    result = score_recitation(PSALM.splitlines()[0], tr)
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data["scores"]) == {"accuracy", "completeness", "fluency", "overall", "wpm", "wcpm"}
    assert {"expected", "spoken", "status", "start", "end"} <= set(data["words"][0])
    assert {"start", "end", "duration", "before_word"} <= set(data["hesitations"][0])
    assert {"accuracy", "text"} <= set(data["sections"][0])
    assert data["transcript"] == said
    assert (data["engine"], data["model"]) == ("test-engine", "test-model")
    assert data["scoring_version"] == SCORING_VERSION
    assert data["fillers"] == 1
    assert {w["status"] for w in data["words"]} == {"correct", "repeated", "omitted"}


@pytest.mark.parametrize("seed", range(6))
def test_every_reference_word_appears_once_in_order_whatever_was_said(seed: int) -> None:
    rng = random.Random(seed)
    vocab = "the lord is my shepherd i shall not want green pastures um 1863 well-known".split()
    reference = " ".join(rng.choice(vocab[:11]) for _ in range(300)) + " in 1863."
    said = [rng.choice(vocab) for _ in range(rng.randint(0, 400))]
    result = score_recitation(reference, transcript(" ".join(said)))
    indices = [w.index for w in result.words if w.index is not None]
    assert indices == list(range(302))  # 300 words, "in", "1863"
    extra = {WordStatus.INSERTED, WordStatus.REPEATED}
    assert all((w.index is None) == (w.status in extra) for w in result.words)
    assert all((w.spoken is None) == (w.status == WordStatus.OMITTED) for w in result.words)
    heard = sum(len(w.spoken.split()) for w in result.words if w.spoken)
    assert heard == len(said) - said.count("um")
    assert 0 <= result.scores.accuracy <= result.scores.completeness <= 100


def test_engine_punctuation_and_case_do_not_matter() -> None:
    tr = transcript('Four, score "and" seven... YEARS ago.')
    result = score_recitation("Four score and seven years ago", tr)
    assert result.scores.accuracy == 100.0
    assert [w.spoken for w in result.words] == ["Four", "score", "and", "seven", "YEARS", "ago"]


def test_self_correction_spans_from_slip_to_repair() -> None:
    result = score_recitation("the weary man", transcript("the wary weary man"))
    repaired = result.words[1]
    assert (repaired.status, repaired.spoken) == (WordStatus.SELF_CORRECTED, "wary weary")
    assert (repaired.start, repaired.end) == (0.85, 1.5)


def test_a_parsed_piece_scores_like_its_text() -> None:
    tr = transcript("the lord is my good shepherd i shall want")
    from_text = score_recitation(PSALM, tr)
    from_parsed = score_recitation(parse_reference(PSALM), tr)
    assert from_parsed == from_text
    assert from_text.scores.accuracy == round(100 * 8 / 25, 1)  # "not" omitted
