"""an index of each learner's open attempts, for the queued-attempts cap

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 02:55:00

Every upload counts the learner's queued or processing attempts (at most the
cap + 1). Through ix_attempts_learner_created it visited every attempt the
learner ever made; this partial index holds only the open ones.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_attempts_learner_open",
        "attempts",
        ["learner_id"],
        postgresql_where=sa.text("status IN ('queued', 'processing')"),
        sqlite_where=sa.text("status IN ('queued', 'processing')"),
    )


def downgrade() -> None:
    op.drop_index("ix_attempts_learner_open", table_name="attempts")
