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
