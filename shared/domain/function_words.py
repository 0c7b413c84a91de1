"""Function words: the small closed classes of English a reciter swaps."""

from __future__ import annotations

# Function words of one grammatical class: a reciter swaps one for another
# ("a" for "the", "on" for "in"), and a slip repaired by a class-mate is an
# attempt at the word. English grammar, not any one text.
FUNCTION_CLASSES: tuple[tuple[str, ...], ...] = (
    ("a", "the"),  # not "an": a/an is pronunciation, not a miscue
    ("in", "on", "at"),
    ("of", "for", "from", "to", "by", "with"),
    ("my", "thy", "our", "your", "his", "her", "their"),
    ("he", "she", "they", "we", "i", "you"),
    ("me", "us", "him", "them"),
    ("is", "was", "are", "were"),
    ("this", "that"),
    ("and", "but", "or"),
)
CLASS_MATES: dict[str, tuple[str, ...]] = {
    word: tuple(other for other in group if other != word) for group in FUNCTION_CLASSES for word in group
}

# Function words: swapping one for another ("a" for "the") is a real miscue
# that near-homophone acceptance must never excuse.
FUNCTION_WORDS = frozenset(
    "a an the this that these those in on at of off to for from by with into onto "
    "upon and but or nor so yet if as is was are were be been am he she it they "
    "we you i me him her us them his its our their my your not no than then when "
    "what who whom which there here".split()
)

# Wider classes for judging a repair only (not the piece model's swap paths): a
# function word said and at once replaced by one of the same wider class is an
# attempt at it ("upon" then "on", "his" then "the", "would" then "shall"), since
# 2026.12.1. Conjunctions stay apart from "that", "so" and "when": an inserted word
# the engine hears as one of those is not a repair ("and" then "when").
REPAIR_CLASSES: tuple[tuple[str, ...], ...] = (
    ("a", "an", "the", "this", "that", "these", "those", "my", "thy", "our", "your", "his", "her",
     "their", "its", "some", "any", "each", "every", "no", "one", "all", "both"),
    ("in", "on", "at", "into", "onto", "upon", "within", "of", "for", "from", "to", "by", "with",
     "without", "about", "under", "over", "through", "out"),
    ("i", "you", "he", "she", "it", "we", "they", "me", "him", "us", "them", "thee", "thou"),
    ("is", "was", "are", "were", "be", "been", "am", "being", "art"),
    ("shall", "will", "should", "would", "could", "can", "may", "might", "must"),
    ("have", "has", "had", "hath", "do", "does", "did", "doth"),
    ("and", "but", "or", "nor", "yet"),
)  # fmt: skip
REPAIR_MATES: dict[str, frozenset[str]] = {
    word: frozenset(other for group in REPAIR_CLASSES if word in group for other in group if other != word)
    for group in REPAIR_CLASSES
    for word in group
}


def said_for(other: str, word: str) -> bool:
    """Is ``other`` a function word a reciter says for ``word``: a class-mate
    ("a" for "the") or one of its wider repair class ("upon" for "on")?"""
    return other in CLASS_MATES.get(word, ()) or other in REPAIR_MATES.get(word, ())
