"""Word tables used by normalisation and alignment.

Everything here is an immutable table (frozen sets, read-only mappings) so the
module holds no mutable state. Tables are deliberately small and
conservative: an entry makes two different strings count as the same word,
so each one must be a spelling convention, not a change of meaning.
"""

from __future__ import annotations

import re
from types import MappingProxyType

EDGE_PUNCTUATION = "\"'()[]{}<>«»,.;:!?*_~…¡¿/\\|-"  # stripped from the ends of tokens

# Abbreviations read as full words. Several readings: the first is primary.
ABBREVIATIONS = MappingProxyType(
    {
        "mr": (("mister",),),
        "mrs": (("missus",), ("misses",), ("missis",)),
        "ms": (("miz",),),
        "dr": (("doctor",), ("drive",)),
        "st": (("saint",), ("street",)),
        "mt": (("mount",),),
        "jr": (("junior",),),
        "sr": (("senior",),),
        "vs": (("versus",),),
        "etc": (("et", "cetera"), ("etcetera",)),
        "&c": (("et", "cetera"), ("etcetera",)),  # the old "&c."
        "eg": (("for", "example"), ("e", "g")),
        "ie": (("that", "is"), ("i", "e")),
        "capt": (("captain",),),
        "lt": (("lieutenant",),),
        "col": (("colonel",),),
        "gen": (("general",),),
        "gov": (("governor",),),
        "prof": (("professor",),),
        "rev": (("reverend",),),
        "ave": (("avenue",),),
        "&": (("and",),),
        "o": (("oh",),),  # "O Captain!" and "oh" sound the same
    }
)

# Old (and a few spoken) contractions: written form without apostrophes ->
# the full words a reader or an engine may produce instead.
CONTRACTIONS = MappingProxyType(
    {
        "tis": (("it", "is"),),
        "twas": (("it", "was"),),
        "twere": (("it", "were"),),
        "twill": (("it", "will"),),
        "neer": (("never",), ("nair",)),
        "oer": (("over",), ("ore",), ("or",)),
        "eer": (("ever",), ("air",)),
        "een": (("even",),),
        "neath": (("beneath",),),
        "gainst": (("against",),),
        "mongst": (("amongst",),),
        "til": (("till",), ("until",)),
        "oclock": (("o", "clock"),),
        "em": (("them",),),
        "th": (("the",),),  # "Th' expense of spirit": "th" is no word of its own
    }
)

# Verse's one-letter elisions, written with their apostrophe ("i' the
# wind", "o' the clock"); without it "i" is the pronoun and "o" is "oh".
ELISIONS = MappingProxyType(
    {
        "i": (("in",), ("i",)),
        "o": (("of",), ("o",), ("oh",)),
        "n": (("and",), ("n",)),  # "rock 'n' roll"
    }
)

