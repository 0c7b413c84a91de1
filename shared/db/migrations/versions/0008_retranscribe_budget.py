"""re-transcription runs: audio seconds spent, and the run's cap

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 03:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "rescore_runs", sa.Column("spent_audio_seconds", sa.Float(), nullable=False, server_default="0")
    )
    op.add_column("rescore_runs", sa.Column("cap_audio_seconds", sa.Float(), nullable=True))


def downgrade() -> None:
    op.drop_column("rescore_runs", "cap_audio_seconds")
    op.drop_column("rescore_runs", "spent_audio_seconds")
