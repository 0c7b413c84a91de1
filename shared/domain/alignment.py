"""Word alignment of a reference against what was spoken.

Two stages, so that long pieces stay fast and short mistakes stay precise:

1. A global minimal edit alignment over whole words (each word's primary
   reading run together, mapped to an int) with rapidfuzz's bit-parallel
   Levenshtein. It runs in C, about O(n*m/64), and being a true minimum it
   never cascades: a skipped paragraph is cheaper to delete than to smear
   across the rest of the text.
2. Every stretch between two exact matches (a *region*) is re-aligned with a
   small dynamic programme that knows about alternative readings: one
   reference word may match several spoken words ("1863" ~ "eighteen sixty
   three") and several reference words one spoken word ("any more" ~
   "anymore"). Ties prefer more matched words. Regions too large for that
   (a garbled minute) keep the global alignment.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, cast

from rapidfuzz.distance import Levenshtein

from shared.domain.numbers import Forms
from shared.domain.realign import DEL, INS, MATCH, SUB, readings, realign, side
from shared.domain.result import WordStatus

# Alignment steps are labelled with the contract's statuses from the start, so
# the refinement passes only touch the few words that are not plain matches.
# (MATCH, SUB, DEL, INS are WordStatus members, re-exported from realign.)
_MAX_REGION_CELLS = 400  # larger regions keep the global alignment
# Re-aligning costs about a microsecond per table cell in Python; a garbled
# 10,000-word transcript has hundreds of regions, so the total is capped too
# (regions are taken in text order, so the result is still deterministic).
_REALIGN_BUDGET = 20_000
_Opcodes = list[tuple[str, int, int, int, int]]


class Link(NamedTuple):
    """One step of the alignment: a reference word and/or spoken words."""

    status: WordStatus  # MATCH, SUB, DEL or INS here; refined by shared.domain.miscues
    ref: int | None  # reference word index; None for an inserted spoken word
    spoken: tuple[int, ...]  # spoken word indices; () when the word was omitted


class Alignment(NamedTuple):
    """The steps, and where the few that are not matches are.

    A long piece is mostly matches; every later pass starts from
    ``unmatched`` instead of scanning all the links again (each scan of
    10,000 links costs about a millisecond).
    """

    links: list[Link]
    unmatched: list[int]  # positions in ``links`` whose status is not MATCH, ascending


def align_words(
    reference: Sequence[Forms],
    spoken: Sequence[Forms],
    ref_keys: Sequence[str],
    spoken_keys: Sequence[str],
    boundaries: frozenset[int] = frozenset(),
) -> Alignment:
    """Align reference words with spoken words, in order.

    Words are given as their readings and as keys (the primary reading run
    together, see ``tokens.Token``); equal keys are exact matches.
    ``boundaries`` are the first word indices of the sections: a run of
    omitted words that could equally sit a word earlier or later (the same
    word ends it and precedes it) is moved to start or end at one, since
    learners skip whole lines rather than a line's tail and the next's head.
    """
    alignment = _align(reference, spoken, ref_keys, spoken_keys)
    return _snap_omissions(alignment, ref_keys, boundaries) if boundaries else alignment


def _align(
    reference: Sequence[Forms],
    spoken: Sequence[Forms],
    ref_keys: Sequence[str],
    spoken_keys: Sequence[str],
) -> Alignment:
    new = tuple.__new__  # builds a Link without NamedTuple.__new__'s Python frame
    ids = {key: n for n, key in enumerate(set(ref_keys).union(spoken_keys))}
    ref_ids, spk_ids = list(map(ids.__getitem__, ref_keys)), list(map(ids.__getitem__, spoken_keys))
    alignment = Alignment([], [])
    links = alignment.links
    region: list[tuple[int, int, int, int]] = []  # non-equal opcodes waiting
    budget = [_REALIGN_BUDGET]
    # The hint only speeds rapidfuzz up (a band around the diagonal, widened
    # when too narrow, so sized for one word in ten differing); the
    # alignment is the same.
    hint = max(64, abs(len(ref_ids) - len(spk_ids)) + (len(ref_ids) + len(spk_ids)) // 20)
    # as_list() gives plain (tag, i0, i1, j0, j1) tuples, cheaper to read than Opcode objects.
    opcodes = cast(_Opcodes, Levenshtein.opcodes(ref_ids, spk_ids, score_hint=hint).as_list())
    for tag, i0, i1, j0, j1 in opcodes:
        if tag != "equal":
            region.append((i0, i1, j0, j1))
            continue
        if region:
            _add(alignment, _resolve_region(reference, spoken, region, budget))
            region = []
        shift = j0 - i0
        links.extend([new(Link, (MATCH, i, (i + shift,))) for i in range(i0, i1)])
    if region:
        _add(alignment, _resolve_region(reference, spoken, region, budget))
    return alignment


def _add(alignment: Alignment, steps: list[Link]) -> None:
    """Append a region's steps, noting where its non-matches land."""
    links = alignment.links
    start = len(links)
    links += steps
    if len(steps) == 1:  # most regions: one word said for another, or one extra
        if steps[0].status is not MATCH:
            alignment.unmatched.append(start)
    else:
        alignment.unmatched.extend([k for k in range(start, len(links)) if links[k].status is not MATCH])


