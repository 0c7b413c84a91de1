"""A learner in headless Chromium: sign in, add a piece, record from the fake
microphone, send, watch the status, read the marked result, play a word, see
their progress; another learner cannot open it; no console errors; axe-core
finds no serious or critical violation; screenshots at desktop and phone width."""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, PHONE, PIECE
from tests.browser.learner import Learner, write_axe
from tests.support.auth import PASSWORD, new_handle

pytestmark = [pytest.mark.integration, pytest.mark.timeout(240)]


@pytest.fixture(scope="module")
def ada(browser: Any, server: str) -> Any:
    learner = Learner(browser, server, DESKTOP)
    learner.sign_up("ada")
    yield learner
    learner.close()


@pytest.fixture(scope="module")
def recorded(ada: Learner, recitation: tuple[Path, float], artefacts: Path) -> dict[str, str]:
    """Ada records the piece once; later tests read the result."""
    axe: dict[str, Any] = {}
    piece_id = ada.add_piece("Psalm 23", PIECE)
    page = ada.page
    assert not ada.axe(axe, "practice")
    page.get_by_label("First letters").check()
    assert not page.locator(".practice-text .r").first.is_visible()
    page.get_by_label("In full").check()
    assert not page.locator("#upload-row").is_visible()  # the upload bar shows only while sending
    page.get_by_role("button", name="Start recording").click()
    page.wait_for_function("() => document.getElementById('level').value > 0.01", timeout=10_000)
    page.wait_for_timeout(int(1000 * (recitation[1] + 0.8)))
    assert page.locator("#timer").inner_text() != "0:00"
    ada.shot(artefacts, "practice-recording-desktop")
    page.get_by_role("button", name="Stop").click()
    page.locator("#listen").wait_for(state="visible")  # listen back before sending
    page.get_by_role("button", name="Send for scoring").click()
    page.wait_for_url("**/attempts/*", timeout=120_000)
    attempt_id = page.url.rsplit("/", 1)[1]
    write_axe(artefacts, axe)
    return {"piece": piece_id, "attempt": attempt_id}


def test_the_result_marks_the_skipped_words_and_a_word_plays(ada: Learner, recorded: dict[str, str]) -> None:
    page = ada.page
    page.goto(f"/attempts/{recorded['attempt']}")
    missed = page.locator("#words .s-omitted").all_inner_texts()
    assert [m.split(",")[0].strip() for m in missed] == ["I", "shall", "not", "want"]
    assert page.locator("#words .s-correct").count() >= 12
    word = page.locator('#words .w[data-start]:has-text("green")').first
    start = float(word.get_attribute("data-start") or 0)
    word.click()
    page.wait_for_function("() => !document.getElementById('player').paused", timeout=5000)
    page.wait_for_function("() => document.querySelector('#words .w.now') !== null", timeout=5000)
    assert abs(page.evaluate("document.getElementById('player').currentTime") - start) < 1.5
    page.wait_for_selector("#wave[data-drawn]", timeout=10_000)
    assert "Coach:" in page.locator("#coaching").inner_text()
    assert not ada.errors


def test_a_missed_word_plays_from_where_it_was_due(ada: Learner, recorded: dict[str, str]) -> None:
    """A struck-through word was never heard, so it has no time of its own: selecting it
    plays from the end of the word said before it (it did nothing, under "Select a word
    to hear it")."""
    page = ada.page
    page.goto(f"/attempts/{recorded['attempt']}")
    before = page.locator('#words .w[data-end]:has-text("shepherd")').first
    due = float(before.get_attribute("data-end") or 0)
    page.locator("#words .s-omitted").first.click()  # "I", skipped
    page.wait_for_function("() => !document.getElementById('player').paused", timeout=5000)
    assert due - 0.1 <= page.evaluate("document.getElementById('player').currentTime") < due + 1.5
    assert not ada.errors


def test_a_click_on_the_waveform_plays_from_there(ada: Learner, recorded: dict[str, str]) -> None:
    """A browser recording (WebM) has no duration in its header (Infinity in the player):
    the scored duration stands in for it."""
    page = ada.page
    page.goto(f"/attempts/{recorded['attempt']}")
    page.wait_for_selector("#wave[data-drawn]", timeout=10_000)
    box = page.locator("#wave").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] / 2)
    page.wait_for_function("() => !document.getElementById('player').paused", timeout=5000)
    duration = float(page.locator("#wave").get_attribute("data-duration") or 0)
    assert duration > 0 and page.evaluate("document.getElementById('player').currentTime") > 0.3 * duration
    assert not ada.errors


