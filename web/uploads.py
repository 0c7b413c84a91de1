"""Uploaded files go straight into a staged file beside storage (see shared/services/staged_upload.py)."""

from __future__ import annotations

from typing import IO

from flask import Request, current_app

from shared.services.staged_upload import StagedFile


class StagingRequest(Request):
    """Werkzeug asks this for a file to write each uploaded file part into."""

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        deps = current_app.extensions["recital"]
        return StagedFile(deps.storage.staging_folder(), deps.settings.max_upload_bytes)  # type: ignore[return-value]
