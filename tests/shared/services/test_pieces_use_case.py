"""Pieces on the in-memory unit of work: milliseconds, no database.

The repository it uses keeps the contract
tests/shared/db/test_piece_repository_contract.py checks on Postgres too.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from shared.domain.clock import utcnow
from shared.services import pieces
from shared.services.errors import ErrorKind, ServiceError
from shared.services.users import UserView
from tests.support.fake_uow import FakeDatabase


def user(role: str = "learner") -> UserView:
    return UserView(uuid.uuid4(), f"u-{uuid.uuid4().hex[:6]}", role, utcnow())


def error(call: Callable[[], object]) -> tuple[ErrorKind, str]:
    with pytest.raises(ServiceError) as raised:
        call()
    return raised.value.kind, raised.value.code


def test_a_created_piece_is_trimmed_committed_and_counted() -> None:
    db, owner = FakeDatabase(), user()
    view = pieces.create_piece(db.uow(), owner, "  Sonnet 18 ", " Shall I compare thee \n", "public")
    assert (view.title, view.text, view.word_count, view.visibility, view.owned) == (
        "Sonnet 18", "Shall I compare thee", 4, "public", True,
    )  # fmt: skip
    assert db.commits == 1 and not db.open
    assert pieces.get_piece(db.uow(), owner, view.id) == view


@pytest.mark.parametrize(
    ("title", "text", "visibility", "code"),
    [
        ("x" * 301, "words", "private", "title_too_long"),
        ("t", "x" * 200_001, "private", "text_too_long"),
        ("   ", "words", "private", "title_required"),
        ("t", " ... ", "private", "text_required"),
        # Words, but none the scorer reads: every recording of them would fail (QA).
        ("t", "床前明月光，疑是地上霜。", "private", "no_readable_words"),
        ("t", "مرحبا بالعالم", "private", "no_readable_words"),
        ("t", "Отче наш, иже еси на небесех", "private", "no_readable_words"),
        ("t", "words", "secret", "invalid_visibility"),
        ("t", "a\x00b", "private", "invalid_characters"),
        ("t\ud800", "words", "private", "invalid_characters"),
        ("\u200b\u200b", "words", "private", "title_required"),  # zero-width spaces: blank in the library
        ("\u2060 \u00a0", "words", "private", "title_required"),
        ("ok\x07\x1b[31m", "words", "private", "invalid_characters"),  # a terminal escape
        ("two\nlines", "words", "private", "invalid_characters"),
        ("one\u2028two", "words", "private", "invalid_characters"),  # a line separator
        ("\u202eevil\u202c.txt", "words", "private", "invalid_characters"),  # shown reversed
        ("\u3164", "words", "private", "title_required"),  # a Hangul filler prints as nothing
        ("\u2800\u034f", "words", "private", "title_required"),  # braille blank, a lone joiner
    ],
)
def test_a_bad_piece_is_refused_unstored(title: str, text: str, visibility: str, code: str) -> None:
    db = FakeDatabase()
    kind = error(lambda: pieces.create_piece(db.uow(), user(), title, text, visibility))
    assert kind == (ErrorKind.UNPROCESSABLE, code)
    assert (db.commits, db.tables.pieces) == (0, {})


def test_someone_elses_private_piece_is_an_unknown_id() -> None:
    db, owner, other = FakeDatabase(), user(), user()
    private = pieces.create_piece(db.uow(), owner, "Mine", "my words")
    public = pieces.create_piece(db.uow(), owner, "Ours", "our words", "public")
    assert error(lambda: pieces.get_piece(db.uow(), other, private.id)) == (
        ErrorKind.NOT_FOUND, "piece_not_found",
    )  # fmt: skip
    seen = pieces.get_piece(db.uow(), other, public.id)
    assert (seen.title, seen.owned) == ("Ours", False)
    assert pieces.require_piece(db.uow(), private.id) == private.id  # operators see any piece
    assert error(lambda: pieces.require_piece(db.uow(), uuid.uuid4()))[1] == "piece_not_found"


def test_listing_searches_trimmed_and_pages() -> None:
    db, owner, other = FakeDatabase(), user(), user()
    for title in ("Daffodils", "The Raven", "Raven again"):
        pieces.create_piece(db.uow(), owner, title, "some words")
    pieces.create_piece(db.uow(), other, "Hidden raven", "private words")
    listed, total = pieces.list_pieces(db.uow(), owner, 1, 1, "  RAVEN ")
    assert ([p.title for p in listed], total) == (["The Raven"], 2)  # newest first
    everything, total = pieces.list_pieces(db.uow(), owner, 10, 0)
    assert total == 3 and [p.title for p in everything] == ["Raven again", "The Raven", "Daffodils"]


@pytest.mark.parametrize(("search", "code"), [("x" * 201, "search_too_long"), ("a\x00", "invalid_search")])
def test_a_bad_search_is_the_callers_error(search: str, code: str) -> None:
    assert error(lambda: pieces.list_pieces(FakeDatabase().uow(), user(), 10, 0, search)) == (
        ErrorKind.INVALID, code,
    )  # fmt: skip


def test_the_word_count_is_of_words_to_say_not_punctuation() -> None:
    assert pieces.word_count("The Lord — is my shepherd , I shall not want .") == 9
    # As the result marks them (QA): a dash joining two words, a word in another script.
    assert pieces.word_count("Don't stop—it's twenty-one o'clock.") == 5
    assert pieces.word_count("Hello Привет world") == 2
    assert pieces.word_count("— , .") == 0
    assert pieces.word_count("Psalm 23: 1-6") == 3


def owned_piece(db: FakeDatabase, owner: UserView, visibility: str = "private") -> uuid.UUID:
    return pieces.create_piece(db.uow(), owner, "Psalm 23", "The Lord is my shepherd", visibility).id


def test_the_owner_changes_title_visibility_and_an_unrecited_text() -> None:
    db, owner = FakeDatabase(), user()
    piece_id = owned_piece(db, owner)
    changed = pieces.change_piece(db.uow(), owner, piece_id, title=" Psalm 23 (KJV) ", visibility="public")
    assert (changed.title, changed.text, changed.visibility) == (
        "Psalm 23 (KJV)",
        "The Lord is my shepherd",
        "public",
    )
    fixed = pieces.change_piece(db.uow(), owner, piece_id, text="The Lord is my shepherd; I shall not want.")
    assert (fixed.title, fixed.word_count) == ("Psalm 23 (KJV)", 9)
    assert pieces.get_piece(db.uow(), owner, piece_id) == fixed and db.commits == 3


@pytest.mark.parametrize(
    ("changes", "code"),
    [({"title": " "}, "title_required"), ({"text": "..."}, "text_required"),
     ({"text": "Привет мир"}, "no_readable_words"),
     ({"visibility": "x"}, "invalid_visibility"), ({"title": "x" * 301}, "title_too_long"),
     ({"text": "a\x00b"}, "invalid_characters")],
)  # fmt: skip
def test_a_bad_change_is_refused_and_nothing_changes(changes: dict[str, str], code: str) -> None:
    db, owner = FakeDatabase(), user()
    piece_id = owned_piece(db, owner)
    before = dict(db.tables.pieces[piece_id])
    assert error(lambda: pieces.change_piece(db.uow(), owner, piece_id, **changes)) == (
        ErrorKind.UNPROCESSABLE,
        code,
    )
    assert db.tables.pieces[piece_id] == before


def test_only_the_owner_changes_a_piece() -> None:
    db, owner, other = FakeDatabase(), user(), user()
    private, public = owned_piece(db, owner), owned_piece(db, owner, "public")
    assert error(lambda: pieces.change_piece(db.uow(), other, private, title="x")) == (
        ErrorKind.NOT_FOUND, "piece_not_found",
    )  # fmt: skip
    assert error(lambda: pieces.change_piece(db.uow(), other, public, title="x")) == (
        ErrorKind.FORBIDDEN,
        "not_owner",
    )
    assert error(lambda: pieces.change_piece(db.uow(), owner, uuid.uuid4())) == (
        ErrorKind.NOT_FOUND,
        "piece_not_found",
    )


def test_a_recited_text_stays_and_a_piece_others_recite_stays_shared() -> None:
    db, owner, other = FakeDatabase(), user(), user()
    mine, shared = owned_piece(db, owner), owned_piece(db, owner, "public")
    db.add_attempt(learner_id=owner.id, piece_id=mine)
    db.add_attempt(learner_id=other.id, piece_id=shared)
    with pytest.raises(ServiceError) as own:
        pieces.change_piece(db.uow(), owner, mine, text="Another text")
    assert own.value.code == "piece_has_attempts" and "delete your attempts" in own.value.message
    with pytest.raises(ServiceError) as theirs:
        pieces.change_piece(db.uow(), owner, shared, text="Another text")
    assert theirs.value.code == "piece_has_attempts" and "delete your attempts" not in theirs.value.message
    assert error(lambda: pieces.change_piece(db.uow(), owner, shared, visibility="private")) == (
        ErrorKind.CONFLICT, "piece_in_use",
    )  # fmt: skip
    assert (
        pieces.change_piece(db.uow(), owner, shared, title="Renamed").title == "Renamed"
    )  # the text is what counts
    assert pieces.change_piece(db.uow(), owner, mine, visibility="public").visibility == "public"


def test_failed_attempts_fix_no_text_and_keep_no_piece_shared() -> None:
    """QA: a stranger's one silent upload (failed too_quiet) kept the owner from
    correcting, unsharing or deleting their own piece; nothing was scored against it."""
    db, owner, stranger = FakeDatabase(), user(), user()
    shared = owned_piece(db, owner, "public")
    db.add_attempt(learner_id=stranger.id, piece_id=shared, status="failed", error_code="too_quiet")
    db.add_attempt(learner_id=owner.id, piece_id=shared, status="failed", error_code="too_short")
    assert pieces.change_piece(db.uow(), owner, shared, text="Corrected text").text == "Corrected text"
    assert pieces.change_piece(db.uow(), owner, shared, visibility="private").visibility == "private"
    editable = pieces.editable_piece(db.uow(), owner, shared)
    assert not editable.text_fixed and not editable.recited_by_others
    pieces.change_piece(db.uow(), owner, shared, visibility="public")
    db.add_attempt(learner_id=stranger.id, piece_id=shared)  # queued: on its way to a score
    assert error(lambda: pieces.change_piece(db.uow(), owner, shared, text="Again")) == (
        ErrorKind.CONFLICT, "piece_has_attempts",
    )  # fmt: skip


def test_line_breaks_are_stored_one_way_so_a_form_resent_changes_no_text() -> None:
    db, owner = FakeDatabase(), user()
    piece_id = pieces.create_piece(db.uow(), owner, "Poem", "Roses are red.\r\nViolets are blue.\rSugar").id
    assert db.tables.pieces[piece_id]["text"] == "Roses are red.\nViolets are blue.\nSugar"
    db.add_attempt(learner_id=owner.id, piece_id=piece_id)  # recited: the text is fixed
    renamed = pieces.change_piece(
        db.uow(), owner, piece_id, "Roses", "Roses are red.\r\nViolets are blue.\r\nSugar"
    )
    assert renamed.title == "Roses"


def test_a_private_piece_someone_else_recited_can_still_be_renamed() -> None:
    db, owner = FakeDatabase(), user()
    piece_id = owned_piece(db, owner)
    db.add_attempt(piece_id=piece_id)  # another learner's, from before it was made private
    assert pieces.change_piece(db.uow(), owner, piece_id, title="Renamed").visibility == "private"


@pytest.mark.parametrize("text", ["The café's naïve façade", "In 1863.", "Ça va, 🙂 hello", "Привет, world"])
def test_a_text_with_a_word_the_scorer_reads_is_a_piece(text: str) -> None:
    assert pieces.create_piece(FakeDatabase().uow(), user(), "t", text).text == text


def test_a_text_awaiting_its_first_score_is_refused_without_claiming_scores() -> None:
    """QA: the refusal said scores were read against the text while the only recording was queued."""
    db, owner = FakeDatabase(), user()
    mine = owned_piece(db, owner, "private")
    attempt = db.add_attempt(learner_id=owner.id, piece_id=mine, status="processing")
    with pytest.raises(ServiceError) as waiting:
        pieces.change_piece(db.uow(), owner, mine, text="Again")
    assert waiting.value.message.startswith(pieces.TEXT_AWAITED) and "scores" not in waiting.value.message
    assert not pieces.editable_piece(db.uow(), owner, mine).text_scored
    db.set(attempt, status="done")
    with pytest.raises(ServiceError) as scored:
        pieces.change_piece(db.uow(), owner, mine, text="Again")
    assert scored.value.message.startswith(pieces.TEXT_FIXED)
    assert pieces.editable_piece(db.uow(), owner, mine).text_scored