def test_an_uploaded_wav_plays_from_the_word_clicked(ada: Learner, recorded: dict[str, str],
                                                     recitation: tuple[Path, float]) -> None:  # fmt: skip
    """Seeking needs Range answers from the playback link (a WAV is not seeked without them)."""
    page = ada.page
    page.goto(f"/pieces/{recorded['piece']}/practice")
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
    wav = recitation[0].read_bytes()
    upload = {"recording": {"name": "reading.wav", "mimeType": "audio/wav", "buffer": wav}}
    sent = page.request.post(f"/api/v1/pieces/{recorded['piece']}/attempts", multipart=upload,
                             headers={"X-CSRF-Token": csrf})  # fmt: skip
    assert sent.status == 202, sent.text()
    page.goto(f"/attempts/{sent.json()['id']}")
    page.wait_for_selector("#words .w[data-start]", timeout=120_000)
    word = page.locator("#words .w[data-start]").last
    start = float(word.get_attribute("data-start") or 0)
    word.click()
    page.wait_for_function("() => !document.getElementById('player').paused", timeout=5000)
    assert abs(page.evaluate("document.getElementById('player').currentTime") - start) < 1.0
    assert not ada.errors
    # Deleted from another tab: the player's next request says so, rather than "reload".
    deleted = page.request.delete(f"/api/v1/attempts/{sent.json()['id']}", headers={"X-CSRF-Token": csrf})
    assert deleted.status == 204, deleted.text()
    # Its next request refused (a link the server no longer honours: the whole WAV is
    # cached by the player, so it is pointed at one), it asks for a new link: 404.
    page.evaluate("document.getElementById('player').src = '/api/v1/recordings/refused.link.sig'")
    page.get_by_text("This attempt and its recording have been deleted.").wait_for(timeout=10_000)
    assert all(e.startswith("40") or "status of 40" in e for e in ada.errors), ada.errors  # the refusals
    ada.errors.clear()


def test_a_word_still_plays_after_the_pages_recording_link_expired(
    ada: Learner, recorded: dict[str, str]
) -> None:
    """The page's link lasts five minutes; a learner who read for longer found every word
    dead (403 on the player's next request). Here that link is refused as the server
    refuses an expired one, and the page asks for a new link and plays on."""
    page = ada.page
    page.goto(f"/attempts/{recorded['attempt']}")
    page.wait_for_selector("#wave[data-drawn]", timeout=10_000)
    first = page.evaluate("document.getElementById('player').src")
    page.wait_for_timeout(1100)  # links are signed to the second: a new one must differ from it
    renewed: list[str] = []

    def expired(route: Any) -> None:
        if route.request.url == first:
            body = '{"error": {"code": "recording_link_expired", "message": "This link has expired."}}'
            route.fulfill(status=403, content_type="application/json", body=body)
        else:
            route.continue_()

    page.route("**/api/v1/recordings/**", expired)
    page.on("request", lambda r: r.url.endswith("/recording") and renewed.append(r.url))
    try:
        page.evaluate("document.getElementById('player').load()")  # its next request, after the expiry
        page.wait_for_function(f"() => document.getElementById('player').src !== {first!r}", timeout=10_000)
        word = page.locator('#words .w[data-start]:has-text("green")').first
        start = float(word.get_attribute("data-start") or 0)
        word.click()
        page.wait_for_function("() => !document.getElementById('player').paused", timeout=5000)
        assert abs(page.evaluate("document.getElementById('player').currentTime") - start) < 1.5
        assert renewed == [f"{ada.base}/api/v1/attempts/{recorded['attempt']}/recording"]
        assert page.locator("#player-problem").is_hidden()
        # The refused link itself is the browser's to report; nothing else went wrong.
        assert [e for e in ada.errors if first not in e and "status of 403" not in e] == []
    finally:
        page.unroute("**/api/v1/recordings/**")
        ada.errors.clear()


