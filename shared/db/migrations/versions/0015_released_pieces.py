"""a piece whose owner deleted their account is marked released

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 05:45:00

Deleting an account keeps the owner's pieces that other learners have
recited, without an owner. When the last of those attempts went, the piece
stayed in every learner's library for good and nobody but an admin could
remove it (QA). A released piece is now deleted with its last attempt;
``released_at`` tells it from a piece from before accounts (also ownerless,
and public by design), which stays.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("pieces", sa.Column("released_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("pieces", "released_at")
