"""Build hook; the metadata is in pyproject.toml.

With ``RECITAL_COMPILE=1`` the pure scoring code (every module of
``shared.domain``) is compiled to C extensions with mypyc, which the type
hints there already allow; the worker image is built so. Without it (the
development install, the test services) the same modules run as plain
Python. ``tests/shared/domain/test_compiled.py`` holds the two to the same
results, and docs/scoring.md gives the speed of each.
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import setup

COMPILE_FLAG = "RECITAL_COMPILE"


def compiled_modules() -> list[str]:
    """Every domain module but the package's ``__init__``."""
    folder = Path(__file__).parent / "shared" / "domain"
    return sorted(str(p.relative_to(folder.parents[1])) for p in folder.glob("*.py") if p.stem != "__init__")


def extensions() -> list:
    if os.environ.get(COMPILE_FLAG) != "1":
        return []
    from mypyc.build import mypycify  # only needed, and installed, where compiling

    return mypycify(compiled_modules(), opt_level="3")


setup(ext_modules=extensions())