def test_a_new_link_refused_after_another_learner_signed_in_says_so(
    ada: Learner, recorded: dict[str, str]
) -> None:
    """Someone else signed in in another tab since the result page opened: its new
    recording link is refused (the attempt is not theirs), which the page read as
    "This attempt and its recording have been deleted" (QA). It says who is signed in."""
    page = ada.page
    page.goto(f"/attempts/{recorded['attempt']}")
    page.wait_for_selector("#wave[data-drawn]", timeout=10_000)
    other = page.context.new_page()
    try:
        other.goto("/library")
        other.get_by_role("button", name="Sign out").click()
        other.wait_for_url("**/sign-in")
        other.get_by_role("link", name="Create an account").click()
        other.get_by_label("Your name on Recital").fill(new_handle("lin"))
        other.get_by_label("Password").fill(PASSWORD)
        other.get_by_role("button", name="Sign up").click()
        other.wait_for_url("**/library")
        page.evaluate("document.getElementById('player').src = '/api/v1/recordings/refused.link.sig'")
        problem = page.locator("#player-problem")
        problem.get_by_text("Another learner has signed in").wait_for(timeout=10_000)
        assert "deleted" not in problem.inner_text()
    finally:
        other.goto("/library")
        other.get_by_role("button", name="Sign out").click()
        other.wait_for_url("**/sign-in")
        other.close()
        ada.sign_in("ada")  # the module's later tests are Ada's
        ada.errors.clear()  # the refused link and the 404 for a new one


def test_a_recording_that_fails_scoring_shows_the_reason_and_no_upload_bar(
    ada: Learner, recorded: dict[str, str]
) -> None:
    """The upload bar stayed full, labelled "Uploading", beside the reason it failed."""
    page = ada.page
    page.goto(f"/pieces/{recorded['piece']}/practice")
    reason = "The recording is too quiet to hear the words. Record closer to the microphone."
    failed = {"id": str(uuid.uuid4()), "status": "failed", "error": {"code": "too_quiet", "message": reason}}
    accepted = {"id": failed["id"], "status": "queued", "status_url": f"/api/v1/attempts/{failed['id']}"}
    page.route("**/attempts", lambda route: route.fulfill(status=202, json=accepted))
    page.route(f"**/api/v1/attempts/{failed['id']}", lambda route: route.fulfill(status=200, json=failed))
    try:
        page.get_by_role("button", name="Start recording").click()
        page.wait_for_timeout(1200)
        page.get_by_role("button", name="Stop").click()
        page.get_by_role("button", name="Send for scoring").click()
        page.get_by_text(reason).wait_for(timeout=10_000)
        assert not page.locator("#upload-row").is_visible()
        assert page.get_by_role("button", name="Record again").is_enabled() and not ada.errors
    finally:
        page.unroute_all()


def test_an_upload_refused_by_a_proxy_page_can_be_sent_again(ada: Learner, recorded: dict[str, str]) -> None:
    """A proxy's HTML error page (not our JSON) must not leave the page stuck on "Uploading…"."""
    page = ada.page
    page.goto(f"/pieces/{recorded['piece']}/practice")
    proxy_page = "<html><h1>413 Request Entity Too Large</h1></html>"
    page.route("**/attempts", lambda route: route.fulfill(status=413, content_type="text/html",
                                                          body=proxy_page))  # fmt: skip
    page.get_by_role("button", name="Start recording").click()
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="Stop").click()
    page.get_by_role("button", name="Send for scoring").click()
    page.wait_for_function("() => document.getElementById('problem').textContent.includes('HTTP 413')")
    assert page.get_by_role("button", name="Send for scoring").is_enabled()
    assert not page.locator("#upload-row").is_visible()
    assert "Uploading" not in page.locator("#status").inner_text()
    page.unroute("**/attempts")
    ada.errors.clear()  # the intercepted 413 itself


