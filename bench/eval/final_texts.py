"""The ``final`` split's passages and slip sources, measured only at the end.

Other public-domain passages than ``texts.py`` (none used anywhere before),
a synonym list written for them alone, a wider set of function-word swaps
(across classes too: "upon" for "on", "which" for "that") and other
unrelated words. Nothing here is tuned on: see docs/scoring.md, Evaluation.
"""

from __future__ import annotations

FINAL: dict[str, str] = {
    "two_cities": (
        "It was the best of times, it was the worst of times, it was the age of wisdom, it "
        "was the age of foolishness, it was the epoch of belief, it was the epoch of "
        "incredulity, it was the season of Light, it was the season of Darkness, it was the "
        "spring of hope, it was the winter of despair, we had everything before us, we had "
        "nothing before us."
    ),
    "moby_dick": (
        "Call me Ishmael. Some years ago, never mind how long precisely, having little or no "
        "money in my purse, and nothing particular to interest me on shore, I thought I would "
        "sail about a little and see the watery part of the world. It is a way I have of "
        "driving off the spleen and regulating the circulation."
    ),
    "pride": (
        "It is a truth universally acknowledged, that a single man in possession of a good "
        "fortune, must be in want of a wife. However little known the feelings or views of "
        "such a man may be on his first entering a neighbourhood, this truth is so well fixed "
        "in the minds of the surrounding families, that he is considered the rightful "
        "property of some one or other of their daughters."
    ),
    "ozymandias": (
        "I met a traveller from an antique land\nWho said: Two vast and trunkless legs of "
        "stone\nStand in the desert. Near them, on the sand,\nHalf sunk, a shattered visage "
        "lies, whose frown,\nAnd wrinkled lip, and sneer of cold command,\nTell that its "
        "sculptor well those passions read"
    ),
    "psalm1": (
        "Blessed is the man that walketh not in the counsel of the ungodly, nor standeth in "
        "the way of sinners, nor sitteth in the seat of the scornful. But his delight is in "
        "the law of the Lord; and in his law doth he meditate day and night. And he shall be "
        "like a tree planted by the rivers of water, that bringeth forth his fruit in his "
        "season; his leaf also shall not wither."
    ),
    "daffodils": (
        "When all at once I saw a crowd,\nA host, of golden daffodils;\nBeside the lake, "
        "beneath the trees,\nFluttering and dancing in the breeze.\nContinuous as the stars "
        "that shine\nAnd twinkle on the milky way,\nThey stretched in never ending line\n"
        "Along the margin of a bay:"
    ),
}

FINAL_SYNONYMS: dict[str, str] = {
    "best": "finest", "times": "days", "worst": "lowest", "age": "era", "wisdom": "knowledge",
    "foolishness": "folly", "epoch": "period", "belief": "trust", "light": "brightness",
    "darkness": "shadow", "spring": "dawn", "hope": "wish", "despair": "sorrow", "everything": "all",
    "nothing": "naught", "years": "months", "precisely": "exactly", "little": "small", "money": "cash",
    "purse": "wallet", "particular": "special", "interest": "amuse", "shore": "land",
    "thought": "believed", "sail": "cruise", "see": "view", "watery": "wet", "part": "portion",
    "world": "earth", "way": "habit", "driving": "chasing", "regulating": "controlling",
    "truth": "fact", "universally": "generally", "acknowledged": "accepted", "single": "lone",
    "man": "fellow", "possession": "ownership", "good": "large", "fortune": "wealth", "want": "need",
    "wife": "bride", "known": "understood", "feelings": "emotions", "views": "opinions",
    "first": "earliest", "entering": "reaching", "fixed": "settled", "minds": "heads",
    "surrounding": "nearby", "families": "households", "considered": "regarded", "rightful": "lawful",
    "property": "possession", "daughters": "girls", "met": "saw", "traveller": "wanderer",
    "antique": "ancient", "land": "country", "said": "spoke", "vast": "huge", "legs": "limbs",
    "stone": "rock", "desert": "wilderness", "near": "beside", "sand": "dust", "half": "partly",
    "sunk": "buried", "shattered": "broken", "visage": "face", "lies": "rests", "frown": "scowl",
    "wrinkled": "creased", "lip": "mouth", "sneer": "smirk", "cold": "icy", "command": "power",
    "tell": "show", "sculptor": "carver", "passions": "feelings", "read": "knew", "blessed": "happy",
    "counsel": "advice", "ungodly": "wicked", "sinners": "wrongdoers", "seat": "chair",
    "scornful": "mocking", "delight": "joy", "law": "rule", "meditate": "ponder", "day": "morning",
    "night": "evening", "tree": "oak", "planted": "set", "rivers": "streams", "fruit": "crop",
    "season": "time", "leaf": "foliage", "wither": "fade", "crowd": "throng", "host": "multitude",
    "golden": "yellow", "lake": "pond", "beneath": "under", "trees": "woods", "fluttering": "waving",
    "dancing": "swaying", "breeze": "wind", "continuous": "endless", "stars": "lights",
    "shine": "glow", "twinkle": "sparkle", "stretched": "spread", "ending": "stopping", "line": "row",
    "margin": "edge", "bay": "cove",
}  # fmt: skip

FINAL_FUNCTION_SWAPS: dict[str, tuple[str, ...]] = {
    "the": ("a", "this", "that", "his"), "a": ("the", "one", "some"), "of": ("in", "for", "from"),
    "in": ("on", "at", "into", "within"), "on": ("upon", "in", "at"), "to": ("into", "for", "at"),
    "and": ("or", "but", "then"), "it": ("this", "that"), "was": ("is", "were"), "is": ("was", "be"),
    "we": ("they", "you"), "us": ("them", "me"), "my": ("the", "his"), "his": ("the", "her", "their"),
    "that": ("which", "this", "the"), "i": ("we", "he"), "me": ("us", "him"), "be": ("been", "seem"),
    "had": ("have", "has"), "before": ("behind", "after"), "by": ("with", "from"),
    "from": ("out", "of"), "as": ("like", "so"), "some": ("any", "the", "several"), "or": ("and", "nor"),
    "nor": ("or", "and"), "but": ("and", "yet"), "with": ("by", "without"), "those": ("these", "the"),
    "their": ("the", "his"), "this": ("that", "the"), "so": ("as", "too"), "he": ("she", "they"),
    "they": ("we", "he"), "at": ("in", "on"), "such": ("so", "that"), "must": ("should", "shall"),
    "may": ("might", "can"), "shall": ("will", "should"), "would": ("will", "could"),
    "an": ("the", "one"), "who": ("that", "which"), "whose": ("which", "who"), "them": ("those", "us"),
    "its": ("his", "their"), "not": ("never", "no"), "all": ("each", "some"), "about": ("around", "upon"),
}  # fmt: skip

FINAL_UNRELATED = (
    "river", "velvet", "copper", "saddle", "lantern", "blanket", "ribbon", "thunder", "marble", "pepper",
    "cabbage", "anchor", "tractor", "sugar", "violin", "hammer", "turnip", "parrot", "kettle", "puzzle",
    "helmet", "walnut", "cotton", "mirror",
)  # fmt: skip
