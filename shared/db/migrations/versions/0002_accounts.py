"""accounts: learners become users; sessions, API tokens; pieces get an owner and a visibility

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 21:40:00

Carried over: every learner becomes a user with the role ``learner`` and no
password (an operator gives them one: ``recital users set-password HANDLE``);
their attempts keep pointing at them. Every piece from before accounts had
been readable by everyone, so it stays so: visibility ``public``, no owner.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.rename_table("learners", "users")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE users RENAME CONSTRAINT learners_pkey TO users_pkey")
        op.execute("ALTER TABLE users RENAME CONSTRAINT learners_handle_key TO users_handle_key")
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("password_hash", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("role", sa.String(length=20), nullable=False, server_default="learner"))
    with op.batch_alter_table("pieces") as batch:
        batch.add_column(sa.Column("owner_id", sa.Uuid(), nullable=True))
        batch.add_column(
            sa.Column("visibility", sa.String(length=10), nullable=False, server_default="public")
        )
        batch.create_foreign_key("fk_pieces_owner_id_users", "users", ["owner_id"], ["id"])
        batch.create_index("ix_pieces_owner", ["owner_id"])
        batch.create_index("ix_pieces_visibility", ["visibility"])
    with op.batch_alter_table("pieces") as batch:  # new pieces are private unless said otherwise
        batch.alter_column("visibility", server_default="private")
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_api_tokens_user_id", table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_index("ix_web_sessions_user_id", table_name="web_sessions")
    op.drop_table("web_sessions")
    with op.batch_alter_table("pieces") as batch:
        batch.drop_index("ix_pieces_visibility")
        batch.drop_index("ix_pieces_owner")
        batch.drop_constraint("fk_pieces_owner_id_users", type_="foreignkey")
        batch.drop_column("visibility")
        batch.drop_column("owner_id")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("role")
        batch.drop_column("password_hash")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE users RENAME CONSTRAINT users_handle_key TO learners_handle_key")
        op.execute("ALTER TABLE users RENAME CONSTRAINT users_pkey TO learners_pkey")
    op.rename_table("users", "learners")