def test_a_recording_of_a_text_changed_in_another_tab_is_refused_with_a_way_on(ada: Learner) -> None:
    """The owner changed the text while the practice page showed the old one: scoring the
    recording against a text the learner never saw would mark words they were never shown."""
    page = ada.page
    ada.add_piece("Changing", "Hope is the thing with feathers.")
    practice_url = page.url
    page.get_by_role("button", name="Start recording").click()
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="Stop").click()
    editor = page.context.new_page()
    editor.goto(practice_url.replace("/practice", "/edit"))
    editor.get_by_label("Text to memorise").fill("Hope is the thing with feathers\nThat perches in the soul.")
    editor.get_by_role("button", name="Save changes").click()
    editor.wait_for_url("**/practice?saved=1")
    editor.close()
    page.get_by_role("button", name="Send for scoring").click()
    page.wait_for_function("() => document.getElementById('problem').textContent.includes('changed')")
    assert not page.get_by_role("button", name="Send for scoring").is_enabled()
    page.get_by_role("link", name="Open the piece with its new text").click()
    page.wait_for_url(practice_url)
    assert "perches" in page.locator("#text").inner_text()
    assert page.get_by_role("button", name="Start recording").is_enabled()
    ada.errors.clear()  # the refused upload's 409 in the console


def test_the_result_is_keyboard_operable(ada: Learner, recorded: dict[str, str]) -> None:
    page = ada.page
    page.goto(f"/attempts/{recorded['attempt']}")
    page.locator("#words .w").first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.startswith("is")
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.getElementById('player').paused", timeout=5000)


def test_the_keyboard_moves_through_a_results_lines(
    ada: Learner, recorded: dict[str, str], recitation: tuple[Path, float]
) -> None:
    """Up and down move a line, Home and End to the first and last word: only a word at
    a time, the end of a long speech was a thousand key presses away."""
    page = ada.page
    piece = ada.add_piece(
        "Psalm 23 in lines", PIECE.replace(" He maketh", "\nHe maketh").replace(" I shall", "\nI shall")
    )
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content") or ""
    upload = {
        "recording": {"name": "reading.wav", "mimeType": "audio/wav", "buffer": recitation[0].read_bytes()}
    }
    sent = page.request.post(
        f"/api/v1/pieces/{piece}/attempts", multipart=upload, headers={"X-CSRF-Token": csrf}
    )
    assert sent.status == 202, sent.text()
    page.goto(f"/attempts/{sent.json()['id']}")
    page.wait_for_selector("#words .w[data-start]", timeout=120_000)
    assert page.locator("#words p").count() == 3  # the piece's three lines

    def word_after(key: str) -> str:
        page.keyboard.press(key)
        return str(page.evaluate("document.activeElement.textContent")).split(",")[0]

    page.locator("#words .w").first.focus()
    assert [word_after(k) for k in ("ArrowDown", "ArrowRight", "ArrowDown", "ArrowUp", "ArrowUp")] == [
        "I", "shall", "He", "I", "The",
    ]  # fmt: skip
    assert [word_after(k) for k in ("End", "ArrowDown", "Home", "ArrowUp")] == [
        "pastures",
        "pastures",
        "The",
        "The",
    ]
    assert page.locator('#words .w[tabindex="0"]').count() == 1  # still one tab stop
    assert not ada.errors


def test_history_charts_the_attempt(ada: Learner, recorded: dict[str, str], artefacts: Path) -> None:
    page = ada.page
    page.goto(f"/pieces/{recorded['piece']}/history")
    page.wait_for_selector("#chart[data-drawn] canvas", timeout=10_000)
    ada.shot(artefacts, "history-after-recording-desktop")
    legend = page.locator("#chart .u-legend").inner_text()
    assert "Accuracy %" in legend and "Overall" in legend and "--" not in legend  # no empty values (QA)
    assert "I shall not want" in page.locator("#next-up").inner_text()
    # Each section to practise opens the practice page at it, from the keyboard too (QA: plain text).
    page.locator("#next-up a", has_text="I shall not want").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/practice?section=*#section")
    section = page.locator("mark#section")
    assert "I shall not want" in section.inner_text() and section.is_visible()
    assert page.evaluate("document.activeElement.id") == "section"  # the keyboard goes on from there
    ada.shot(artefacts, "practice-section-opened-desktop")
    assert not ada.errors


