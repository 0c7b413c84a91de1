"""Composition root: builds adapters from settings, once per process.

Web, workers and the CLI each hold one Container. After a worker forks,
``dispose_engine`` drops pooled connections inherited from the parent.
The web's is built with ``storage_deadline_seconds``: a request gives up on
storage that keeps failing within that budget, where a worker's background
job keeps the storage client's own long retry.
"""

from __future__ import annotations

import os
import socket
import threading
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from shared.db.engine import build_engine, build_session_factory
from shared.db.uow import UnitOfWork
from shared.live_work import LiveWork, NoLiveWork, live_work
from shared.services.known_ids import KnownIds
from shared.settings import Settings
from shared.storage import Storage, build_storage

if TYPE_CHECKING:
    from shared.services.processing import ProcessingContext
    from shared.transcription.port import Transcriber


class Container:
    def __init__(self, settings: Settings, *, storage_deadline_seconds: float | None = None) -> None:
        self.settings = settings
        self._storage_deadline_seconds = storage_deadline_seconds
        self._transcriber: Transcriber | None = None
        self._lock = threading.Lock()
        # recital serve: the offline engine decodes in a child process (it holds the
        # GIL, and the pages share this interpreter); see shared/transcription/child_process.py.
        self.offline_engine_in_child = False

    @cached_property
    def engine(self) -> Engine:
        return build_engine(self.settings)

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        return build_session_factory(self.engine)

    @cached_property
    def storage(self) -> Storage:
        return build_storage(self.settings.resolved_storage_url, self._storage_deadline_seconds)

    @cached_property
    def live_work(self) -> LiveWork | NoLiveWork:
        return live_work(self.settings)

    @cached_property
    def known_ids(self) -> KnownIds:
        return KnownIds()

    @cached_property
    def _autocommit_engine(self) -> Engine:
        return self.engine.execution_options(isolation_level="AUTOCOMMIT")

    def uow(self, *, autocommit: bool = False) -> UnitOfWork:
        """``autocommit``: every statement commits on its own. Only for services
        whose each write is one statement (submitting an upload, an API
        token's lookup, on every request): it saves the BEGIN and COMMIT (or
        ROLLBACK) round trips."""
        return UnitOfWork(self.session_factory, self._autocommit_engine if autocommit else None)

    def transcriber(self) -> Transcriber:
        """The engine, loaded on first use and kept for the life of the process."""
        with self._lock:
            if self._transcriber is None:
                from shared.transcription.factory import build_transcriber

                self._transcriber = build_transcriber(self.settings, self.offline_engine_in_child)
            return self._transcriber

    def close_transcriber(self) -> None:
        """Stop what the engine runs beside this process (serve's child), if anything."""
        with self._lock:
            transcriber, self._transcriber = self._transcriber, None
        close = getattr(transcriber, "close", None)
        if close is not None:
            close()

    def processing_context(self) -> ProcessingContext:
        from shared.services.processing import ProcessingContext

        worker_id = f"{socket.gethostname()}:{os.getpid()}"
        return ProcessingContext(self.uow, self.storage, self.transcriber, self.settings, worker_id)

    def dispose_engine(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose(close=False)
