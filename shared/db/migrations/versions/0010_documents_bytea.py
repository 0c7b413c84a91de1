"""transcripts and analyses stored as JSON bytes (bytea) instead of jsonb

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 06:10:00

Re-scoring reads every attempt's transcript (about 14 KB of JSON for a
minute) and analysis; as ``jsonb`` Postgres printed each back to text on the
way out, most of a batch's loading. Like ``scores.result`` (0009), nothing
queries inside them, so they now hold the JSON bytes the workers write
(``shared/db/json_bytes.py``), compressed with lz4. Existing rows are
converted to their JSON text as bytes (the tables are rewritten once). SQLite
keeps its JSON text columns.
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

TABLES = ("transcripts", "analyses")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN data TYPE bytea USING convert_to(data::text, 'UTF8')")
        op.execute(f"ALTER TABLE {table} ALTER COLUMN data SET COMPRESSION lz4")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        back = "convert_from(data, 'UTF8')::jsonb"
        op.execute(f"ALTER TABLE {table} ALTER COLUMN data TYPE jsonb USING {back}")
        op.execute(f"ALTER TABLE {table} ALTER COLUMN data SET COMPRESSION default")
