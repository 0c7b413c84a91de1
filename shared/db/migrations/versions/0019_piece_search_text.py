"""a piece keeps its title and text folded for the library search

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 18:00:00

The search found "didn’t" from "didn't" (SQL ``replace``), but not "café"
from "cafe" nor "well-known" from "well known" or "wellknown" (QA). Folding
accents in SQL needs Postgres's ``unaccent`` extension, which SQLite lacks and
a managed database may not allow. ``search_text`` holds the title and text
folded in Python (``shared.domain.search_text.searchable``), written with
them on every save; this fills it in for the pieces already stored, a few
hundred at a time.

Unlike 0011, the fold is imported rather than spelled out here: the column is
only ever worth what the search folds now, and a later change to the fold
needs a migration of its own that folds every piece again.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from shared.domain.search_text import searchable

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

BATCH = 500


def upgrade() -> None:
    op.add_column("pieces", sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    bind = op.get_bind()
    table = sa.table("pieces", *map(sa.column, ("id", "title", "text", "search_text")))
    last: Any = None
    while True:
        query = sa.select(table.c.id, table.c.title, table.c.text).order_by(table.c.id).limit(BATCH)
        rows = bind.execute(query if last is None else query.where(table.c.id > last)).all()
        if not rows:
            return
        folded = [{"row_id": i, "folded": searchable(str(title), str(text))} for i, title, text in rows]
        update = sa.update(table).where(table.c.id == sa.bindparam("row_id"))
        bind.execute(update.values(search_text=sa.bindparam("folded")), folded)
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_column("pieces", "search_text")
