"""Text Postgres can hold: UTF-8 without NUL.

JSON may carry both faults as escapes ("\\ud800", "\\u0000"); psycopg refuses
them at the database (an encoding error, a ``DataError``), which would be a
500. Each is the caller's to fix: 422 ``invalid_characters`` naming the field.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from shared.services.errors import ErrorKind, ServiceError


def storable(value: str, field: str) -> str:
    """``value`` unchanged, or ``invalid_characters`` naming ``field``."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _bad_characters(field, "an unpaired surrogate (\\ud800-\\udfff)") from None
    if "\x00" in value:
        raise _bad_characters(field, "a NUL character")
    return value


# Characters that break or disguise a one-line name where others read it: controls
# (a line break, a terminal escape), line and paragraph separators, and the explicit
# bidirectional embeddings, overrides and isolates ("\u202eevil" shown reversed).
# Left-to-right and right-to-left marks (U+200E, U+200F) stay: right-to-left titles use them.
NOT_ONE_LINE = ("Cc", "Zl", "Zp")
BIDI_FORMATTING = frozenset(chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
# Letters and symbols that print as nothing: Hangul fillers, the braille blank.
BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")
INVISIBLE = ("Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me")  # formats, spaces, lone combining marks


def one_line(value: str, field: str) -> str:
    """A title or a name: ``storable``, and none of ``NOT_ONE_LINE`` or ``BIDI_FORMATTING``."""
    storable(value, field)
    bad = next(
        (ch for ch in value if unicodedata.category(ch) in NOT_ONE_LINE or ch in BIDI_FORMATTING), None
    )
    if bad is not None:
        what = (
            "a control character"
            if unicodedata.category(bad) == "Cc"
            else "a character that breaks or turns text"
        )
        raise _bad_characters(field, f"{what} (U+{ord(bad):04X})")
    return value


def shows_something(value: str) -> bool:
    """Whether any of it is visible: not only spaces, invisible format characters and
    blank-looking letters (a title of U+200B zero-width spaces read as blank in the library)."""
    return any(unicodedata.category(ch) not in INVISIBLE and ch not in BLANK_LOOKING for ch in value)


def check_strings(body: Any, field: str = "body") -> None:
    """Every key and string inside a parsed JSON value, as ``storable`` checks
    them; a string is named by the key it is under. Iterative: a deep body
    must not cost the stack."""
    pending: list[tuple[str, Any]] = [(field, body)]
    while pending:
        name, value = pending.pop()
        if isinstance(value, str):
            storable(value, name)
        elif isinstance(value, dict):
            for key, item in value.items():
                pending.append((storable(key, "field name"), item))
        elif isinstance(value, list):
            pending.extend((name, item) for item in value)


def _bad_characters(field: str, what: str) -> ServiceError:
    return ServiceError(ErrorKind.UNPROCESSABLE, "invalid_characters", f"The {field} contains {what}.")
