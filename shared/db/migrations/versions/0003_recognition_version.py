"""transcripts keyed by recognition version

The transcript cache key gains the version of Recital's own recognition code,
so a change to what the engine hears is never served from an old transcript.
Rows stored before have the empty version: no engine asks for it, so they are
never served again (the attempts that link them keep them for re-scoring).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 21:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OLD_KEY = ["audio_sha256", "engine", "model", "context_key"]


def upgrade() -> None:
    with op.batch_alter_table("transcripts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("recognition_version", sa.String(length=40), nullable=False, server_default="")
        )
        batch_op.drop_constraint("uq_transcript", type_="unique")
        batch_op.create_unique_constraint("uq_transcript", [*OLD_KEY, "recognition_version"])


def downgrade() -> None:
    # Several versions' transcripts of one recording cannot share the old key: keep the newest.
    op.execute(
        "DELETE FROM transcripts WHERE id NOT IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER ("
        "PARTITION BY audio_sha256, engine, model, context_key ORDER BY created_at DESC) AS n "
        "FROM transcripts) AS ranked WHERE n = 1) AND id NOT IN (SELECT transcript_id FROM attempts "
        "WHERE transcript_id IS NOT NULL)"
    )
    with op.batch_alter_table("transcripts", schema=None) as batch_op:
        batch_op.drop_constraint("uq_transcript", type_="unique")
        batch_op.create_unique_constraint("uq_transcript", OLD_KEY)
        batch_op.drop_column("recognition_version")
