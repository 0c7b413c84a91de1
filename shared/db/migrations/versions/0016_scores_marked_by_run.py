"""a re-scoring run marks the score rows it writes

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 08:30:00

A run's report compared the rows at its version written between its start
and its end; two runs at the same version over overlapping filters at the
same time each counted the other's rows. A run now writes its id on each
score row (``scores.rescore_run_id``), and its report reads those rows
only. Runs from before this migration wrote no id: ``marks_scores`` (false
for them) keeps their reports on the time window.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode: SQLite (the embedded default) adds a foreign key only by copying the table.
    with op.batch_alter_table("scores") as scores:
        scores.add_column(sa.Column("rescore_run_id", sa.Uuid(), nullable=True))
        scores.create_foreign_key("fk_scores_rescore_run_id", "rescore_runs", ["rescore_run_id"], ["id"])
    op.add_column(
        "rescore_runs",
        sa.Column("marks_scores", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("rescore_runs", "marks_scores")
    with op.batch_alter_table("scores") as scores:
        scores.drop_constraint("fk_scores_rescore_run_id", type_="foreignkey")
        scores.drop_column("rescore_run_id")