def test_the_account_page_downloads_the_learners_data(ada: Learner, recorded: dict[str, str]) -> None:
    page = ada.page
    page.goto("/account")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data").click()
    assert download.value.suggested_filename.startswith("recital-ada-")
    data = json.loads(Path(download.value.path()).read_text())
    assert data["account"]["handle"] == "ada" and PIECE in [p["text"] for p in data["pieces"]]
    [attempt] = [a for a in data["attempts"] if a["id"] == recorded["attempt"]]
    assert attempt["status"] == "done" and attempt["piece_title"] == "Psalm 23"
    assert attempt["result"]["words"] and attempt["coaching_note"]
    assert not ada.errors


def test_history_shows_times_in_the_learners_own_time_zone(
    browser: Any, server: str, recorded: dict[str, str]
) -> None:
    learner = Learner(browser, server, DESKTOP, timezone_id="Asia/Kolkata", locale="en-GB")
    try:
        learner.sign_in("ada")
        learner.page.goto(f"/pieces/{recorded['piece']}/history")
        shown = learner.page.locator("table.attempts time[data-shown=local]").first
        stamp, text, title = shown.get_attribute("datetime"), shown.inner_text(), shown.get_attribute("title")
        assert stamp and title
        utc = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
        local = utc.astimezone(timezone(timedelta(hours=5, minutes=30)))  # Kolkata: no summer time
        assert local.strftime("%H:%M") in text and f"{local.day} {local:%b} {local.year}" in text, text
        assert title == f"{utc:%d %b %Y %H:%M} UTC"  # the time the page was written with, on hover
        assert not learner.errors
    finally:
        learner.close()


def test_a_form_tapped_twice_is_sent_once(ada: Learner) -> None:
    page = ada.page
    page.goto("/library")
    title = f"Twice {uuid.uuid4().hex[:6]}"
    page.get_by_label("Title").fill(title)
    page.get_by_label("Text to memorise").fill("Once more unto the breach, dear friends, once more.")

    def slow_network(route: Any) -> None:  # the first request is still on its way at the second tap
        if route.request.method == "POST":
            time.sleep(0.6)
        route.continue_()

    sent: list[str] = []

    def note(request: Any) -> None:
        if request.method == "POST":
            sent.append(request.url)

    page.on("request", note)
    page.route("**/library", slow_network)
    try:
        page.evaluate("""() => {  // two taps 150 ms apart, inside the page (the route holds the first)
            const add = [...document.querySelectorAll("button")].find((b) => b.textContent === "Add piece");
            add.click();
            setTimeout(() => add.click(), 150);
        }""")
        page.wait_for_timeout(400)
        assert len(sent) == 1, sent  # the second tap sent nothing
        page.wait_for_url("**/practice")
    finally:
        page.unroute("**/library")
        page.remove_listener("request", note)
    page.goto("/library")
    assert page.get_by_role("link", name=title, exact=True).count() == 1
    assert not ada.errors


@pytest.mark.parametrize(("width", "viewport"), [("desktop", DESKTOP), ("phone", PHONE)])
def test_every_page_passes_axe_and_fits_the_width(
    browser: Any, server: str, recorded: dict[str, str], artefacts: Path, width: str, viewport: dict[str, int]
) -> None:
    learner = Learner(browser, server, viewport)
    axe: dict[str, Any] = {}
    pages = {
        "sign-in": "/sign-in",
        "sign-up": "/sign-up",
        "library": "/library",
        "account": "/account",
        "practice": f"/pieces/{recorded['piece']}/practice",
        "practice-section": f"/pieces/{recorded['piece']}/practice?section=0#section",
        "edit": f"/pieces/{recorded['piece']}/edit",
        "result": f"/attempts/{recorded['attempt']}",
        "history": f"/pieces/{recorded['piece']}/history",
    }
    try:
        for name, path in pages.items():
            if name == "library":
                learner.sign_in("ada")
            learner.page.goto(path)
            if name == "history":
                learner.page.wait_for_selector("#chart[data-drawn]")
            if name == "account":  # with a token listed and a new one's secret shown
                learner.page.fill("#token-name", f"a script on my {width}, with a long name")
                learner.page.get_by_role("button", name="Make a token").click()
                learner.page.wait_for_selector("#new-token")
            blocking = learner.axe(axe, f"{name}-{width}")
            assert not blocking, (name, [(v["id"], v["impact"]) for v in blocking])
            scroll = learner.page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= viewport["width"], (name, scroll)  # no sideways scrolling
            learner.shot(artefacts, f"{name}-{width}")
        unbroken = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3
        learner.add_piece(f"{unbroken} title", f"A text with {unbroken} in it.")
        for page in ("/library", learner.page.url):  # long words wrap too
            learner.page.goto(page)
            assert learner.page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], page
        assert not learner.errors
    finally:
        write_axe(artefacts, axe)
        learner.close()


