"""Learner pages: server-rendered HTML over the same services as the JSON API."""

from web.pages import (  # noqa: F401  (they register their routes)
    account,
    piece_edits,
    progress_words,
    routes,
    settings,
    times,
    tokens,
)
from web.pages.blueprint import pages

__all__ = ["pages"]
