"""API v1: pieces and attempts. Routes parse, call a service, render.

Each route's docstring carries its OpenAPI description (YAML after ``---``);
``web/openapi.py`` builds /api/openapi.json from them.
"""

# They register their routes; pieces first, as the OpenAPI document lists them.
from web.api import pieces  # noqa: F401, I001
from web.api import attempts  # noqa: F401, I001
from web.api.blueprint import api

__all__ = ["api"]
