"""The API v1 blueprint that ``pieces.py`` and ``attempts.py`` add their routes to."""

from flask import Blueprint

api = Blueprint("api", __name__)
