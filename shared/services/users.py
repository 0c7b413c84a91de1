"""Users: learners and admins. Sign-up, sign-in, and what an operator changes."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from shared.db.repositories.port import UnitOfWorkPort
from shared.db.repositories.records import Conflict, UserRecord
from shared.domain.clock import utcnow
from shared.services import passwords
from shared.services.errors import ErrorKind, ServiceError

HANDLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,119}")
Role = Literal["learner", "admin"]
ROLES: tuple[Role, ...] = ("learner", "admin")


@dataclass(frozen=True)
class UserView:
    """Who is asking: what services take instead of reading a header."""

    id: uuid.UUID
    handle: str
    role: str
    created_at: datetime

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def view(user: UserRecord) -> UserView:
    return UserView(user.id, user.handle, user.role, user.created_at)


def validate_handle(handle: str) -> str:
    if not HANDLE.fullmatch(handle):  # match() would let a trailing newline through
        raise ServiceError(
            ErrorKind.UNPROCESSABLE,
            "invalid_handle",
            "A handle is 1-120 of the letters a-z (any case), digits, '.', '_', '@' or '-', "
            "starting with a letter or digit.",
        )
    return handle


def sign_up(uow: UnitOfWorkPort, handle: str, password: str, role: Role = "learner") -> UserView:
    validate_handle(handle)
    try:
        user = uow.users.add(handle, passwords.hash_password(password), role, utcnow())
    except Conflict:
        uow.rollback()
        raise ServiceError(
            ErrorKind.CONFLICT, "handle_taken", "That handle is taken; choose another."
        ) from None
    uow.commit()
    return view(user)


def ensure_user(uow: UnitOfWorkPort, handle: str) -> UserView:
    """The user with this handle, created without a password if new (the demo's
    learner; test fixtures). Safe when two callers race to create it."""
    validate_handle(handle)
    user = uow.users.by_handle(handle)
    if user is None:
        try:
            user = uow.users.add(handle, None, "learner", utcnow())
            uow.commit()
        except Conflict:
            uow.rollback()
            user = _existing(uow, handle)
    return view(user)


def authenticate(uow: UnitOfWorkPort, handle: str, password: str, hold: bool = False) -> UserView:
    """The user whose password this is; one error for an unknown handle and a wrong password.

    ``hold``: for a sign-in, whose session starts in this transaction. The user's row
    stays locked until the caller commits, so a password change cannot come between
    checking the old password and the new session: it waits, then ends that session
    with the others.
    """
    user = uow.users.by_handle(handle, hold=hold) if HANDLE.fullmatch(handle) else None
    if not passwords.verify(user.password_hash if user else None, password) or user is None:
        raise ServiceError(ErrorKind.UNAUTHENTICATED, "invalid_credentials", "Wrong handle or password.")
    if user.password_hash and passwords.needs_rehash(user.password_hash, password):
        uow.users.set_password_hash(user.id, passwords.hash_password(password))
        if not hold:  # the caller's commit keeps the lock until then
            uow.commit()
    return view(user)


def password_fingerprint(uow: UnitOfWorkPort, handle: str) -> str | None:
    """What changes when the user behind ``handle`` or their password does (their id and
    password hash), for a browser's memory of signing in to be keyed on; None for an
    unknown handle or a user without a password. Never shown: the caller keys a hash."""
    name = handle.strip()
    user = uow.users.by_handle(name) if HANDLE.fullmatch(name) else None
    if user is None or user.password_hash is None:
        return None
    return f"{user.id}:{user.password_hash}"


def change_password(uow: UnitOfWorkPort, who: UserView, current: str, new: str) -> UserView:
    """The user's own change: the current password first. Every session ends and
    every API token is revoked (``set_password``)."""
    confirm_password(uow, who, current)
    return set_password(uow, who.handle, new)


def confirm_password(uow: UnitOfWorkPort, who: UserView, password: str) -> None:
    """Before a change an unattended session must not make: the user's password again."""
    user = uow.users.get(who.id)
    if user is None or not passwords.verify(user.password_hash, password):
        raise ServiceError(ErrorKind.UNPROCESSABLE, "wrong_password", "The current password is wrong.")


def set_password(uow: UnitOfWorkPort, handle: str, password: str) -> UserView:
    user = _existing(uow, handle)
    uow.users.set_password_hash(user.id, passwords.hash_password(password))
    # A new password is what someone does when another may know the old one:
    # every browser is signed out and every API token revoked, not only the sessions.
    uow.credentials.end_sessions_of(user.id)
    uow.credentials.revoke_tokens_of(user.id, utcnow())
    uow.commit()
    return view(user)


def set_role(uow: UnitOfWorkPort, handle: str, role: Role) -> UserView:
    if role not in ROLES:
        raise ServiceError(ErrorKind.UNPROCESSABLE, "invalid_role", "A role is learner or admin.")
    user = _existing(uow, handle)
    if user.role == "admin" and role != "admin" and uow.users.count_role("admin") == 1:
        raise ServiceError(  # as deleting the only admin (erasure.delete_account): nobody could manage users
            ErrorKind.CONFLICT, "last_admin", "This is the only admin; make another admin first."
        )
    uow.users.set_role(user.id, role)
    uow.commit()
    return replace(view(user), role=role)


def get_user(uow: UnitOfWorkPort, user_id: uuid.UUID) -> UserView:
    user = uow.users.get(user_id)
    if user is None:
        raise ServiceError(ErrorKind.NOT_FOUND, "user_not_found", "No user with that id.")
    return view(user)


def list_users(uow: UnitOfWorkPort, limit: int, offset: int) -> tuple[list[UserView], int]:
    rows, total = uow.users.page(limit, offset)
    return [view(u) for u in rows], total


def by_handle(uow: UnitOfWorkPort, handle: str) -> UserView:
    """For operators: the user with this handle, in any case."""
    return view(_existing(uow, handle))


def _existing(uow: UnitOfWorkPort, handle: str) -> UserRecord:
    user = uow.users.by_handle(handle)
    if user is None:
        raise ServiceError(ErrorKind.NOT_FOUND, "user_not_found", f"No user with the handle {handle!r}.")
    return user
