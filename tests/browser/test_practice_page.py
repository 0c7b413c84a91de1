"""The practice page as a learner leaves it or loses its piece (QA learner pass):
a recording not yet sent is not thrown away without asking, and a piece deleted
in another tab is said so in a learner's words, with Send off."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, PIECE
from tests.browser.learner import Learner
from tests.support.auth import PASSWORD, new_handle

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]


@pytest.fixture(scope="module")
def grace(browser: Any, server: str) -> Any:
    learner = Learner(browser, server, DESKTOP)
    learner.sign_up(new_handle("grace"))
    yield learner
    learner.close()


def _record(page: Any) -> None:
    page.get_by_role("button", name="Start recording").click()
    page.wait_for_timeout(1200)
    page.get_by_role("button", name="Stop").click()
    page.locator("#listen").wait_for(state="visible")


def test_leaving_with_a_recording_not_sent_asks_first(grace: Learner) -> None:
    """A learner who recited for minutes, then followed a link (or pressed Back), lost
    the recording without a word: the page now asks the browser to confirm leaving."""
    page = grace.page
    grace.add_piece("Leaving", PIECE)
    practice_url = page.url
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:  # "Stay on the page"
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", dismiss)
    try:
        page.get_by_role("link", name="Your progress on this piece").click()  # nothing recorded: no question
        page.wait_for_url("**/history")
        assert asked == []
        page.go_back()
        page.wait_for_url(practice_url)
        _record(page)
        page.get_by_role("link", name="Your progress on this piece").click()
        page.wait_for_timeout(1000)
        assert asked == ["beforeunload"] and page.url == practice_url
        assert page.get_by_role("button", name="Send for scoring").is_enabled()  # still there to send
        page.get_by_role("button", name="Send for scoring").click()
        page.wait_for_url("**/attempts/*", timeout=120_000)  # sent: the page opens the result unasked
        assert asked == ["beforeunload"]
    finally:
        page.remove_listener("dialog", dismiss)
    assert not grace.errors


def test_a_piece_deleted_in_another_tab_is_said_so_and_send_stays_off(grace: Learner) -> None:
    """Sent after the piece was deleted in another tab, the page said "No piece with that
    id." (the API's words) and kept Send on, to be refused again."""
    page = grace.page
    grace.add_piece("Going", PIECE)
    practice_url = page.url
    _record(page)
    other = page.context.new_page()
    other.goto(practice_url.replace("/practice", "/edit"))
    other.get_by_text("Delete this piece").click()
    other.get_by_role("button", name="Delete the piece").click()
    other.wait_for_url("**/library?deleted=1")
    other.close()
    page.get_by_role("button", name="Send for scoring").click()
    problem = page.locator("#problem")
    page.wait_for_function("() => document.getElementById('problem').textContent !== ''")
    assert "no longer in your library" in problem.inner_text()
    assert "id" not in problem.inner_text().split()
    assert not page.get_by_role("button", name="Send for scoring").is_enabled()
    page.get_by_role("link", name="Recital").click()  # nothing left to send: no question on leaving
    page.wait_for_url("**/library")
    grace.errors.clear()  # the refused upload's 404 in the console


def test_the_status_says_the_step_under_way_in_a_learners_words(grace: Learner) -> None:
    """It said "Scoring: analysed…", the worker's name for the step it had finished."""
    page = grace.page
    grace.add_piece("Stages", PIECE)
    attempt = str(uuid.uuid4())
    accepted = {"id": attempt, "status": "queued", "status_url": f"/api/v1/attempts/{attempt}"}
    working = {"id": attempt, "status": "processing", "stage": "analysed"}
    page.route("**/attempts", lambda route: route.fulfill(status=202, json=accepted))
    page.route(f"**/api/v1/attempts/{attempt}", lambda route: route.fulfill(status=200, json=working))
    try:
        _record(page)
        page.get_by_role("button", name="Send for scoring").click()
        status = page.get_by_role("status")
        page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Scoring')")
        assert status.inner_text() == "Scoring: working out the words you said…"
    finally:
        page.unroute_all()
    assert not grace.errors


