"""Where a recording is on its way to a score, in a learner's words. The worker's
``stage`` names the step it last finished ("analysed"): shown as it was, "Scoring:
analysed…" read as developer shorthand (QA). ``static/js/api.js`` says the same."""

from __future__ import annotations

from web.pages.blueprint import pages

QUEUED = "Queued: waiting for a scorer."
NEXT_STEP = {  # the step after the one finished
    "uploaded": "listening to your recording",
    "analysed": "working out the words you said",
    "transcribed": "marking each word",
}


@pages.app_template_global()
def progress_text(status: str, stage: str | None) -> str:
    if status == "queued":
        return QUEUED
    step = NEXT_STEP.get(stage or "")
    return f"Scoring: {step}…" if step else "Scoring…"


@pages.app_template_filter()
def nth(n: int) -> str:
    """1st, 2nd, 3rd, 4th, … 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
