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


def one_line(value: str, field: str) -> str:
    """A title or a name: ``storable``, with no control character (a line break, a
    terminal escape), which would break or disguise it where others read it."""
    storable(value, field)
    bad = next((ch for ch in value if unicodedata.category(ch) == "Cc"), None)
    if bad is not None:
        raise _bad_characters(field, f"a control character (U+{ord(bad):04X})")
    return value


def shows_something(value: str) -> bool:
    """Whether any of it is visible: not only spaces and invisible format characters
    (a title of U+200B zero-width spaces read as blank in the library)."""
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc", "Zs") for ch in value)


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
