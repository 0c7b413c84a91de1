"""What texts are pasted with and nobody recites: part labels, stanza numbers, a byline,
a signature, stage directions, an audience's reactions and footnote letters (QA)."""

from __future__ import annotations

import pytest

from shared.domain.text import parse_reference, word_count
from shared.transcription.offline.piece_model import cue_tokens, piece_tokens
from tests.support.results import scored_result

HYMN = (
    "Amazing grace how sweet the sound\nThat saved a wretch like me\n\nRefrain:\n"
    "Praise the Lord, praise the Lord\n\nVerse 2:\nTwas grace that taught my heart to fear\n\n"
    "Chorus (x2):\nPraise the Lord, praise the Lord"
)
HYMN_SAID = (
    "amazing grace how sweet the sound that saved a wretch like me praise the lord praise the lord "
    "twas grace that taught my heart to fear praise the lord praise the lord"
)


def _words(text: str) -> list[str]:
    return list(parse_reference(text).displays)


def test_a_hymns_part_labels_are_not_words_and_leave_the_lines_as_they_were() -> None:
    """Before: "Refrain", "Verse 2" and "Chorus x2" were words the learner skipped."""
    result = scored_result(HYMN, HYMN_SAID)
    assert [(w.expected, w.status.value) for w in result.words if w.status.value != "correct"] == []
    assert word_count(HYMN) == len(HYMN_SAID.split())
    assert "refrain" not in piece_tokens(HYMN) and "refrain" in cue_tokens(HYMN)


def test_a_label_said_anyway_is_set_apart_not_added() -> None:
    result = scored_result(HYMN, HYMN_SAID.replace("me praise", "me refrain praise"))
    assert [w.status.value for w in result.words if w.expected is None] == []


def test_a_signatures_source_is_no_cue() -> None:
    """Its date's words ("one", "eight", …) would be forgiven wherever they were said."""
    text = "Four score and seven years ago.\n\u2014 Abraham Lincoln, Gettysburg, 1863"
    assert parse_reference(text).cue_keys == {"abraham", "lincoln"}


def test_roman_stanza_numbers_said_as_numbers_are_set_apart() -> None:
    """Before the cue was the numeral as read in a sentence: "I" the pronoun, "II" "the
    second", so "one" said for "I." was a word added."""
    result = scored_result(
        "I.\nShall I compare thee\n\nII.\nThou art so", "one shall i compare thee two thou art so"
    )
    assert [w.spoken for w in result.words if w.expected is None] == []
    assert "one" in cue_tokens("I.\nShall I compare thee\n\nII.\nThou art so")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "I.\nShall I compare thee\n\nII.\nThou art more lovely",
            "Shall I compare thee Thou art more lovely",
        ),
        ("1\nRough winds do shake\n\n2\nSometime too hot", "Rough winds do shake Sometime too hot"),
        (
            "The Road Not Taken\nby Robert Frost\n\nTwo roads diverged",
            "The Road Not Taken Two roads diverged",
        ),
        ("Tyger Tyger, burning bright,\nIn the forests of the night;\n\n\u2014 William Blake", None),
        (
            "\u201cBe yourself; everyone else is taken.\u201d \u2014 Oscar Wilde",
            "Be yourself everyone else is taken",
        ),
        (
            "HAMLET: To be, (aside) or not to be.\nOPHELIA: Good my lord, (She curtsies) how does your?",
            "To be or not to be Good my lord how does your",
        ),
        ("We are met. (Applause.) We have come.", "We are met We have come"),
        ("For God so loved the world,a that he gave", "For God so loved the world that he gave"),
        ("Verse Two\nSing it\nRepeat Chorus\n(Repeat chorus)\nFinal Chorus:\nGo", "Sing it Go"),
        ("ACT I\nSCENE 2\nHAMLET: O that this\nHORATIO: Hail", "O that this Hail"),
        ("ACT I\nSCENE II. A room in the castle.\nHAMLET: O that this\nHORATIO: Hail", "O that this Hail"),
        (
            "Four score and seven years ago.\n\u2014 Abraham Lincoln, Gettysburg, 1863",
            "Four score and seven years ago",
        ),
        (
            "\u201cBe kind.\u201d \u2014 Plato\n\n\u201cBe brave.\u201d \u2014 Mark Twain, 1890",
            "Be kind Be brave",
        ),
        (
            "Q. 1. What is man's end?\nA. To glorify God.\n\nQ. 2. What rule?",
            "What is man's end To glorify God What rule",
        ),
        ("Question 1: Your comfort?\nAnswer: That I am his.", "Your comfort That I am his"),
        ("a) Love your neighbour\nb) Forgive\n(c) Rest", "Love your neighbour Forgive Rest"),
        ("ROMEO: BUT SOFT\nJULIET: AY ME\nROMEO: SHE SPEAKS", "BUT SOFT AY ME SHE SPEAKS"),
        ("Romeo: But soft!\nJuliet: Ay me!\nRomeo: She speaks", "But soft Ay me She speaks"),
        (
            "Q: What is man's end?\nA: To glorify God.\nQ: What rule?",
            "What is man's end To glorify God What rule",
        ),
        ("Sing hallelujah (x2)\nPraise him x3\nAmen (2x)", "Sing hallelujah Praise him Amen"),
        (
            "Leader: Lift up your hearts.\nAll: We lift them\nLeader: Give thanks",
            "Lift up your hearts We lift them Give thanks",
        ),
    ],
)
def test_what_heads_signs_or_annotates_a_piece_is_not_a_word(text: str, words: str | None) -> None:
    expected = words or "Tyger Tyger burning bright In the forests of the night"
    assert " ".join(_words(text)) == expected


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("And then he said:\nCome away", 6),  # a line ending in a colon, not a part's name
        ("I\nwandered lonely as a cloud", 6),  # one lone numeral: the pronoun
        ("Stand by Me\nwhen the night has come", 8),  # "by" inside the title line
        ("I came by Rome.\nby River and by road", 9),  # not a name after "by"
        ("He said (and meant it) that we must go", 9),  # parentheses outside a script are said
        ("A well-known word - Hello there", 5),  # a dash mid-sentence, not a signature
        ("e.g. this, and i.e. that", 5),
        ("Chorus of angels, sing!\nVerse upon verse", 7),  # a part's name starting a line of verse
        ("a) one lone lettered line", 5),  # no list of one
        ("Then: we went\nhome again", 5),  # one name-like line with a colon is said
        ("Life: a dream\nDeath: a sleep", 6),  # no name comes back: a poem, not a script
        ("Leave it at x2 and y2", 6),  # a repeat mark ends a line
        ("Act two of the play was long", 7),  # no stop after the number: a sentence
        ("Act II, Scene I. Enter Hamlet.", 6),  # a heading with nothing under it is recited
        ("A. Lincoln wrote it.\nA. Smith read it.", 8),  # answers without questions: initials
        ("HE IS RISEN. HE IS RISEN INDEED.\nCHRIST IS RISEN: ALLELUIA.", 11),  # all in capitals: sentences
    ],
)
def test_look_alikes_are_still_recited(text: str, count: int) -> None:
    assert word_count(text) == count
