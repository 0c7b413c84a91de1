"""What the ``recital`` command says instead of a traceback.

A file or argument that cannot be used (``InputProblem``) and a database
that cannot be reached or is not set up are the user's to fix: one line on
standard error saying what and how, exit status 2. Never a settings value:
the database URL may hold a password.
"""

from __future__ import annotations

from pathlib import Path


class InputProblem(Exception):
    """A file or argument the user gave that cannot be used; the message says which and why."""


def database_problem(exc: Exception, command: str) -> str:
    """One line for an ``OperationalError`` or ``ProgrammingError``: the driver's first line
    (it names the host and port, never the password)."""
    orig = getattr(exc, "orig", None) or exc
    first = (str(orig).strip().splitlines() or [orig.__class__.__name__])[0]
    if command == "db":
        return f"cannot use the database ({first}); is it running, and is RECITAL_DATABASE_URL right?"
    return f"cannot use the database ({first}); is it running and set up? run: recital db upgrade"


def read_text_file(name: str, what: str) -> str:
    """The UTF-8 text of a file the user named, or an ``InputProblem`` saying why not."""
    path = Path(name)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputProblem(f"{what} {name}: no such file") from None
    except IsADirectoryError:
        raise InputProblem(f"{what} {name}: is a directory, not a file") from None
    except UnicodeDecodeError:
        raise InputProblem(f"{what} {name}: not UTF-8 text") from None
    except OSError as exc:
        raise InputProblem(f"{what} {name}: {exc.strerror}") from None


def existing_file(name: str, what: str) -> Path:
    path = Path(name)
    if not path.exists():
        raise InputProblem(f"{what} {name}: no such file")
    if not path.is_file():
        raise InputProblem(f"{what} {name}: is a directory, not a file")
    return path
