"""Where a recording is on its way to a score, in a learner's words, and the scores as
shown. The worker's ``stage`` names the step it last finished ("analysed"): shown as it
was, "Scoring: analysed…" read as developer shorthand (QA). ``static/js/api.js`` says
the same."""

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


@pages.app_template_filter()
def score(value: float) -> str:
    """A score out of 100 to the nearest whole number, but 100 only when it is 100 and 0
    only when it is 0: one word missed in 225 is 99.6% accurate, and the page said
    "Accuracy 100%" beside the word struck through (QA)."""
    shown = round(value)
    return str(min(99, max(1, shown)) if 0 < value < 100 else shown)
