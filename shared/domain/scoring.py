"""Score a recitation: reference text + transcript -> the result contract.

Scores (0-100, one decimal; formulas in docs/scoring.md):

- accuracy = 100 * (correct + self_corrected) / reference words
- completeness = 100 * (reference words not omitted) / reference words
- fluency: see shared.domain.fluency
- overall = 0.6 accuracy + 0.2 completeness + 0.2 fluency
- wpm = words said (no fillers), counted as the text counts them, per minute of speaking
  time: "1863" read as six words is one, as in wcpm
- wcpm = (correct + self_corrected) reference words per minute of speaking time
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from shared.domain.alignment import align_words
from shared.domain.fillers import counted_fillers
from shared.domain.fluency import fluency_score, inner_silences, silences_between
from shared.domain.garbage import collector_paused
from shared.domain.miscues import Judgement, judge
from shared.domain.numbers import Forms
from shared.domain.relations import WordRelations, unrelated
from shared.domain.result import (
    Hesitation,
    ScoredAttempt,
    Scores,
    SectionScore,
)
from shared.domain.text import ReferenceText, parse_reference
from shared.domain.tokens import token_table
from shared.domain.transcript import SpokenWord, Transcript
from shared.domain.wordlist import SAID, WordList, word_list

# Bump with any change to what scoring says for the same input (docs/scoring.md,
# "scoring_version policy"); tests/shared/domain/test_golden_scoring.py fails otherwise.
SCORING_VERSION = "2026.12.13"
OVERALL_WEIGHTS = (0.6, 0.2, 0.2)  # accuracy, completeness, fluency


@dataclass(frozen=True)
class ScoringOptions:
    hesitation_seconds: float = 1.0  # shortest silence reported as a hesitation
    prompted_seconds: float = 3.0  # a hesitation this long marks the next word prompted


DEFAULT_OPTIONS = ScoringOptions()


@dataclass(slots=True)
class _Spoken:
    """The transcript split into words to align and fillers set apart."""

    words: list[SpokenWord]
    keys: list[str]
    forms: list[Forms]
    displays: list[str]  # each word as heard, without surrounding punctuation
    fillers: int
    transcript: str  # every word as the engine wrote it, fillers too


def score_recitation(
    reference_text: str | ReferenceText,
    transcript: Transcript,
    options: ScoringOptions = DEFAULT_OPTIONS,
    *,
    pauses: Sequence[tuple[float, float]] | None = None,
    duration: float | None = None,
    silences: Sequence[tuple[float, float]] = (),
    related: WordRelations = unrelated,
) -> ScoredAttempt:
    """Compare what was said with the piece and score it.

    ``pauses`` are silences from voice-activity detection (start, end in
    seconds); without them the gaps between transcript words are used.
    ``silences`` are the detector's own silences, unmerged: with the pauses
    they tell a repair's short stop (not used for hesitations).
    ``duration`` is the recording length; it bounds the speaking time.
    ``related`` answers whether an extra word means nearly what the next
    word means (a synonym said and corrected at once is a repair);
    ``shared.pipeline`` passes WordNet's answer.
    A piece parsed once with ``parse_reference`` may be passed instead of its
    text (batch re-scoring of one piece saves the parsing, about a fifth of
    the time for a long piece). Raises ValueError when the text has no words.
    """
    with collector_paused():  # see shared.domain.garbage: a third of the time on long pieces
        if not isinstance(reference_text, ReferenceText):
            reference_text = parse_reference(reference_text)
        return _score(reference_text, transcript, options, pauses, duration, silences, related)


def _score(
    reference: ReferenceText,
    transcript: Transcript,
    options: ScoringOptions,
    pauses: Sequence[tuple[float, float]] | None,
    duration: float | None,
    silences: Sequence[tuple[float, float]],
    related: WordRelations,
) -> ScoredAttempt:
    spoken = _split_fillers(transcript.words, reference)
    ref_keys = reference.keys
    starts = frozenset(s.first_word for s in reference.sections)
    alignment = align_words(reference.forms, spoken.forms, ref_keys, spoken.keys, starts)
    stops = [*(pauses or ()), *silences]
    judged = judge(alignment, spoken.keys, spoken.words, ref_keys, stops, reference.phrase_ends, related)
    if pauses is not None:
        gaps = list(pauses)
    else:
        gaps = silences_between(transcript.words, options.hesitation_seconds)
    hesitations = _hesitations(judged, spoken.words, gaps, options.hesitation_seconds)
    prompted = {
        h.before_word
        for h in hesitations
        if h.before_word is not None and h.duration >= options.prompted_seconds
    }
    words = word_list(judged, reference.displays, spoken.displays, spoken.words, prompted)
    return ScoredAttempt(
        scores=_scores(words, reference, spoken, hesitations, duration),
        words=words.words,
        hesitations=tuple(hesitations),
        sections=_sections(words.right_refs, reference),
        transcript=spoken.transcript,
        engine=transcript.engine,
        model=transcript.model,
        scoring_version=SCORING_VERSION,
        fillers=spoken.fillers,
    )


def _split_fillers(words: Sequence[SpokenWord], reference: ReferenceText) -> _Spoken:
    """Drop fillers (unless the piece itself has that word), cues the text holds but nobody
    need recite ("one" for a list's "1."), and empty tokens."""
    texts = [word.text for word in words]
    table = token_table(texts)
    fillers = counted_fillers([t.key for t in table.values()], reference.keys)
    cues = reference.cue_keys
    dropped = {raw for raw, t in table.items() if not t.forms or t.key in fillers or t.key in cues}
    if not dropped:  # the usual case: every word is kept, so columns are taken whole
        forms, keys, displays = zip(*map(table.__getitem__, texts), strict=True) if texts else ((), (), ())
        return _Spoken(list(words), list(keys), list(forms), list(displays), 0, " ".join(texts))
    kept = [i for i, raw in enumerate(texts) if raw not in dropped]
    tokens = [table[texts[i]] for i in kept]
    return _Spoken(
        words=[words[i] for i in kept],
        keys=[t.key for t in tokens],
        forms=[t.forms for t in tokens],
        displays=[t.display for t in tokens],
        fillers=sum(1 for raw in texts if raw in dropped and table[raw].key in fillers),
        transcript=" ".join(texts),
    )


def _hesitations(
    judged: list[Judgement],
    spoken: list[SpokenWord],
    silences: list[tuple[float, float]],
    threshold: float,
) -> list[Hesitation]:
    """Long silences inside the recitation, each placed before the next word said.

    ``before_word`` is the reference index of the first reference word spoken
    after the silence's midpoint (extra words are skipped over); None if the
    silence is followed only by extra words.
    """
    if len(spoken) < 2:
        return []
    inner = inner_silences(silences, spoken[0].end, spoken[-1].start, threshold)
    if not inner:
        return []
    said = [
        (spoken[item.spoken[-1]].start, item.ref)
        for item in judged
        if item.ref is not None and item.status in SAID
    ]
    starts = [start for start, _ in said]
    found = []
    for start, end in inner:
        k = bisect.bisect_left(starts, (start + end) / 2)
        before = said[k][1] if k < len(said) else None
        found.append(Hesitation(round(start, 3), round(end, 3), round(end - start, 3), before))
    return found


def _sections(right_refs: list[int], reference: ReferenceText) -> tuple[SectionScore, ...]:
    if len(reference.sections) == 1:
        right = [len(right_refs)]
    else:
        per_section = Counter(map(reference.section_of.__getitem__, right_refs))
        right = [per_section[s.index] for s in reference.sections]
    return tuple(
        SectionScore(
            s.index,
            s.text,
            s.first_word,
            s.last_word,
            _percent(right[s.index], s.last_word - s.first_word + 1),
        )
        for s in reference.sections
    )


def _scores(
    words: WordList,
    reference: ReferenceText,
    spoken: _Spoken,
    hesitations: list[Hesitation],
    duration: float | None,
) -> Scores:
    total, right, omitted = len(reference), len(words.right_refs), words.omitted
    speaking = _speaking_time(spoken.words, duration)
    minutes = speaking / 60.0
    # In the text's units, as wcpm: the engine's "eighteen sixty three" is one word said.
    wpm = words.said / minutes if minutes > 0 else 0.0
    wcpm = right / minutes if minutes > 0 else 0.0
    pause_time = sum(h.duration for h in hesitations)
    fluency = fluency_score(wpm, pause_time, speaking, spoken.fillers, len(spoken.words))
    accuracy, completeness = _percent(right, total), _percent(total - omitted, total)
    w_acc, w_comp, w_flu = OVERALL_WEIGHTS
    overall = w_acc * accuracy + w_comp * completeness + w_flu * fluency
    return Scores(accuracy, completeness, round(fluency, 1), round(overall, 1), round(wpm, 1), round(wcpm, 1))


def _speaking_time(words: list[SpokenWord], duration: float | None) -> float:
    """Seconds from the first word's start to the last word's end (within duration)."""
    if not words:
        return 0.0
    end = words[-1].end if duration is None else min(words[-1].end, duration)
    return max(0.0, end - words[0].start)


def _percent(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0
