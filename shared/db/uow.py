"""Unit of work: one session scope per request or task; only services commit.

Use cases reach the database through its repositories (``attempts``,
``results``, ``pieces``, ``users``, ``credentials``) and decide where
transactions end with ``commit``; nothing else commits. ``in_transaction``
tells whether a transaction is open (the session begins one on its first
statement), so a use case can prove it holds none across slow work.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from shared.db.repositories.account_port import CredentialRepository, UserRepository
from shared.db.repositories.attempts import SqlAttempts
from shared.db.repositories.credentials import SqlCredentials
from shared.db.repositories.pieces import SqlPieces
from shared.db.repositories.port import AttemptRepository, PieceRepository
from shared.db.repositories.result_port import ResultRepository
from shared.db.repositories.results import SqlResults
from shared.db.repositories.runs import SqlRuns
from shared.db.repositories.runs_port import RunRepository
from shared.db.repositories.users import SqlUsers


class UnitOfWork:
    """``bind`` overrides the factory's engine: an AUTOCOMMIT engine makes each
    statement its own transaction (see ``Container.uow``)."""

    attempts: AttemptRepository
    results: ResultRepository
    pieces: PieceRepository
    users: UserRepository
    credentials: CredentialRepository
    runs: RunRepository
    database_errors: tuple[type[Exception], ...] = (DBAPIError,)

    def __init__(self, session_factory: sessionmaker[Session], bind: Engine | None = None) -> None:
        self._session_factory = session_factory
        self._bind = bind
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        """For tests and benches that set up rows; services use the repositories."""
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its 'with' block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        factory = self._session_factory
        self._session = factory() if self._bind is None else factory(bind=self._bind)
        self.attempts = SqlAttempts(self._session)
        self.results = SqlResults(self._session)
        self.pieces = SqlPieces(self._session)
        self.users = SqlUsers(self._session)
        self.credentials = SqlCredentials(self._session)
        self.runs = SqlRuns(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Anything not committed explicitly is rolled back.
        try:
            self.session.rollback()
        finally:
            self.session.close()
            self._session = None

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

    def in_transaction(self) -> bool:
        return self._session is not None and self._session.in_transaction()
