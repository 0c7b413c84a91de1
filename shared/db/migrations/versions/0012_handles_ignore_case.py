"""handles are one name whatever the case: "alice" and "ALICE" are the same user

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 17:00:00

A unique index on lower(handle) (Postgres and SQLite both index an
expression). Handles are ASCII (``users.HANDLE``), so lower() folds them
fully. Sign-in and every lookup by handle compare lower-cased; the handle is
kept as the user typed it. If two handles already differ only by case the
upgrade stops and names them: which one keeps the name is an operator's
choice, not a migration's.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    clashes = op.get_bind().execute(
        sa.text("SELECT lower(handle) FROM users GROUP BY lower(handle) HAVING count(*) > 1 ORDER BY 1")
    )
    names = [row[0] for row in clashes]
    if names:
        raise RuntimeError(
            f"{len(names)} handles exist in more than one case ({', '.join(names[:10])}): "
            "rename or delete the extra accounts, then upgrade again"
        )
    op.create_index("uq_users_handle_lower", "users", [sa.text("lower(handle)")], unique=True)


def downgrade() -> None:
    op.drop_index("uq_users_handle_lower", table_name="users")
