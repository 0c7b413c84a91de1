"""Function words a reciter swaps for one another, as paths in the piece model.

A piece-biased model predicts "the" after "the lord is my" so strongly that
a learner's "a" is heard as "the". For each function word the piece predicts,
part of its probability goes to the other members of its class (articles,
prepositions, possessives, pronouns, forms of "be", demonstratives,
conjunctions), and the word after each keeps the piece's context. The swap is
then as cheap as the acoustics make it, and no cheaper: the expected word keeps
most of the mass. The classes are English grammar, not the evaluation texts.
"""

from __future__ import annotations

from shared.domain.function_words import CLASS_MATES

# Each word may be heard as any other word of its class.
ALTERNATIVES = CLASS_MATES

Table = dict[tuple[str, ...], float]


def add_swap_paths(tables: list[Table], share: float) -> None:
    """Move ``share`` of each predicted function word's probability to its
    class-mates (split evenly), in the bigram and trigram tables, and let the
    next word follow a swapped word as it follows the expected one."""
    bigrams, trigrams = tables[1], tables[2]
    for table in (bigrams, trigrams):
        for gram, p in list(table.items()):
            alternatives = ALTERNATIVES.get(gram[-1], ())
            if not alternatives:
                continue
            table[gram] = p * (1 - share)
            for other in alternatives:
                table.setdefault((*gram[:-1], other), p * share / len(alternatives))
    for (first, second, third), p in list(trigrams.items()):
        for other in ALTERNATIVES.get(second, ()):
            trigrams.setdefault((first, other, third), p)
