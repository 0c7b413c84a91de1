"""a re-scoring run keeps its batch size and its limit

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 02:40:00

`recital rescore resume` sent every pending attempt of the run's filter in
batches of 200, whatever the run was started with (QA: a run of 10 in
batches of 5, paused at its spend cap, resumed as 2,400 in batches of 200).
The run now keeps both, and a resume sends only what its limit leaves.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("rescore_runs", sa.Column("batch_size", sa.Integer(), nullable=True))
    op.add_column("rescore_runs", sa.Column("attempt_limit", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("rescore_runs", "attempt_limit")
    op.drop_column("rescore_runs", "batch_size")
