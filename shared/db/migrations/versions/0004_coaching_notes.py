"""coaching notes rewritten by a chat model

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 21:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coaching_notes",
        sa.Column("attempt_id", sa.Uuid(), nullable=False),
        sa.Column("scoring_version", sa.String(length=40), nullable=False),
        sa.Column("rule_note", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("model", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"]),
        sa.PrimaryKeyConstraint("attempt_id", "scoring_version"),
    )


def downgrade() -> None:
    op.drop_table("coaching_notes")