def test_a_moments_outage_while_scoring_does_not_end_the_watch(grace: Learner) -> None:
    """One 503 while polling (the database restarting) left the page saying it could not
    follow the attempt; the next polls would have seen it scored."""
    page = grace.page
    grace.add_piece("Outage", PIECE)
    attempt = str(uuid.uuid4())
    accepted = {"id": attempt, "status": "queued", "status_url": f"/api/v1/attempts/{attempt}"}
    reason = "We heard less than a second of speech — please record the whole piece."
    answers = [
        (503, {"error": {"code": "database_unavailable", "message": "The service is busy."}}),
        (502, None),
        (200, {"id": attempt, "status": "failed", "error": {"code": "too_short", "message": reason}}),
    ]

    def poll(route: Any) -> None:
        status, body = answers.pop(0) if len(answers) > 1 else answers[0]
        if body is None:
            route.fulfill(status=status, content_type="text/html", body="<h1>502 Bad Gateway</h1>")
        else:
            route.fulfill(status=status, json=body)

    page.route("**/attempts", lambda route: route.fulfill(status=202, json=accepted))
    page.route(f"**/api/v1/attempts/{attempt}", poll)
    try:
        _record(page)
        page.get_by_role("button", name="Send for scoring").click()
        page.get_by_text(reason).wait_for(timeout=20_000)
        assert "could not follow" not in page.locator("#problem").inner_text()
    finally:
        page.unroute_all()
    grace.errors.clear()  # the routed 503 and 502


def test_a_recording_is_never_filed_under_a_learner_who_signed_in_in_another_tab(
    browser: Any, server: str
) -> None:
    """Learner two recorded; the piece's owner signed in in another tab of that browser
    (a shared computer); Send took the new session's token and filed learner two's
    voice under the owner's account, on the owner's progress page."""
    owner, two = new_handle("owner"), new_handle("two")
    learner = Learner(browser, server, DESKTOP)
    try:
        page = learner.page
        learner.sign_up(owner)
        page.goto("/library")
        page.get_by_label("Title").fill("Shared")
        page.get_by_label("Text to memorise").fill(PIECE)
        page.get_by_label("Who can see it").select_option("public")
        page.get_by_role("button", name="Add piece").click()
        page.wait_for_url("**/practice")
        practice_url = page.url
        page.get_by_role("button", name="Sign out").click()
        learner.sign_up(two)
        page.goto(practice_url)
        _record(page)
        other = page.context.new_page()
        other.goto("/library")
        other.get_by_role("button", name="Sign out").click()
        other.wait_for_url("**/sign-in")
        other.get_by_label("Your name on Recital").fill(owner)
        other.get_by_label("Password").fill(PASSWORD)
        other.get_by_role("button", name="Sign in").click()
        other.wait_for_url("**/library")
        page.get_by_role("button", name="Send for scoring").click()
        page.wait_for_function("() => document.getElementById('problem').textContent !== ''")
        assert "another learner" in page.locator("#problem").inner_text().lower()
        assert "/practice" in page.url and page.get_by_role("button", name="Send for scoring").is_enabled()
        attempts = other.request.get("/api/v1/attempts").json()
        assert attempts["items"] == [], attempts  # nothing filed under the owner
        other.close()
    finally:
        learner.close()


SLOW_MICROPHONE = """
  window.streams = [];
  const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = async (constraints) => {
    await new Promise((resolve) => setTimeout(resolve, 300));  // a phone asking, a permission prompt
    const stream = await open(constraints);
    window.streams.push(stream);
    return stream;
  };
"""


