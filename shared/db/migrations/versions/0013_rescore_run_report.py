"""a stopped re-scoring run keeps its report

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 22:00:00

A run's report compares every attempt it scored with its older row: seconds
of reading for tens of thousands of attempts, on every GET of a stopped run.
The first read after the run stops stores it here; counting another batch
(one that finishes after a cancel) clears it, so it is never stale.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    json_type = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    op.add_column("rescore_runs", sa.Column("report", json_type, nullable=True))


def downgrade() -> None:
    op.drop_column("rescore_runs", "report")
