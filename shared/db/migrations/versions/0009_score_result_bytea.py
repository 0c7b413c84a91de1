"""score results stored as JSON bytes (bytea) instead of jsonb

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 06:00:00

Writing a result as ``jsonb`` made Postgres parse 20-30 KB of JSON text per
score row: most of a re-scoring batch's write. Nothing queries inside a
result (every reader loads the whole document), so the column now holds the
UTF-8 JSON bytes the workers write (``shared/db/result_json.py``), which
Postgres stores without parsing, still compressed with lz4. Existing rows are
converted to their JSON text as bytes. SQLite keeps its JSON text column.
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE scores ALTER COLUMN result TYPE bytea USING convert_to(result::text, 'UTF8')")
    op.execute("ALTER TABLE scores ALTER COLUMN result SET COMPRESSION lz4")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE scores ALTER COLUMN result TYPE jsonb USING convert_from(result, 'UTF8')::jsonb")
    op.execute("ALTER TABLE scores ALTER COLUMN result SET COMPRESSION lz4")