# British spellings -> the American form used as the canonical key.
_SPELLINGS = {
    "defence": "defense",
    "offence": "offense",
    "pretence": "pretense",
    "licence": "license",
    "grey": "gray",
    "plough": "plow",
    "gaol": "jail",
    "programme": "program",
    "jewellery": "jewelry",
    "judgement": "judgment",
    "acknowledgement": "acknowledgment",
    "ageing": "aging",
    "cheque": "check",
    "manoeuvre": "maneuver",
    "mould": "mold",
    "moult": "molt",
    "tyre": "tire",
    "kerb": "curb",
    "draught": "draft",
    "sceptic": "skeptic",
    "aluminium": "aluminum",
    "storey": "story",
    "whisky": "whiskey",
    "enrol": "enroll",
    "fulfil": "fulfill",
    "instil": "instill",
    "skilful": "skillful",
    "wilful": "willful",
    "analyse": "analyze",
    "paralyse": "paralyze",
    "catalyse": "catalyze",
}
_OUR_STEMS = (
    "colo behavio favo hono humo labo neighbo harbo rumo vapo valo vigo splendo "
    "endeavo armo savo odo parlo clamo cando ardo fervo ranco savio flavo rigo "
    "tumo demeano glamo"
).split()
_RE_STEMS = ("cent theat met fib lit somb spect scept sepulch lust meag calib ochr sab goit").split()
_ISE_STEMS = (
    "real recogn organ apolog critic emphas civil familiar character author "
    "symbol summar memor special standard util mobil agon bapt sympath final "
    "minim maxim modern national natural normal patron penal prior public "
    "rational scrutin stabil subsid theor visual optim tyrann evangel colon "
    "harmon idol human legal moral neutral general central ideal capital "
    "mesmer fertil steril local vocal item categor jeopard immortal"
).split()
_DOUBLE_L = (
    "travel",
    "cancel",
    "label",
    "model",
    "marvel",
    "quarrel",
    "level",
    "signal",
    "fuel",
    "duel",
    "jewel",
    "counsel",
    "channel",
    "tunnel",
    "dial",
)
_OUR_ENDINGS = "s|ed|ing|able|ably|ful|fully|less|ite|ites|er|ers"
_OUR = re.compile(rf"^({'|'.join(_OUR_STEMS)})ur({_OUR_ENDINGS})?$")
_RE = re.compile(rf"^({'|'.join(_RE_STEMS)})re(s|d)?$")
_ISE = re.compile(rf"^({'|'.join(_ISE_STEMS)})is(e|es|ed|ing|ation|ations|er|ers)$")
_LL = re.compile(rf"^({'|'.join(_DOUBLE_L)})l(ed|ing|er|ers)$")


def canonical_spelling(word: str) -> str:
    """Map a British spelling to the American one; other words unchanged.

    Rules only fire for the listed stems so that "tour", "rise" or "fire"
    are never rewritten.
    """
    if word in _SPELLINGS:
        return _SPELLINGS[word]
    if len(word) < 5:
        return word
    for hint, pattern, replacement in _RULES:
        if hint in word and pattern.match(word):
            return pattern.sub(replacement, word)
    if word.endswith("s") and word[:-1] in _SPELLINGS:
        return _SPELLINGS[word[:-1]] + "s"
    return word


_RULES = (  # (cheap substring test first, rule, replacement)
    ("our", _OUR, r"\1r\2"),
    ("re", _RE, r"\1er\2"),
    ("is", _ISE, r"\1iz\2"),
    ("ll", _LL, r"\1\2"),
)

# True homophones: engines choose between them from context, not sound, so a
# learner who said the expected word may be written with another spelling.
_HOMOPHONE_GROUPS = (
    "there their theyre",
    "to too two",
    "for four fore",
    "by buy bye",
    "one won",
    "no know",
    "new knew",
    "hear here",
    "whole hole",
    "right write rite",
    "i eye aye",
    "sun son",
    "would wood",
    "our hour",
    "be bee",
    "see sea",
    "ere air heir",
    "weak week",
    "wait weight",
    "way weigh",
    "peace piece",
    "great grate",
    "heal heel",
    "mourning morning",
    "rain reign rein",
    "road rode",
    "sole soul",
    "thrown throne",
    "tide tied",
    "wear where ware",
    "which witch",
    "whose whos",
    "your youre",
    "allowed aloud",
    "brake break",
    "cent scent sent",
    "dear deer",
    "die dye",
    "flour flower",
    "hair hare",
    "heard herd",
    "knight night",
    "knot not",
    "made maid",
    "mail male",
    "meat meet",
    "pair pear",
    "plain plane",
    "red read",
    "sail sale",
    "steal steel",
    "tail tale",
    "toe tow",
    "vain vein",
    "waist waste",
    "lead led",
    "passed past",
    "praise prays preys",
    "pray prey",
    "raise rays",
    "seen scene",
    "so sew sow",
    "threw through",
    "wholly holy",
    "nay neigh",
    "lo low",
    "bow bough",
    "borne born",
    "alter altar",
    "aught ought",
    "kernel colonel",
)
HOMOPHONES = MappingProxyType(
    {word: frozenset(group.split()) for group in _HOMOPHONE_GROUPS for word in group.split()}
)
