"""Sentences a learner reads: sizes as people write them."""

from __future__ import annotations

import pytest

from shared.services.messages import size_text


@pytest.mark.parametrize(
    ("size", "text"),
    [(52_428_800, "50 MB"), (1_048_576, "1 MB"), (1_572_864, "1.5 MB"), (10_000, "10 KB"), (300, "1 KB")],
)
def test_a_limit_is_never_written_as_0_mb(size: int, text: str) -> None:
    assert size_text(size) == text
