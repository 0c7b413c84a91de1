"""a piece's text has a version, which an upload may name

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 09:00:00

A piece's text may change while nobody has recited it. A learner who opened
the piece, then recorded while its owner changed the text, had the
recording scored against a text they never saw. ``text_version`` (1 at
first, one more at each change of the text) is shown with the piece; an
upload that names it is refused (409 ``piece_text_changed``) once the text
has moved on, in the same statement that inserts the attempt.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("pieces", sa.Column("text_version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    op.drop_column("pieces", "text_version")
