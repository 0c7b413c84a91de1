"""Where a split's slips come from: synonyms, sound-alikes, function words, unrelated words.

The ``tune`` split draws from hand lists (``PARAPHRASES``, ``SOUND_ALIKES``,
``FUNCTION_SWAPS``, ``UNRELATED``), which the rules may be developed on. The
``final`` split draws from other sources, so that a rule fitted to the hand
lists shows it: a second synonym list written for its own texts, sound-alikes
picked at random from the pronouncing dictionary (words sharing the first two
sounds, or most of their sounds, with the right word) and a wider set of
function-word swaps (``bench/eval/final_texts.py``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from bench.eval.texts import FUNCTION_SWAPS, PARAPHRASES, UNRELATED

# Slips that sound like, or start like, the right word (tune split only): real
# words a reader's tongue might reach first. Homophones are left out, since a
# recogniser cannot hear them as different words.
SOUND_ALIKES: dict[str, str] = {
    "green": "grain", "pastures": "pastors", "waters": "waiters", "paths": "passes", "valley": "volley",
    "shadow": "shallow", "evil": "even", "score": "scorn", "seven": "several", "fathers": "farther",
    "brought": "bought", "continent": "content", "nation": "notion", "conceived": "concealed",
    "liberty": "library", "dedicated": "delicate", "created": "crated", "equal": "equip",
    "engaged": "enraged", "civil": "simple", "testing": "tasting", "endure": "endear",
    "compare": "compass", "lovely": "lonely", "temperate": "temper", "winds": "wins", "shake": "shape",
    "darling": "darting", "buds": "bugs", "lease": "least", "shines": "signs", "gold": "goal",
    "often": "offer", "declines": "decides", "feathers": "fathers", "perches": "purchase",
    "sings": "sinks", "tune": "tomb", "words": "worlds", "stops": "steps", "storm": "store",
    "little": "litter", "bird": "burn", "many": "money", "warm": "worm", "hallowed": "hollow",
    "kingdom": "king", "daily": "dairy", "bread": "breath", "forgive": "forget", "debtors": "doctors",
    "lead": "lean", "temptation": "tempest", "malice": "palace", "charity": "charter",
    "firmness": "fairness", "strive": "strife", "finish": "finest", "bind": "blind", "battle": "bottle",
    "widow": "window", "orphan": "often", "truths": "troops", "endowed": "endured", "creator": "crater",
    "certain": "curtain", "life": "light", "pursuit": "pursue", "secure": "second",
    "governments": "governors", "deriving": "driving", "powers": "towers", "consent": "concert",
    "lift": "left", "hills": "heels", "help": "helm", "suffer": "supper", "foot": "food",
    "slumber": "lumber", "behold": "beheld", "sleep": "slip", "marriage": "carriage", "minds": "mines",
    "impediments": "implements", "alters": "falters", "finds": "fines", "bends": "bands",
    "remove": "remote", "mark": "march", "looks": "locks", "tempests": "tempers", "kindly": "kingly",
    "stopped": "stepped", "carriage": "marriage", "slowly": "lowly", "drove": "dove", "haste": "taste",
    "labor": "ladder", "leisure": "ledger", "season": "reason", "purpose": "porpoise", "plant": "planet",
    "pluck": "plug", "planted": "planned", "weep": "week", "dance": "dense", "thing": "think",
}  # fmt: skip

RELATIONS = ("synonym", "near_sound", "function")


@dataclass(frozen=True)
class Lexicon:
    """One split's sources of slips and insertions."""

    name: str
    synonyms: dict[str, str]
    function_swaps: dict[str, tuple[str, ...]]
    unrelated: tuple[str, ...]
    sound_alikes: dict[str, str] | None = None  # None: draw from the pronouncing dictionary

    def slip(self, relation: str, word: str, rng: random.Random) -> str | None:
        """A slip of ``relation`` for ``word``, or None when this source has none."""
        if relation == "synonym":
            return self.synonyms.get(word)
        if relation == "function":
            options = self.function_swaps.get(word)
            return rng.choice(options) if options else None
        if self.sound_alikes is not None:
            return self.sound_alikes.get(word)
        return _drawn_sound_alike(word, rng)


def tune_lexicon() -> Lexicon:
    swaps = {word: (other,) for word, other in FUNCTION_SWAPS.items()}
    return Lexicon("tune", PARAPHRASES, swaps, UNRELATED, SOUND_ALIKES)


def final_lexicon() -> Lexicon:
    from bench.eval.final_texts import FINAL_FUNCTION_SWAPS, FINAL_SYNONYMS, FINAL_UNRELATED

    return Lexicon("final", FINAL_SYNONYMS, FINAL_FUNCTION_SWAPS, FINAL_UNRELATED)


def lexicon(name: str) -> Lexicon:
    return final_lexicon() if name == "final" else tune_lexicon()


def _drawn_sound_alike(word: str, rng: random.Random) -> str | None:
    """A common word that starts with the same two sounds as ``word``, or shares
    most of its sounds (phone edit similarity ≥ 0.6), picked at random."""
    phones = _pronunciations()
    own = phones.get(word)
    if own is None or len(word) < 4:
        return None
    common = _common_words()
    options = sorted(
        other
        for other, theirs in phones.items()
        if other != word and other in common and theirs != own and abs(len(theirs) - len(own)) <= 2
        and (theirs[:2] == own[:2] or Levenshtein.normalized_similarity(theirs, own) >= 0.6)
        and not (other.startswith(word) or word.startswith(other))  # not an inflection of it
    )  # fmt: skip
    return rng.choice(options) if options else None


@cache
def _pronunciations() -> dict[str, tuple[str, ...]]:
    """First pronunciation of every plain word in PocketSphinx's US English dictionary."""
    import pocketsphinx

    path = Path(pocketsphinx.__file__).parent / "model" / "en-us" / "cmudict-en-us.dict"
    out: dict[str, tuple[str, ...]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, *phones = line.split()
        if word.isalpha() and word.islower():
            out.setdefault(word, tuple(phones))
    return out


@cache
def _common_words() -> frozenset[str]:
    """Lower-case words of WordNet's index (Debian ``wordnet-base``): leaves out the
    names and rare spellings the pronouncing dictionary is full of."""
    words: set[str] = set()
    for part in ("noun", "verb", "adj", "adv"):
        for line in Path(f"/usr/share/wordnet/index.{part}").read_text(encoding="utf-8").splitlines():
            if line and not line.startswith(" "):
                lemma = line.split(" ", 1)[0]
                if lemma.isalpha() and 3 <= len(lemma) <= 9:
                    words.add(lemma)
    return frozenset(words)
