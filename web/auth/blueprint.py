"""The /api/v1/auth blueprint that ``account.py`` and ``tokens.py`` add their routes to."""

from flask import Blueprint

auth = Blueprint("auth", __name__)
