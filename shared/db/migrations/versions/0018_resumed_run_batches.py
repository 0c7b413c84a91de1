"""a re-scoring run numbers every batch it sends, and a resume retires those still queued

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 09:10:00

A resumed run numbered its new batches after the highest one counted. The
batches sent before the pause and still queued (a worker down, or behind)
then shared their numbers with the new ones: whichever came second was taken
for a redelivery and not counted, and the run stayed "running" for good (QA).
``batches_sent`` numbers every batch a run sends; a resume sets
``first_live_batch`` to it, and a batch numbered below it stops without
scoring, as a cancelled run's do: the resumed plan sends its attempts again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for column in ("batches_sent", "first_live_batch"):
        op.add_column("rescore_runs", sa.Column(column, sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    for column in ("first_live_batch", "batches_sent"):
        op.drop_column("rescore_runs", column)
