"""Learner pages: server-rendered HTML over the same services as the JSON API."""

from web.pages.routes import pages

__all__ = ["pages"]
