"""The pieces repository's contract, on the in-memory fake and on Postgres.

Postgres keeps the rows of earlier tests in this module, so each test names
its pieces with a fresh token and searches for it.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from shared.db.repositories.port import PieceRecord
from shared.domain.clock import utcnow
from tests.support.worlds import World


def token() -> str:
    return f"tok{uuid.uuid4().hex[:10]}"


def add(world: World, owner: uuid.UUID, title: str, text: str = "one two", visibility: str = "private",
        seconds: int = 0) -> PieceRecord:  # fmt: skip
    with world.uow() as uow:
        piece = uow.pieces.add(owner, title, text, visibility, utcnow() + timedelta(seconds=seconds))
        uow.commit()
        return piece


def test_an_added_piece_is_read_back_as_stored(world: World) -> None:
    owner = world.add_user()
    added = add(world, owner, "Ozymandias", "I met a traveller", "public")
    with world.uow() as uow:
        assert uow.pieces.get(added.id) == added
        assert uow.pieces.get(uuid.uuid4()) is None
    assert (added.owner_id, added.title, added.text, added.visibility) == (
        owner, "Ozymandias", "I met a traveller", "public",
    )  # fmt: skip


def test_an_uncommitted_piece_is_not_stored(world: World) -> None:
    owner = world.add_user()
    with world.uow() as uow:
        piece = uow.pieces.add(owner, "t", "x", "private", utcnow())
    with world.uow() as uow:
        assert uow.pieces.get(piece.id) is None


def test_a_private_piece_is_visible_to_its_owner_alone(world: World) -> None:
    owner, other = world.add_user(), world.add_user()
    private, public = add(world, owner, "mine"), add(world, owner, "ours", visibility="public")
    with world.uow() as uow:
        assert uow.pieces.visible(private.id, owner) == private
        assert uow.pieces.visible(private.id, other) is None
        assert uow.pieces.visible(public.id, other) == public
        assert uow.pieces.visible(uuid.uuid4(), owner) is None


def test_listing_shows_own_pieces_first_then_public_ones_newest_first_and_pages(world: World) -> None:
    owner, other, tok = world.add_user(), world.add_user(), token()
    mine_old = add(world, owner, f"{tok} a", seconds=1)
    theirs_new = add(world, other, f"{tok} b", visibility="public", seconds=3)
    theirs_old = add(world, other, f"{tok} b", visibility="public", seconds=0)
    mine_new = add(world, owner, f"{tok} a", visibility="public", seconds=2)
    add(world, other, f"{tok} c")  # private to someone else: never listed
    with world.uow() as uow:
        listed, total = uow.pieces.list_visible(owner, 10, 0, tok)
        expected = [mine_new.id, mine_old.id, theirs_new.id, theirs_old.id]
        assert ([p.id for p in listed], total) == (expected, 4)
        page, total = uow.pieces.list_visible(owner, 1, 2, tok)
        assert ([p.id for p in page], total) == ([theirs_new.id], 4)


def test_search_matches_title_or_text_in_any_case(world: World) -> None:
    owner, tok = world.add_user(), token()
    by_title = add(world, owner, f"The {tok.upper()} poem")
    by_text = add(world, owner, "Untitled", f"lines with {tok} inside", seconds=1)
    add(world, owner, "Unrelated", "nothing here", seconds=2)
    with world.uow() as uow:
        listed, total = uow.pieces.list_visible(owner, 10, 0, tok)
        assert ([p.id for p in listed], total) == ([by_text.id, by_title.id], 2)


def test_search_takes_like_wildcards_literally(world: World) -> None:
    owner, tok = world.add_user(), token()
    percent = add(world, owner, f"{tok} 100% sure")
    add(world, owner, f"{tok} 100 x sure", seconds=1)
    underscore = add(world, owner, f"{tok} a_b", seconds=2)
    add(world, owner, f"{tok} axb", seconds=3)
    backslash = add(world, owner, f"{tok} c\\d", seconds=4)
    with world.uow() as uow:
        for needle, expected in (("0% s", percent), ("a_b", underscore), ("c\\d", backslash)):
            listed, total = uow.pieces.list_visible(owner, 10, 0, needle)
            assert [p.id for p in listed if p.title.startswith(tok)] == [expected.id], needle


def test_search_reads_curly_quotes_as_straight(world: World) -> None:
    """A learner types "didn't"; a text pasted from the web says "didn’t" (it was not found)."""
    owner, tok = world.add_user(), token()
    curly = add(
        world, owner, f"{tok} Creed", "and didn\u2019t look back at the \u201cwell-known\u201d caf\u00e9"
    )
    straight = add(world, owner, f"{tok} \u2018O\u2019er the hills\u2019", "I didn't", seconds=1)
    with world.uow() as uow:
        for needle, expected in (
            ("didn't look", [curly]),
            ("DIDN\u2019T", [straight, curly]),
            ('"well-known"', [curly]),
            ("'o'er", [straight]),
        ):
            listed, _ = uow.pieces.list_visible(owner, 10, 0, needle)
            assert [p.id for p in listed if p.title.startswith(tok)] == [p.id for p in expected], needle


def test_search_folds_accents_and_reads_hyphens_as_spaces_or_nothing(world: World) -> None:
    """A learner types "cafe", "well known" or "wellknown" (QA: none found "café" or "well-known")."""
    owner, tok = world.add_user(), token()
    cafe = add(world, owner, f"{tok} Caf\u00e9 song", "a well-known tale of Stra\u00dfe")
    plain = add(world, owner, f"{tok} plain", "an explanation", seconds=1)
    with world.uow() as uow:
        for needle, expected in (
            ("cafe", [cafe]),
            ("CAF\u00c9 SONG", [cafe]),
            ("well known", [cafe]),
            ("wellknown", [cafe]),
            ("well-known tale", [cafe]),
            ("strasse", [cafe]),
            ("a nation", []),
            ("explanation", [plain]),
        ):
            listed, _ = uow.pieces.list_visible(owner, 10, 0, needle)
            assert [p.id for p in listed if p.title.startswith(tok)] == [p.id for p in expected], needle


def test_a_piece_saved_without_its_folded_form_is_found_as_typed(world: World) -> None:
    """A web process still running the code from before migration 0019 (it serves while the
    migration runs) saves no folded form: the piece is still found, as before, in any case."""
    owner, tok = world.add_user(), token()
    piece = add(world, owner, f"{tok} Caf\u00e9 unfolded")
    world.unfold(piece.id)
    with world.uow() as uow:
        assert [p.id for p in uow.pieces.list_visible(owner, 10, 0, f"{tok} CAF\u00c9")[0]] == [piece.id]
        assert uow.pieces.list_visible(owner, 10, 0, f"{tok} cafe")[0] == []  # not folded


def test_a_changed_piece_is_searched_by_its_new_words(world: World) -> None:
    owner, tok = world.add_user(), token()
    piece = add(world, owner, f"{tok} old", "old words")
    with world.uow() as uow:
        uow.pieces.change(piece.id, f"{tok} new", "na\u00efve words", "private")
        uow.commit()
    with world.uow() as uow:
        assert [p.id for p in uow.pieces.list_visible(owner, 10, 0, f"{tok} new")[0]] == [piece.id]
        assert [p.id for p in uow.pieces.list_visible(owner, 10, 0, "naive words")[0]] == [piece.id]
        assert uow.pieces.list_visible(owner, 10, 0, f"{tok} old")[0] == []


def test_a_locked_piece_is_changed_and_deleted(world: World) -> None:
    owner = world.add_user()
    piece = add(world, owner, token())
    with world.uow() as uow:
        locked = uow.pieces.lock(piece.id)
        assert locked == piece and uow.pieces.lock(uuid.uuid4()) is None
        changed = uow.pieces.change(piece.id, "New title", "new words", "public")
        uow.commit()
    assert (changed.id, changed.title, changed.text, changed.visibility) == (
        piece.id,
        "New title",
        "new words",
        "public",
    )
    assert changed.created_at == piece.created_at and changed.owner_id == owner
    with world.uow() as uow:
        assert uow.pieces.get(piece.id) == changed
        uow.pieces.delete(piece.id)
        uow.commit()
    with world.uow() as uow:
        assert uow.pieces.get(piece.id) is None


def test_attempts_on_a_piece_are_counted_and_found(world: World) -> None:
    first = world.add_attempt()
    learner, piece = world.attempt(first)["learner_id"], world.attempt(first)["piece_id"]
    second = world.add_attempt(learner_id=learner, piece_id=piece)
    other = world.add_attempt(piece_id=piece)  # another learner's
    world.add_attempt(learner_id=learner)  # on another piece
    with world.uow() as uow:
        assert uow.attempts.count_on_piece(piece) == 3
        assert uow.attempts.count_on_piece(piece, except_learner=learner) == 1
        assert uow.attempts.count_on_piece(piece, except_learner=world.attempt(other)["learner_id"]) == 2
        assert uow.attempts.count_on_piece(uuid.uuid4()) == 0
        assert uow.attempts.count_on_piece(piece, except_failed=True) == 3
    world.set(second, status="failed")
    with world.uow() as uow:
        assert uow.attempts.count_on_piece(piece) == 3
        assert uow.attempts.count_on_piece(piece, except_failed=True) == 2
        assert uow.attempts.count_on_piece(piece, except_learner=learner, except_failed=True) == 1
        assert uow.attempts.count_on_piece(piece, only_done=True) == 0  # queued and failed
    world.set(other, status="done")
    with world.uow() as uow:
        assert uow.attempts.count_on_piece(piece, only_done=True) == 1
        assert uow.attempts.count_on_piece(piece, except_learner=learner, only_done=True) == 1
        found = uow.attempts.recordings_of(learner, piece)
        assert sorted(found) == sorted((a, world.attempt(a)["storage_key"]) for a in (first, second))
        assert len(uow.attempts.recordings_of(learner)) == 3


def test_owned_by_lists_every_piece_of_one_owner_oldest_first(world: World) -> None:
    owner, other, tok = world.add_user(), world.add_user(), token()
    newer = add(world, owner, f"{tok} newer", visibility="public", seconds=2)
    older = add(world, owner, f"{tok} older", seconds=1)
    add(world, other, f"{tok} theirs", visibility="public")
    with world.uow() as uow:
        assert uow.pieces.owned_by(owner) == [older, newer]
        assert uow.pieces.owned_by(uuid.uuid4()) == []
