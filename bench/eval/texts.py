"""Public-domain passages for the evaluation set.

``MAIN`` is what the engine may be tuned on; ``HELD_OUT`` (other texts) only
checks the result. ``SPOKEN`` says how a reader says a written number: the
synthesisers get the words, the scorer gets the digits, as a learner would.
"""

from __future__ import annotations

MAIN: dict[str, str] = {
    "psalm23": (
        "The Lord is my shepherd; I shall not want. He maketh me to lie down in green "
        "pastures: he leadeth me beside the still waters. He restoreth my soul: he leadeth "
        "me in the paths of righteousness for his name's sake. Yea, though I walk through "
        "the valley of the shadow of death, I will fear no evil: for thou art with me."
    ),
    "gettysburg": (
        "Four score and seven years ago our fathers brought forth on this continent, a new "
        "nation, conceived in Liberty, and dedicated to the proposition that all men are "
        "created equal. Now we are engaged in a great civil war, testing whether that nation, "
        "or any nation so conceived and so dedicated, can long endure."
    ),
    "sonnet18": (
        "Shall I compare thee to a summer's day?\nThou art more lovely and more temperate:\n"
        "Rough winds do shake the darling buds of May,\nAnd summer's lease hath all too short "
        "a date;\nSometime too hot the eye of heaven shines,\nAnd often is his gold complexion "
        "dimm'd;\nAnd every fair from fair sometime declines."
    ),
    "dickinson_hope": (
        "Hope is the thing with feathers\nThat perches in the soul,\nAnd sings the tune "
        "without the words,\nAnd never stops at all,\nAnd sweetest in the gale is heard;\n"
        "And sore must be the storm\nThat could abash the little bird\nThat kept so many warm."
    ),
    "lords_prayer": (
        "Our Father, which art in heaven, hallowed be thy name. Thy kingdom come, thy will be "
        "done in earth, as it is in heaven. Give us this day our daily bread. And forgive us "
        "our debts, as we forgive our debtors. And lead us not into temptation, but deliver "
        "us from evil."
    ),
    "lincoln2": (
        "With malice toward none, with charity for all, with firmness in the right as God "
        "gives us to see the right, let us strive on to finish the work we are in, to bind up "
        "the nation's wounds, to care for him who shall have borne the battle and for his "
        "widow and his orphan."
    ),
    "numbers_main": (
        "On the 4th of July 1776 the delegates met at 9:30 in the morning. By 1863 the nation "
        "had grown to 34 states, and on the 19th of November the President spoke for about 2 "
        "minutes to 15000 people."
    ),
}

HELD_OUT: dict[str, str] = {
    "declaration": (
        "We hold these truths to be self-evident, that all men are created equal, that they "
        "are endowed by their Creator with certain unalienable Rights, that among these are "
        "Life, Liberty and the pursuit of Happiness. That to secure these rights, Governments "
        "are instituted among Men, deriving their just powers from the consent of the governed."
    ),
    "psalm121": (
        "I will lift up mine eyes unto the hills, from whence cometh my help. My help cometh "
        "from the Lord, which made heaven and earth. He will not suffer thy foot to be moved: "
        "he that keepeth thee will not slumber. Behold, he that keepeth Israel shall neither "
        "slumber nor sleep."
    ),
    "sonnet116": (
        "Let me not to the marriage of true minds\nAdmit impediments. Love is not love\n"
        "Which alters when it alteration finds,\nOr bends with the remover to remove:\n"
        "O no! it is an ever-fixed mark\nThat looks on tempests and is never shaken."
    ),
    "dickinson_death": (
        "Because I could not stop for Death,\nHe kindly stopped for me;\nThe carriage held "
        "but just ourselves\nAnd Immortality.\nWe slowly drove, he knew no haste,\nAnd I had "
        "put away\nMy labor, and my leisure too,\nFor his civility."
    ),
    "ecclesiastes": (
        "To every thing there is a season, and a time to every purpose under the heaven: a "
        "time to be born, and a time to die; a time to plant, and a time to pluck up that "
        "which is planted; a time to weep, and a time to laugh; a time to mourn, and a time "
        "to dance."
    ),
    "numbers_held": (
        "The ship left port at 6:15 on the 21st of March 1912 with 2224 people aboard. Her "
        "3rd voyage ended in 1920, and by 1935 only 12 of the 40 officers were still at sea."
    ),
}

SPOKEN: dict[str, str] = {
    "4th": "fourth",
    "1776": "seventeen seventy six",
    "9:30": "nine thirty",
    "1863": "eighteen sixty three",
    "34": "thirty four",
    "19th": "nineteenth",
    "2": "two",
    "15000": "fifteen thousand",
    "6:15": "six fifteen",
    "21st": "twenty first",
    "1912": "nineteen twelve",
    "2224": "two thousand two hundred twenty four",
    "3rd": "third",
    "1920": "nineteen twenty",
    "1935": "nineteen thirty five",
    "12": "twelve",
    "40": "forty",
}

# Words a reader might swap in for another (paraphrases): close in meaning,
# different in sound.
PARAPHRASES: dict[str, str] = {
    "tired": "weary",
    "green": "fresh",
    "still": "quiet",
    "fear": "dread",
    "walk": "go",
    "soul": "spirit",
    "brought": "carried",
    "new": "young",
    "great": "large",
    "long": "last",
    "lovely": "pretty",
    "short": "brief",
    "hot": "warm",
    "sings": "hums",
    "little": "small",
    "heard": "known",
    "forgive": "pardon",
    "daily": "common",
    "deliver": "save",
    "strive": "press",
    "finish": "end",
    "wounds": "hurts",
    "battle": "fight",
    "lie": "rest",
    "waters": "rivers",
    "shine": "glow",
    "shines": "glows",
    "storm": "gale",
    "warm": "safe",
    "hills": "mountains",
    "help": "aid",
    "sleep": "rest",
    "true": "real",
    "marriage": "union",
    "kindly": "gently",
    "slowly": "calmly",
    "weep": "cry",
    "laugh": "smile",
    "dance": "leap",
    "stop": "wait",
    "rights": "freedoms",
    "just": "fair",
    "season": "moment",
    "met": "gathered",
    "grown": "risen",
    "spoke": "talked",
    "people": "folk",
    "left": "quit",
    "aboard": "inside",
    "years": "summers",
    "nation": "country",
    "done": "made",
    "evil": "harm",
    "death": "dying",
    "day": "morning",
    "thing": "creature",
}

# Function-word swaps: the hardest miscues for a piece-biased recogniser.
FUNCTION_SWAPS: dict[str, str] = {
    "the": "a",
    "a": "the",
    "in": "on",
    "on": "in",
    "and": "but",
    "of": "for",
    "his": "her",
    "my": "our",
    "our": "my",
    "we": "they",
    "is": "was",
    "that": "this",
    "this": "that",
    "to": "for",
    "are": "were",
    "for": "to",
    "with": "by",
    "me": "us",
    "thy": "my",
    "he": "she",
    "from": "for",
    "all": "some",
    "be": "stay",
}

# Unrelated words a slip or an insertion might bring in.
UNRELATED = (
    "table",
    "purple",
    "window",
    "orange",
    "garden",
    "basket",
    "monkey",
    "pencil",
    "rocket",
    "candle",
    "silver",
    "kitchen",
    "yellow",
    "bottle",
    "engine",
    "market",
    "winter",
    "doctor",
    "button",
    "carpet",
    "finger",
    "jacket",
    "ladder",
    "pocket",
    "rabbit",
    "tunnel",
)
