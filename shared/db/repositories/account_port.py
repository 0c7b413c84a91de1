"""The account ports: users, browser sessions and API tokens (see ``port.py``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from shared.db.repositories.records import TokenRecord, TokenUse, UserRecord


class UserRepository(Protocol):
    """Learners and admins, found by id or handle."""

    def add(self, handle: str, password_hash: str | None, role: str, now: datetime) -> UserRecord:
        """Insert it now; ``Conflict`` when the handle is taken."""
        ...

    def get(self, user_id: uuid.UUID, hold: bool = False) -> UserRecord | None:
        """``hold``: as ``by_handle``'s."""
        ...

    def by_handle(self, handle: str, hold: bool = False) -> UserRecord | None:
        """``hold``: the row stays locked against changes until the transaction ends."""
        ...

    def lock(self, user_id: uuid.UUID) -> UserRecord | None:
        """The user, locked until the transaction ends against rows that refer to it: a
        piece, attempt, session or token being added finishes first, or waits and then
        finds the user gone (an account's deletion)."""
        ...

    def set_password_hash(self, user_id: uuid.UUID, password_hash: str) -> None: ...

    def set_role(self, user_id: uuid.UUID, role: str) -> None: ...

    def count_role(self, role: str) -> int:
        """How many users have ``role``, those rows locked until the transaction ends."""
        ...

    def page(self, limit: int, offset: int) -> tuple[list[UserRecord], int]:
        """A page of users, oldest first, and how many there are."""
        ...

    def delete(self, user_id: uuid.UUID) -> None:
        """The user and their sessions and tokens; ``Conflict`` while attempts or pieces refer to them."""
        ...


class CredentialRepository(Protocol):
    """Browser sessions and API tokens, found by the sha256 of their secret."""

    def add_session(
        self, token_hash: str, user_id: uuid.UUID, csrf_token: str, expires_at: datetime, now: datetime
    ) -> None: ...

    def session_user(self, token_hash: str, now: datetime) -> tuple[UserRecord, str] | None:
        """The unexpired session's user and CSRF token."""
        ...

    def end_session(self, token_hash: str) -> None: ...

    def end_expired_sessions(self, now: datetime) -> None: ...

    def end_sessions_of(self, user_id: uuid.UUID) -> None: ...

    def add_token(
        self, user_id: uuid.UUID, name: str, token_hash: str, prefix: str, now: datetime
    ) -> TokenRecord: ...

    def live_tokens(self, user_id: uuid.UUID) -> list[TokenRecord]:
        """The user's tokens not revoked, oldest first."""
        ...

    def count_live_tokens(self, user_id: uuid.UUID) -> int: ...

    def revoke_token(self, token_id: uuid.UUID, user_id: uuid.UUID, now: datetime) -> bool:
        """False when the user has no such live token."""
        ...

    def revoke_tokens_of(self, user_id: uuid.UUID, now: datetime) -> int:
        """Revoke every live token of the user; how many were."""
        ...

    def token_use(self, token_hash: str) -> TokenUse | None:
        """The live token's user and its last use (one read per API request)."""
        ...

    def note_token_use(self, token_id: uuid.UUID, now: datetime) -> None: ...

    def forget_user(self, user_id: uuid.UUID) -> None:
        """Every session and token of the user, revoked or not."""
        ...