def test_a_double_tap_on_record_leaves_no_microphone_open_after_stop(browser: Any, server: str) -> None:
    """The microphone opens asynchronously: a second tap meanwhile opened it twice, and Stop
    closed one; the other kept recording, the browser's microphone light on, until the
    learner left the page."""
    learner = Learner(browser, server, DESKTOP)
    try:
        learner.context.add_init_script(SLOW_MICROPHONE)
        learner.sign_up(new_handle("tapper"))
        learner.add_piece("Taps", PIECE)
        page = learner.page
        page.get_by_role("button", name="Start recording").dblclick()
        page.wait_for_timeout(1500)
        page.get_by_role("button", name="Stop").click()
        page.locator("#listen").wait_for(state="visible")
        tracks = page.evaluate("window.streams.flatMap((s) => s.getTracks().map((t) => t.readyState))")
        assert tracks == ["ended"], tracks
        assert not learner.errors
    finally:
        learner.close()


def test_listening_back_knows_the_recordings_length(grace: Learner) -> None:
    """Chromium's WebM recordings carry no duration: the listen-back player said 0:00 with
    no length and could not be moved along a long recitation."""
    page = grace.page
    grace.add_piece("Listening", PIECE)
    _record(page)
    page.wait_for_function("() => Number.isFinite(document.getElementById('listen').duration)", timeout=5000)
    assert page.evaluate("document.getElementById('listen').duration") > 0.5
    assert page.evaluate("document.getElementById('listen').currentTime") == 0
    page.evaluate("document.getElementById('listen').currentTime = 0.5")  # seekable
    assert not grace.errors


def test_practising_again_keeps_the_text_hidden(grace: Learner) -> None:
    """Recited with the text hidden, "Practise again" opened the next try with it in full."""
    page = grace.page
    grace.add_piece("Hidden again", PIECE)
    page.get_by_label("Hidden").check()
    assert page.url.endswith("/practice?mode=hidden")  # a reload keeps it too
    _record(page)
    page.get_by_role("button", name="Send for scoring").click()
    page.wait_for_url("**/attempts/*?mode=hidden", timeout=120_000)
    page.get_by_role("link", name="Practise again").click()
    page.wait_for_url("**/practice?mode=hidden")
    assert page.get_by_label("Hidden").is_checked()
    assert not page.locator(".practice-text .pw").first.is_visible()
    assert page.get_by_text("The text is hidden.").is_visible()
    assert not grace.errors


def test_sending_again_after_a_lost_answer_files_one_attempt(grace: Learner) -> None:
    """The upload reached the server but its answer was lost (a dropped connection); the
    learner pressed Send again, as the page asks, with a new Idempotency-Key: two attempts
    of one recording. The key is now the recording's, as docs/pages.md said it was."""
    page = grace.page
    piece = grace.add_piece("Lost answer", PIECE)
    lost: list[str] = []

    def answer_lost(route: Any) -> None:
        if lost:
            route.continue_()
            return
        lost.append(route.fetch().status)  # the server has it; the page never hears
        route.abort("connectionreset")

    page.route("**/attempts", answer_lost)
    try:
        _record(page)
        page.get_by_role("button", name="Send for scoring").click()
        page.get_by_text("The upload failed").wait_for(timeout=10_000)
        page.get_by_role("button", name="Send for scoring").click()
        page.wait_for_url("**/attempts/*", timeout=120_000)
    finally:
        page.unroute_all()
    assert lost == [202]
    filed = page.request.get(f"/api/v1/attempts?piece_id={piece}").json()
    assert filed["total"] == 1, filed
    grace.errors.clear()  # the aborted request


def test_an_upload_over_the_rate_limit_says_how_long_to_wait(grace: Learner) -> None:
    """It said the API's "Too many requests (20 per 1 minute); slow down." to a learner."""
    page = grace.page
    grace.add_piece("Limited", PIECE)
    said_by_api = "Too many requests (20 per 1 minute); slow down."
    refused = {"error": {"code": "rate_limited", "message": said_by_api}}
    wait = {"Retry-After": "42"}
    page.route("**/attempts", lambda route: route.fulfill(status=429, json=refused, headers=wait))
    try:
        _record(page)
        page.get_by_role("button", name="Send for scoring").click()
        page.wait_for_function("() => document.getElementById('problem').textContent !== ''")
        said = page.locator("#problem").inner_text()
        assert "42 seconds" in said and "Too many requests" not in said, said
        assert page.get_by_role("button", name="Send for scoring").is_enabled()  # once the wait is over
    finally:
        page.unroute_all()
    grace.errors.clear()  # the routed 429