def _snap_omissions(alignment: Alignment, keys: Sequence[str], boundaries: frozenset[int]) -> Alignment:
    # Shifting keeps the list's length, so positions found up front stay valid.
    links = alignment.links
    omitted = [k for k in alignment.unmatched if links[k].status is DEL]
    moved: dict[int, int] = {}  # old position of a shifted omission -> new
    for n, p in enumerate(omitted):
        if n and omitted[n - 1] == p - 1:
            continue  # inside a run
        q = p + 1
        while q < len(links) and links[q].status is DEL:
            q += 1
        shift = _best_shift(links, p, q, keys, boundaries)
        if shift:
            _shift_run(links, p, q, shift)
            moved.update((k, k + shift) for k in range(p, q))
    if not moved:
        return alignment
    # Only omissions and the plain matches beside them moved.
    unmatched = sorted(moved.get(k, k) for k in alignment.unmatched)
    return Alignment(links, unmatched)


def _plain_match(link: Link, ref: int) -> bool:
    return link.status == MATCH and link.ref == ref and len(link.spoken) == 1


def _best_shift(links: list[Link], p: int, q: int, keys: Sequence[str], boundaries: frozenset[int]) -> int:
    """How far (in words, negative = earlier) to move omitted refs p..q-1 to meet a boundary."""
    first, last = links[p].ref, links[q - 1].ref
    assert first is not None and last is not None
    if first in boundaries or last + 1 in boundaries:
        return 0
    left = 0
    while (
        p - left - 1 >= 0
        and _plain_match(links[p - left - 1], first - left - 1)
        and keys[first - left - 1] == keys[last - left]
    ):
        left += 1
        if first - left in boundaries or last + 1 - left in boundaries:
            return -left
    right = 0
    while (
        q + right < len(links)
        and _plain_match(links[q + right], last + right + 1)
        and keys[first + right] == keys[last + right + 1]
    ):
        right += 1
        if first + right in boundaries or last + 1 + right in boundaries:
            return right
    return 0


def _shift_run(links: list[Link], p: int, q: int, shift: int) -> None:
    """Move the omitted run by ``shift`` words, handing spoken words to the neighbours."""
    first, last = links[p].ref, links[q - 1].ref
    assert first is not None and last is not None
    if shift < 0:
        heard = [links[k].spoken for k in range(p + shift, p)]
        omitted = [Link(DEL, r, ()) for r in range(first + shift, last + 1 + shift)]
        matched = [Link(MATCH, last + 1 + shift + k, s) for k, s in enumerate(heard)]
        links[p + shift : q] = omitted + matched
    else:
        heard = [links[k].spoken for k in range(q, q + shift)]
        matched = [Link(MATCH, first + k, s) for k, s in enumerate(heard)]
        omitted = [Link(DEL, r, ()) for r in range(first + shift, last + 1 + shift)]
        links[p : q + shift] = matched + omitted


def _resolve_region(
    reference: Sequence[Forms],
    spoken: Sequence[Forms],
    ops: list[tuple[int, int, int, int]],
    budget: list[int],
) -> list[Link]:
    """Links for one region; ``budget`` holds the table cells still allowed this call."""
    i0, j0 = ops[0][0], ops[0][2]
    i1, j1 = ops[-1][1], ops[-1][3]
    new = tuple.__new__  # as in _align: most regions are one of these three shapes
    if i1 == i0:
        return [new(Link, (INS, None, (j,))) for j in range(j0, j1)]
    if j1 == j0:
        return [new(Link, (DEL, i, ())) for i in range(i0, i1)]
    if i1 - i0 == 1 and j1 - j0 == 1:  # the common case: one word said for another
        status = MATCH if _alternative_match(reference[i0], spoken[j0]) else SUB
        return [new(Link, (status, i0, (j0,)))]
    cells = (i1 - i0) * (j1 - j0)
    if cells > _MAX_REGION_CELLS or cells > budget[0]:
        return _links_from_opcodes(reference, spoken, ops)
    budget[0] -= cells
    steps = realign(side(reference[i0:i1]), side(spoken[j0:j1]))
    return [
        Link(status, None if ref is None else ref + i0, tuple(j + j0 for j in spk))
        for status, ref, spk in steps
    ]


def _links_from_opcodes(
    reference: Sequence[Forms], spoken: Sequence[Forms], ops: list[tuple[int, int, int, int]]
) -> list[Link]:
    """Fallback for huge regions: pair replaced words in order, the rest are gaps."""
    links: list[Link] = []
    for i0, i1, j0, j1 in ops:
        paired = min(i1 - i0, j1 - j0)
        for k in range(paired):
            same = _alternative_match(reference[i0 + k], spoken[j0 + k])
            links.append(Link(MATCH if same else SUB, i0 + k, (j0 + k,)))
        links.extend(Link(DEL, i, ()) for i in range(i0 + paired, i1))
        links.extend(Link(INS, None, (j,)) for j in range(j0 + paired, j1))
    return links


def _alternative_match(ref_forms: Forms, spk_forms: Forms) -> bool:
    """Whether two words whose keys differ share another reading ("tis" ~ "it is")."""
    return (len(ref_forms) > 1 or len(spk_forms) > 1) and not readings(ref_forms).isdisjoint(
        readings(spk_forms)
    )
