"""score results compressed with lz4

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 02:40:00

A result is 20-30 KB of JSON, stored out of line and compressed. With the
default pglz, compressing took about as long as parsing the JSON: half of
Postgres's work per re-scored attempt. lz4 compresses several times faster,
to about a quarter more bytes (6.5 KB instead of 5.0 KB for a 60 s
recitation). Only rows written from now on are lz4; older ones stay pglz and
read as before. SQLite has no such setting.
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE scores ALTER COLUMN result SET COMPRESSION lz4")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE scores ALTER COLUMN result SET COMPRESSION default")
