"""Users, sessions, tokens and erasure in memory, with the SQL adapters' keys
and order (``tests/shared/db/test_account_repository_contract.py`` checks both)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from datetime import datetime
from typing import TYPE_CHECKING, Any

from shared.db.repositories.records import Conflict, TokenRecord, TokenUse, UserRecord

if TYPE_CHECKING:
    from tests.support.fake_repositories import Tables

Row = dict[str, Any]


class FakeUsers:
    def __init__(self, tables: Callable[[], Tables]) -> None:
        self._tables = tables

    def add(self, handle: str, password_hash: str | None, role: str, now: datetime) -> UserRecord:
        if self.by_handle(handle) is not None:
            raise Conflict(f"handle {handle!r} taken")  # the unique key
        user = UserRecord(uuid.uuid4(), handle, role, password_hash, now)
        self._tables().users[user.id] = vars(user).copy()
        return user

    def get(self, user_id: uuid.UUID, hold: bool = False) -> UserRecord | None:
        row = self._tables().users.get(user_id)
        return UserRecord(**row) if row else None

    def lock(self, user_id: uuid.UUID) -> UserRecord | None:
        return self.get(user_id)  # one thread: nothing to wait for

    def by_handle(self, handle: str, hold: bool = False) -> UserRecord | None:
        found = [r for r in self._tables().users.values() if r["handle"].lower() == handle.lower()]
        return UserRecord(**found[0]) if found else None

    def set_password_hash(self, user_id: uuid.UUID, password_hash: str) -> None:
        if row := self._tables().users.get(user_id):
            row["password_hash"] = password_hash

    def set_role(self, user_id: uuid.UUID, role: str) -> None:
        if row := self._tables().users.get(user_id):
            row["role"] = role

    def page(self, limit: int, offset: int) -> tuple[list[UserRecord], int]:
        rows = sorted(self._tables().users.values(), key=lambda r: (r["created_at"], r["id"]))
        return [UserRecord(**r) for r in rows[offset : offset + limit]], len(rows)

    def count_role(self, role: str) -> int:
        return sum(1 for r in self._tables().users.values() if r["role"] == role)

    def delete(self, user_id: uuid.UUID) -> None:
        tables = self._tables()
        if any(a["learner_id"] == user_id for a in tables.attempts.values()) or any(
            p["owner_id"] == user_id for p in tables.pieces.values()
        ):
            raise Conflict(f"user {user_id} still has attempts or pieces")  # the foreign keys
        tables.users.pop(user_id, None)
        _forget(tables, user_id)  # sessions and tokens cascade


class FakeCredentials:
    def __init__(self, tables: Callable[[], Tables]) -> None:
        self._tables = tables

    def add_session(
        self, token_hash: str, user_id: uuid.UUID, csrf_token: str, expires_at: datetime, now: datetime
    ) -> None:
        self._tables().sessions[token_hash] = {"user_id": user_id, "csrf_token": csrf_token,
                                                "expires_at": expires_at}  # fmt: skip

    def session_user(self, token_hash: str, now: datetime) -> tuple[UserRecord, str] | None:
        tables = self._tables()
        row = tables.sessions.get(token_hash)
        if row is None or row["expires_at"] <= now or row["user_id"] not in tables.users:
            return None
        return UserRecord(**tables.users[row["user_id"]]), row["csrf_token"]

    def end_session(self, token_hash: str) -> None:
        self._tables().sessions.pop(token_hash, None)

    def end_expired_sessions(self, now: datetime) -> None:
        self._drop_sessions(lambda r: r["expires_at"] < now)

    def end_sessions_of(self, user_id: uuid.UUID) -> None:
        self._drop_sessions(lambda r: r["user_id"] == user_id)

    def add_token(
        self, user_id: uuid.UUID, name: str, token_hash: str, prefix: str, now: datetime
    ) -> TokenRecord:
        tokens = self._tables().tokens
        if any(t["token_hash"] == token_hash for t in tokens.values()):
            raise Conflict("token hash taken")  # the unique key
        token = TokenRecord(uuid.uuid4(), name, prefix, now, None)
        tokens[token.id] = vars(token) | {"user_id": user_id, "token_hash": token_hash, "revoked_at": None}
        return token

    def live_tokens(self, user_id: uuid.UUID) -> list[TokenRecord]:
        rows = sorted(self._live(user_id), key=lambda r: (r["created_at"], r["id"]))
        return [_token(r) for r in rows]

    def count_live_tokens(self, user_id: uuid.UUID) -> int:
        return len(self._live(user_id))

    def revoke_token(self, token_id: uuid.UUID, user_id: uuid.UUID, now: datetime) -> bool:
        found = [r for r in self._live(user_id) if r["id"] == token_id]
        for row in found:
            row["revoked_at"] = now
        return bool(found)

    def revoke_tokens_of(self, user_id: uuid.UUID, now: datetime) -> int:
        live = self._live(user_id)
        for row in live:
            row["revoked_at"] = now
        return len(live)

    def token_use(self, token_hash: str) -> TokenUse | None:
        tables = self._tables()
        for row in tables.tokens.values():
            if (
                row["token_hash"] == token_hash
                and row["revoked_at"] is None
                and row["user_id"] in tables.users
            ):
                return TokenUse(UserRecord(**tables.users[row["user_id"]]), row["id"], row["last_used_at"])
        return None

    def note_token_use(self, token_id: uuid.UUID, now: datetime) -> None:
        if row := self._tables().tokens.get(token_id):
            row["last_used_at"] = now

    def forget_user(self, user_id: uuid.UUID) -> None:
        _forget(self._tables(), user_id)

    def _live(self, user_id: uuid.UUID) -> list[Row]:
        return [
            r for r in self._tables().tokens.values() if r["user_id"] == user_id and r["revoked_at"] is None
        ]

    def _drop_sessions(self, doomed: Callable[[Row], bool]) -> None:
        sessions = self._tables().sessions
        for token_hash in [h for h, r in sessions.items() if doomed(r)]:
            del sessions[token_hash]


class AttemptErasure:
    """Deleting attempts, mixed into ``FakeAttempts``."""

    _tables: Callable[[], Tables]

    def recordings_of(
        self, learner_id: uuid.UUID, piece_id: uuid.UUID | None = None
    ) -> list[tuple[uuid.UUID, str]]:
        return [
            (r["id"], r["storage_key"])
            for r in self._tables().attempts.values()
            if r["learner_id"] == learner_id and (not piece_id or r["piece_id"] == piece_id)
        ]

    def recordings_on_piece(self, piece_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
        attempts = self._tables().attempts.values()
        return [(r["id"], r["storage_key"]) for r in attempts if r["piece_id"] == piece_id]

    def failed_on_pieces_of(self, owner_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
        tables = self._tables()
        owned = {i for i, p in tables.pieces.items() if p["owner_id"] == owner_id}
        found = [r for r in tables.attempts.values() if r["piece_id"] in owned and r["status"] == "failed"]
        return [(r["id"], r["storage_key"]) for r in found if r["learner_id"] != owner_id]

    def count_on_piece(
        self,
        piece_id: uuid.UUID,
        except_learner: uuid.UUID | None = None,
        *,
        except_failed: bool = False,
        only_done: bool = False,
    ) -> int:
        return sum(1 for r in self._tables().attempts.values()
                   if r["piece_id"] == piece_id and r["learner_id"] != except_learner
                   and not (except_failed and r["status"] == "failed")
                   and not (only_done and r["status"] != "done"))  # fmt: skip

    def delete(self, attempt_ids: Collection[uuid.UUID]) -> None:
        tables, doomed = self._tables(), set(attempt_ids)
        transcripts = {tables.attempts[i]["transcript_id"] for i in doomed if i in tables.attempts}
        for table in (tables.scores, tables.coaching_notes):
            for key in [k for k in table if k[0] in doomed]:
                del table[key]
        for attempt_id in doomed:
            tables.analyses.pop(attempt_id, None)
            tables.attempts.pop(attempt_id, None)
        still_used = {r["transcript_id"] for r in tables.attempts.values()}
        for transcript_id in transcripts - still_used - {None}:
            tables.transcripts.pop(transcript_id, None)


def _token(row: Row) -> TokenRecord:
    return TokenRecord(row["id"], row["name"], row["prefix"], row["created_at"], row["last_used_at"])


def _forget(tables: Tables, user_id: uuid.UUID) -> None:
    tables.sessions = {h: r for h, r in tables.sessions.items() if r["user_id"] != user_id}
    tables.tokens = {i: r for i, r in tables.tokens.items() if r["user_id"] != user_id}
