"""Learner pages: server-rendered HTML over the same services as the JSON API."""

from web.pages import account, piece_edits, routes, settings  # noqa: F401  (they register their routes)
from web.pages.blueprint import pages

__all__ = ["pages"]