def test_the_wait_over_the_rate_limit_is_said_in_words_that_fit(grace: Learner) -> None:
    """ "Wait 1 seconds", and over the day's limit "Wait 1440 minutes"."""
    page = grace.page
    grace.add_piece("Limited again", PIECE)
    refused = {"error": {"code": "rate_limited", "message": "Too many requests."}}
    waits = ["1", "86400", "300"]
    page.route("**/attempts", lambda route: route.fulfill(status=429, json=refused,
                                                          headers={"Retry-After": waits.pop(0)}))  # fmt: skip
    said = []
    try:
        _record(page)
        for _ in range(3):
            page.evaluate("document.getElementById('problem').textContent = ''")
            page.get_by_role("button", name="Send for scoring").click()
            page.wait_for_function("() => document.getElementById('problem').textContent !== ''")
            said.append(page.locator("#problem").inner_text().split("Wait ")[1].split(",")[0])
    finally:
        page.unroute_all()
    assert said == ["1 second", "24 hours", "5 minutes"]
    grace.errors.clear()  # the routed 429s


def _on_screen(page: Any, name: str) -> bool:
    box = page.get_by_role("button", name=name).bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_stop_is_at_hand_at_the_end_of_a_long_piece(grace: Learner) -> None:
    """The recorder sat below the text: for a long piece, Start and Stop were tens of
    thousands of pixels down (QA). It is above the text now, and stays at the top of
    the screen while recording, so Stop is there when the last line is."""
    page = grace.page
    grace.add_piece("Long", "\n\n".join([PIECE] * 60))
    assert _on_screen(page, "Start recording")  # no scrolling to begin
    page.get_by_role("button", name="Start recording").click()
    page.wait_for_function("() => document.querySelector('.recorder').classList.contains('live')")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") > 5 * page.viewport_size["height"]  # a long way down
    assert _on_screen(page, "Stop")
    assert not page.get_by_role("button", name="Send for scoring").is_visible()  # only what works now
    page.get_by_role("button", name="Stop").click()
    page.locator("#listen").wait_for(state="visible")
    assert page.get_by_role("button", name="Send for scoring").is_enabled()

    def leave(dialog: Any) -> None:  # the recording is not wanted: leave without it
        dialog.accept()

    page.on("dialog", leave)
    try:
        page.goto("/library")
    finally:
        page.remove_listener("dialog", leave)
    assert not grace.errors


def test_a_failed_send_leaves_the_keyboard_on_send(grace: Learner) -> None:
    """Send is switched off while the upload runs: when it failed, the focus was left on
    the page itself, and a keyboard learner's Tab went on past Send to the player. The
    focus comes back to the first button that can act: Send again."""
    page = grace.page
    grace.add_piece("Focus", PIECE)
    page.locator("#record").focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(1200)
    page.keyboard.press("Enter")  # Stop, which had the focus
    page.locator("#listen").wait_for(state="visible")
    page.route("**/attempts", lambda route: route.abort())
    try:
        page.keyboard.press("Enter")  # Send, which has the focus: the upload fails
        page.locator("#problem").filter(has_text="The upload failed").wait_for()
        assert page.evaluate("document.activeElement.id") == "send"
    finally:
        page.unroute("**/attempts")
    with page.expect_response("**/attempts") as sent:
        page.keyboard.press("Enter")  # sent again from the keyboard
    assert sent.value.status == 202
    grace.errors.clear()  # the aborted upload's console line