def test_a_piece_typed_before_the_session_ended_is_kept_through_signing_in(browser: Any, server: str) -> None:
    """Signed out in another tab, a learner sends the piece they typed: sign in, and it
    is back in the form (it was lost). Another learner signing in there never sees it."""
    zoe = Learner(browser, server, DESKTOP)
    try:
        zoe.sign_up("zoe")
        page = zoe.page

        def type_piece(title: str) -> None:
            page.goto("/library")
            page.get_by_label("Title").fill(title)
            page.get_by_label("Text to memorise").fill("Words typed before the session ended.")

        def in_another_tab(then: Any) -> None:
            tab = zoe.context.new_page()
            tab.goto("/library")
            tab.get_by_role("button", name="Sign out").click()
            tab.wait_for_url("**/sign-in")
            then(tab)
            tab.close()

        type_piece("Kept draft")
        in_another_tab(lambda tab: None)
        page.get_by_role("button", name="Add piece").click()
        page.wait_for_url("**/sign-in?**")
        page.get_by_label("Your name on Recital").fill("zoe")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/library")
        assert page.get_by_label("Title").input_value() == "Kept draft"
        assert page.get_by_label("Text to memorise").input_value() == "Words typed before the session ended."
        assert "back in the form" in page.get_by_role("status").inner_text()
        page.get_by_role("button", name="Add piece").click()
        page.wait_for_url("**/practice")
        page.goto("/library")
        assert page.get_by_label("Title").input_value() == ""  # sent: not offered again
        type_piece("Not for another learner")

        def someone_else(tab: Any) -> None:
            tab.get_by_role("link", name="Create an account").click()
            tab.get_by_label("Your name on Recital").fill("yann")
            tab.get_by_label("Password").fill(PASSWORD)
            tab.get_by_role("button", name="Sign up").click()
            tab.wait_for_url("**/library")

        in_another_tab(someone_else)
        page.get_by_role("button", name="Add piece").click()
        page.locator("[data-error]").wait_for()  # the page was opened in another session
        page.goto("/library")
        assert page.get_by_label("Title").input_value() == ""
        assert page.evaluate("sessionStorage.getItem('recital-draft')") is None  # dropped, not kept for later
    finally:
        zoe.close()


def test_another_learner_cannot_open_the_result(browser: Any, server: str, recorded: dict[str, str]) -> None:
    bob = Learner(browser, server, DESKTOP)
    try:
        bob.sign_up("bob")
        response = bob.page.goto(f"/attempts/{recorded['attempt']}")
        assert response is not None and response.status == 404
        assert "Not found" in bob.page.locator("h1").inner_text()
        assert bob.page.request.get(f"/api/v1/attempts/{recorded['attempt']}/recording").status == 404
    finally:
        bob.close()


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        # A microphone, but no fake UI: the permission prompt is dismissed, as when a learner says no.
        (["--use-fake-device-for-media-stream"], "Allow it in the browser's site settings"),
        ([], "No microphone was found."),  # a machine with no microphone at all
    ],
    ids=["denied", "missing"],
)
def test_a_denied_or_missing_microphone_says_what_to_do(
    playwright: Any, server: str, flags: list[str], message: str
) -> None:
    from tests.browser.conftest import CHROMIUM, FLAGS

    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS + flags)
    learner = Learner(browser, server, PHONE)
    try:
        learner.sign_up(f"cleo-{'-'.join(flags) or 'none'}")
        learner.add_piece("Short", "To be or not to be.")
        learner.page.get_by_role("button", name="Start recording").click()
        alert = learner.page.get_by_role("alert")
        alert.wait_for()
        assert message in alert.inner_text()
        assert learner.page.get_by_role("button", name="Start recording").is_enabled()
    finally:
        learner.close()
        browser.close()
