"""The front-door baseline: a bare Flask endpoint that only saves the body to disk."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from flask import Flask, request

app = Flask(__name__)
FOLDER = Path(os.environ.get("BASELINE_DIR", "/tmp/recital-baseline"))
FOLDER.mkdir(parents=True, exist_ok=True)


@app.post("/api/v1/pieces/<piece_id>/attempts")
def save(piece_id: str) -> tuple[dict[str, str], int]:
    name = uuid.uuid4().hex
    request.files["recording"].save(FOLDER / name)
    return {"id": name}, 202
