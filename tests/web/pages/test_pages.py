"""The learner pages on the embedded database, through Flask's test client: what each
page shows, who may see it, and that pages and API read the same services."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask

from shared.domain.clock import utcnow
from tests.support.auth import PASSWORD
from tests.support.pages import TEXT, add_piece, csrf, done_attempt, signed_in, stored_attempt


def test_pages_send_a_visitor_to_sign_in_and_back(app: Flask) -> None:
    client = app.test_client()
    response = client.get("/library")
    assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in?next=/library")
    signed_in(app, "ada").post("/sign-out", data={"csrf_token": "x"})  # a wrong token signs no one out
    back = client.post("/sign-in", data={"handle": "ada", "password": PASSWORD, "next": "/library?q=x"})
    assert back.status_code == 302 and back.headers["Location"] == "/library?q=x"
    assert client.get("/library").status_code == 200
    assert client.post("/sign-out", data={"csrf_token": csrf(client)}).headers["Location"] == "/sign-in"
    assert client.get("/library").status_code == 302


def test_a_wrong_password_is_refused_on_the_page(app: Flask) -> None:
    signed_in(app, "ada")
    response = app.test_client().post("/sign-in", data={"handle": "ada", "password": "not it at all"})
    assert response.status_code == 401 and 'role="alert"' in response.text
    assert 'value="ada"' in response.text  # the handle stays typed in


def test_a_handle_typed_with_spaces_around_it_signs_in(app: Flask) -> None:
    signed_in(app, "ada")
    response = app.test_client().post("/sign-in", data={"handle": " ada ", "password": PASSWORD})
    assert response.status_code == 302


def test_sign_in_never_redirects_off_site(app: Flask) -> None:
    signed_in(app, "ada")
    off_site = ("//evil.example/", "https://evil.example/", "/\\evil.example")
    browsers_drop_tabs_and_newlines = ("/\t/evil.example", "/\n/evil.example", "/\n", "/\r\nSet-Cookie: x=1")
    for target in (*off_site, *browsers_drop_tabs_and_newlines):
        form = {"handle": "ada", "password": PASSWORD, "next": target}
        assert app.test_client().post("/sign-in", data=form).headers["Location"] == "/library"


@pytest.mark.parametrize("path", ["/sign-in", "/sign-up"])
def test_sign_in_and_up_posted_from_another_site_are_refused(app: Flask, path: str) -> None:
    signed_in(app, "ada")
    form = {"handle": "ada" if path == "/sign-in" else "mallory", "password": PASSWORD}
    other_sites = ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                   {"Origin": "http://evil.example"}, {"Origin": "null"},
                   {"Origin": "http://localhost.evil.example"},  # QA: the last two were a 500
                   {"Origin": "http://[::1"}, {"Origin": "http://[localhost]"})  # fmt: skip
    for headers in other_sites:
        client = app.test_client()
        response = client.post(path, data=form, headers=headers)
        assert response.status_code == 403 and "sent from another site" in response.text, headers
        assert client.get_cookie("recital_session") is None and client.get("/library").status_code == 302


@pytest.mark.parametrize("path", ["/sign-in", "/sign-up"])
def test_sign_in_and_up_from_this_site_or_no_browser_pass(app: Flask, path: str) -> None:
    signed_in(app, "ada")
    form = {"handle": "ada", "password": PASSWORD}
    ours = (
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
        {"Sec-Fetch-Site": "none"},
        {"Origin": "http://localhost"},
        {"Origin": "http://localhost:8000"},  # a proxy forwarded Host without the port
        {},
    )  # the last: a client that is not a browser
    page = app.test_client().get("/sign-in")  # so a browser's own post carries a real Origin
    assert page.headers["Referrer-Policy"] == "same-origin"
    for n, headers in enumerate(ours):
        if path == "/sign-up":
            form["handle"] = f"mallory{n}"
        response = app.test_client().post(path, data=form, headers=headers)
        assert response.status_code == 302, headers


def test_a_form_without_the_csrf_token_is_refused(app: Flask) -> None:
    client = signed_in(app, "ada")
    response = client.post("/library", data={"title": "T", "text": "Some words"})
    assert response.status_code == 403 and "Reload it and try again" in response.text


def test_a_form_posted_after_signing_out_elsewhere_goes_to_sign_in_and_back(app: Flask) -> None:
    client = signed_in(app, "ada")
    old_token = csrf(client)
    assert client.post("/sign-out", data={"csrf_token": old_token}).status_code == 302  # "another tab"
    form = {"title": "T", "text": "Some words", "csrf_token": old_token}
    posted = client.post("/library", data=form, headers={"Referer": "http://localhost/library?q=psalm"})
    assert posted.status_code == 302 and posted.headers["Location"] == "/sign-in?next=/library?q%3Dpsalm"
    off_site = client.post("/library", data=form, headers={"Referer": "https://evil.example/x"})
    assert off_site.headers["Location"] == "/sign-in?next=/library"
    malformed = client.post("/library", data=form, headers={"Referer": "http://[::1/library"})  # QA: a 500
    assert malformed.status_code == 302 and malformed.headers["Location"] == "/sign-in?next=/library"


def test_a_form_from_an_earlier_session_says_so_in_plain_words(app: Flask) -> None:
    client = signed_in(app, "ada")
    old_token = csrf(client)
    client.post("/sign-out", data={"csrf_token": old_token})
    client.post("/sign-in", data={"handle": "ada", "password": PASSWORD})  # a new session, a new token
    refused = client.post("/library", data={"title": "T", "text": "Some words", "csrf_token": old_token})
    assert refused.status_code == 403 and "Reload it and try again" in refused.text
    assert "X-CSRF-Token" not in refused.text


def test_a_pasted_piece_appears_in_the_library_and_search_finds_it(app: Flask) -> None:
    client = signed_in(app, "ada")
    add_piece(client)
    add_piece(client, "Sonnet 18", "Shall I compare thee to a summer's day?")
    assert "Psalm 23" in client.get("/library").text
    found = client.get("/library?q=summer").text
    assert "Sonnet 18" in found and "Psalm 23" not in found


def test_the_library_search_finds_a_curly_apostrophe_typed_straight(app: Flask) -> None:
    client = signed_in(app, "ada")
    add_piece(client, "Creed", "And they didn\u2019t look back.")  # pasted from the web
    found = client.get("/library?q=didn't look").text.split('class="pieces"')
    assert len(found) == 2 and "Creed" in found[1]  # on the embedded SQLite too


def test_the_library_search_folds_accents_and_hyphens(app: Flask) -> None:
    client = signed_in(app, "ada")
    add_piece(client, "Caf\u00e9 song", "A well-known tale.")
    for search in ("cafe", "well known", "wellknown"):
        found = client.get(f"/library?q={search}").text.split('class="pieces"')
        assert len(found) == 2 and "Caf\u00e9 song" in found[1], search


def test_the_library_counts_one_word_in_the_singular(app: Flask) -> None:
    client = signed_in(app, "ada")
    add_piece(client, "Amen", "Amen.")
    add_piece(client, "Two", "Amen, amen.")
    page = client.get("/library").text
    assert '<span class="meta">1 word · private, yours</span>' in page  # not "1 words"
    assert '<span class="meta">2 words · private, yours</span>' in page


def test_your_own_piece_comes_first_however_many_others_share(app: Flask) -> None:
    from shared.services.pieces import create_piece
    from shared.services.users import ensure_user

    with app.extensions["recital"].uow() as uow:
        bob = ensure_user(uow, "bob")
    for n in range(101):
        with app.extensions["recital"].uow() as uow:
            create_piece(uow, bob, f"Bob's public piece {n}", "Some words to say", "public")
    client = signed_in(app, "ada")
    add_piece(client, "My very own poem")
    first = client.get("/library").text
    assert first.index("My very own poem") < first.index("Bob&#39;s public piece 100")
    assert "Pieces 1–100 of 102" in first and "page=2" in first
    second = client.get("/library?page=2").text
    assert "Pieces 101–102 of 102" in second and "Bob&#39;s public piece 0<" in second
    assert "page=3" not in second and "page=1" in second
    assert "no more pieces" in client.get("/library?page=9").text


def test_a_piece_without_words_is_refused_with_the_reason(app: Flask) -> None:
    client = signed_in(app, "ada")
    response = client.post("/library", data={"title": "Empty", "text": "  ...", "csrf_token": csrf(client)})
    assert response.status_code == 422 and "A piece needs some words." in response.text


def test_practice_shows_each_word_split_at_its_first_letter(app: Flask) -> None:
    client = signed_in(app, "ada")
    page = client.get(f"/pieces/{add_piece(client)}/practice").text
    assert '<span class="f">s</span><span class="r">hepherd;</span>' in page
    assert 'name="mode" value="letters"' in page and 'name="mode" value="hidden"' in page
    assert "/api/v1/pieces/" in page  # the recorder uploads through the JSON API
    joined = client.get(f"/pieces/{add_piece(client, 'Dashed', 'Stop—it is time.')}/practice").text
    # Two words the scorer marks apart, each with its first letter (QA: "it" lost its cue).
    assert (
        '<span class="f">S</span><span class="r">top</span><span class="f">—i</span><span class="r">t</span>'
        in joined
    )


def test_first_letter_cues_match_the_words_the_scorer_counts() -> None:
    from shared.services.pieces import word_count
    from web.pages.text import practice_words

    for text in ("stop—it's", "rock–and–roll", "stop--go", "hello\u2015world", "twenty-one", "a — b"):
        parts = [part for line in practice_words(text) for w in line for part in w.parts]
        cues = [first for first, _ in parts if first.strip("—–―-")]
        assert len(cues) == word_count(text), text


def test_the_result_marks_every_word_with_a_label_beyond_colour(app: Flask) -> None:
    client = signed_in(app, "ada")
    piece_id = add_piece(client)
    spoken = "The Lord is my shepherd I shall not want He maketh me to lie down in great pastures"
    attempt_id = done_attempt(app, "ada", piece_id, spoken, p5=2.0)  # a pause before "I"
    page = client.get(f"/attempts/{attempt_id}").text
    assert 'class="w s-substituted"' in page and "said “great”" in page
    assert ", said something else</span>" in page and ", correct</span>" in page
    assert "‖ 2.0 s" in page
    note = client.get(f"/api/v1/attempts/{attempt_id}").json["coaching_note"]  # the session cookie
    assert "You said “great” for “green” after “in”" in note  # the API carries the note
    assert note in page  # and the page shows the same one
    assert "try moving closer to the microphone" in page  # the quality warning in words
    assert re.search(r'data-start="[0-9.]+" data-end="[0-9.]+"', page)


POEM = (
    "Tyger Tyger, burning bright,\nIn the forests of the night;\n\n"
    "What immortal hand or eye,\nCould frame thy fearful symmetry?"
)


def shown_lines(page: str) -> list[str]:
    """The result's words line by line ("" for a stanza break), as the page shows them."""
    words = page.split('id="words"')[1].split("</div>")[0]
    paragraphs = re.findall(r"<p(?: class=\"gap\")?>(.*?)</p>", words, re.S)
    return [" ".join(re.findall(r'<button type="button" class="w[^>]*>([^<]*)<', p)) for p in paragraphs]


def test_a_poems_result_keeps_its_lines_and_stanza_breaks(app: Flask) -> None:
    client = signed_in(app, "ada")
    piece_id = add_piece(client, "The Tyger", POEM)
    # "In" missed, and "dark" added before "What": on the line of "What", as the coach
    # ("You added “dark” before “What”") and the weakest sections place it.
    spoken = (
        "Tyger Tyger burning bright the forests of the night dark "
        "what immortal hand or eye could frame thy fearful symmetry"
    )
    page = client.get(f"/attempts/{done_attempt(app, 'ada', piece_id, spoken, text=POEM)}").text
    assert shown_lines(page) == [
        "Tyger Tyger burning bright",
        "In the forests of the night",
        "",
        "dark What immortal hand or eye",
        "Could frame thy fearful symmetry",
    ]
    assert "You added “dark” before “What”" in page
    assert page.count('tabindex="0"') == 1  # still one tab stop for all the words


def test_a_scripts_result_keeps_its_lines_without_the_speakers_names(app: Flask) -> None:
    """A speaker's name is known only from several lines: counted line by line alone,
    each line had one word more than was scored, and the lines ran together."""
    client = signed_in(app, "ada")
    script = (
        "ROMEO: But soft, what light\nJULIET: Ay me\n[Exit]\n"
        "1 The Lord is my shepherd.\n2 I shall not want.\n3 He leadeth me."
    )
    piece_id = add_piece(client, "Scene", script)
    spoken = "but soft what light ay me the lord is my shepherd i shall not want he leadeth me"
    page = client.get(f"/attempts/{done_attempt(app, 'ada', piece_id, spoken, text=script)}").text
    assert shown_lines(page) == [
        "But soft what light", "Ay me", "", "The Lord is my shepherd", "I shall not want", "He leadeth me",
    ]  # fmt: skip


def test_a_result_not_read_against_the_pieces_text_shows_its_words_in_one_line() -> None:
    from web.pages.text import MarkedWord, marked_lines

    words = [
        MarkedWord(w, "correct", "correct", None, None, None, False, None, i) for i, w in enumerate("abc")
    ]
    assert marked_lines(words, "a b\nc") == [words[:2], words[2:]]
    assert marked_lines(words, "a b c d\ne") == [words]  # another text: no lines made up
    assert marked_lines(words, None) == [words]  # the piece is no longer shared


def test_a_result_with_a_word_missed_never_shows_100_percent(app: Flask) -> None:
    client = signed_in(app, "ada")
    long = " ".join(["The quick brown fox jumps over the lazy dog."] * 25)  # 225 words
    piece_id = add_piece(client, "Foxes", long)
    spoken = long.replace(".", "").split()
    del spoken[100]  # one word missed: 99.6% accurate
    attempt_id = done_attempt(app, "ada", piece_id, " ".join(spoken), text=long)
    scores = client.get(f"/attempts/{attempt_id}").text.split('class="scores"')[1].split("</dl>")[0]
    assert "<dt>Accuracy</dt><dd>99%</dd>" in scores and "<dt>Completeness</dt><dd>99%</dd>" in scores
    assert "<dt>Overall</dt><dd>99</dd>" in scores and "<dt>Fluency</dt><dd>100%</dd>" in scores
    table = client.get(f"/pieces/{piece_id}/history").text.split("<tbody>")[1]
    assert "<td>99%</td><td>99</td>" in table


def test_scores_are_rounded_but_never_to_a_perfect_or_empty_one() -> None:
    from web.pages.progress_words import score

    assert [score(v) for v in (0, 0.2, 0.6, 50.4, 98.6, 99.5, 99.6, 100)] == [
        "0", "1", "1", "50", "99", "99", "99", "100",
    ]  # fmt: skip


def test_another_learner_gets_not_found_for_a_result(app: Flask) -> None:
    owner = signed_in(app, "ada")
    attempt_id = done_attempt(app, "ada", add_piece(owner), "The Lord is my shepherd")
    other = signed_in(app, "bob")
    assert other.get(f"/attempts/{attempt_id}").status_code == 404
    assert other.get(f"/api/v1/attempts/{attempt_id}/recording").status_code == 404
    assert owner.get(f"/attempts/{uuid.uuid4()}").status_code == 404


def test_history_charts_attempts_and_says_what_to_practise_next(app: Flask) -> None:
    client = signed_in(app, "ada")
    piece_id = add_piece(client)
    done_attempt(app, "ada", piece_id, "The Lord is my shepherd I shall not want He maketh me")
    done_attempt(app, "ada", piece_id, TEXT.replace(";", "").replace(":", "").replace(".", ""))
    page = client.get(f"/pieces/{piece_id}/history").text
    assert page.count('<td><a href="/attempts/') == 2
    # Numbered as the chart numbers them (oldest 1), though the newest is listed first.
    assert '<th scope="col"><abbr title="Attempt number">No.</abbr></th>' in page.split('class="attempts"')[1]
    assert re.findall(r"<tr><td>(\d+)</td><td><a href=", page) == ["2", "1"]
    assert "data-series=" in page and "uPlot.iife.min.js" in page
    weakest = page.split('id="weak-h"')[1].split("</section>")[0]
    assert "He maketh me to lie down" in weakest
    next_up = page.split('id="next-up"')[1].split("</ol>")[0]
    assert next_up.index("He maketh") < next_up.index("The Lord")  # the section lost comes first


def test_history_names_a_word_perfect_section_that_needed_a_prompt(app: Flask) -> None:
    client = signed_in(app, "ada")
    piece_id = add_piece(client)
    whole = TEXT.replace(";", "").replace(":", "").replace(".", "")
    done_attempt(app, "ada", piece_id, whole)
    weakest = client.get(f"/pieces/{piece_id}/history").text.split('id="weak-h"')[1].split("</section>")[0]
    assert "Every section word-perfect lately" in weakest
    done_attempt(app, "ada", piece_id, whole, p9=4.0)  # 4 s of silence before "He"
    weakest = client.get(f"/pieces/{piece_id}/history").text.split('id="weak-h"')[1].split("</section>")[0]
    assert "word-perfect lately" not in weakest
    assert "He maketh me to lie down" in weakest
    assert "100% on average over your last 2 attempts; 1 word needed a long pause to recall" in weakest


HYMN = (
    "Mine eyes have seen the glory of the coming of the Lord;\nGlory, glory, hallelujah!\n\n"
    "I have seen Him in the watch-fires of a hundred circling camps,\nGlory, glory, hallelujah!"
)


def test_history_says_which_time_of_a_refrain_to_practise(app: Flask) -> None:
    client = signed_in(app, "ada")
    piece_id = add_piece(client, "Battle Hymn", HYMN)
    # The second chorus is missed: the page must say it is the second, not leave two alike.
    spoken = "Mine eyes have seen the glory of the coming of the Lord glory glory hallelujah"
    done_attempt(
        app,
        "ada",
        piece_id,
        spoken + " I have seen Him in the watch-fires of a hundred circling camps",
        text=HYMN,
    )
    page = client.get(f"/pieces/{piece_id}/history").text
    weakest = page.split('id="weak-h"')[1].split("</section>")[0]
    assert "<q>Glory, glory, hallelujah!</q> (2nd of 2 times)</a> " in weakest
    next_up = page.split('id="next-up"')[1].split("</ol>")[0]
    assert "<q>Glory, glory, hallelujah!</q> (2nd of 2 times)</a> " in next_up
    assert "<q>Glory, glory, hallelujah!</q> (1st of 2 times)</a> " in next_up
    assert "times)" not in next_up.split("Mine eyes")[1].split("</li>")[0]  # a line said once: nothing added


def test_ordinals_read_as_written() -> None:
    from web.pages.progress_words import nth

    assert [nth(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th",
    ]  # fmt: skip


def test_history_names_a_section_said_with_words_added(app: Flask) -> None:
    client = signed_in(app, "ada")
    piece_id = add_piece(client)
    spoken = "The Lord is my shepherd I shall not want He maketh me to lie down in lovely green pastures"
    attempt_id = done_attempt(app, "ada", piece_id, spoken)
    assert "You added “lovely” before “green”" in client.get(f"/attempts/{attempt_id}").text
    weakest = client.get(f"/pieces/{piece_id}/history").text.split('id="weak-h"')[1].split("</section>")[0]
    assert "word-perfect lately" not in weakest  # the coach has just said it was not
    assert "He maketh me to lie down" in weakest and "The Lord" not in weakest
    assert "100% in your last attempt; 1 word added" in weakest  # not "on average" of one


def test_history_writes_times_in_utc_and_sections_due_as_now_once_due(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(app, "ada")
    piece_id = add_piece(client)
    done_attempt(app, "ada", piece_id, "The Lord is my shepherd I shall not want He maketh me")
    page = client.get(f"/pieces/{piece_id}/history").text
    [(stamp, text)] = re.findall(r'<time datetime="([^"]+)" data-local="long">([^<]+) UTC</time>', page)
    instant = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    assert stamp.endswith("Z") and instant.strftime("%d %b %Y %H:%M") == text
    assert abs(instant - utcnow()) < timedelta(minutes=5)
    monkeypatch.setattr("web.pages.times.utcnow", lambda: instant - timedelta(days=1))
    next_up = client.get(f"/pieces/{piece_id}/history").text.split('id="next-up"')[1].split("</ol>")[0]
    assert next_up.count('data-local="short"') == 2 and "due now" not in next_up
    monkeypatch.setattr("web.pages.times.utcnow", lambda: instant - timedelta(days=400))
    next_up = client.get(f"/pieces/{piece_id}/history").text.split('id="next-up"')[1].split("</ol>")[0]
    years = re.findall(r'data-local="long">\d+ \w+ (\d{4}) ', next_up)
    assert len(years) == 2 and 'data-local="short"' not in next_up  # over ten months away: with its year
    monkeypatch.setattr("web.pages.times.utcnow", lambda: instant + timedelta(days=3650))
    next_up = client.get(f"/pieces/{piece_id}/history").text.split('id="next-up"')[1].split("</ol>")[0]
    assert next_up.count("due now") == 2 and "<time" not in next_up


def test_history_lists_attempts_not_scored_with_what_became_of_them(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = signed_in(app, "ada")
    piece_id, other_piece = add_piece(client), add_piece(client, "Other")
    reason = "We could not hear any speech in the recording. Check your microphone and record again."
    failed = stored_attempt(app, "ada", piece_id, status="failed", error_code="silence", error_message=reason)
    waiting = stored_attempt(app, "ada", piece_id, status="queued")
    stored_attempt(app, "ada", other_piece, status="failed", error_message="Not this piece's.")
    page = client.get(f"/pieces/{piece_id}/history").text
    assert "No scored attempts yet" in page
    listed = page.split('id="unscored"')[1].split("</ul>")[0]
    assert re.findall(r'href="/attempts/([0-9a-f-]{36})"', listed) == [str(waiting), str(failed)]
    assert reason in listed and "Waiting to be scored." in listed and "Not this piece" not in listed
    done_attempt(app, "ada", piece_id, "The Lord is my shepherd")  # a scored one is charted, not listed
    page = client.get(f"/pieces/{piece_id}/history").text
    assert page.count('<td><a href="/attempts/') == 1 and page.count('class="u-') == 2
    monkeypatch.setattr("web.pages.routes.UNSCORED_SHOWN", 1)
    page = client.get(f"/pieces/{piece_id}/history").text
    assert page.count('class="u-') == 1 and "The newest 1 of 2 are shown." in page


def test_a_learners_pages_are_never_cached_and_the_static_files_are(app: Flask) -> None:
    """Signed out on a shared computer, Back showed the last learner's result from the cache."""
    client = signed_in(app, "ada")
    piece_id = add_piece(client)
    attempt_id = done_attempt(app, "ada", piece_id, "The Lord is my shepherd")
    for path in ("/library", f"/attempts/{attempt_id}", f"/pieces/{piece_id}/history", "/api/v1/attempts"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store", path
    assert "no-store" not in client.get("/static/js/forms.js").headers.get("Cache-Control", "")


def test_pages_carry_no_inline_script_or_style(app: Flask) -> None:
    client = signed_in(app, "ada")
    piece_id = add_piece(client)
    attempt_id = done_attempt(app, "ada", piece_id, "The Lord is my shepherd")
    for path in (
        "/library",
        f"/pieces/{piece_id}/practice",
        f"/attempts/{attempt_id}",
        f"/pieces/{piece_id}/history",
        "/sign-in",
    ):
        page = client.get(path).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path
        assert " style=" not in page and "<style" not in page and " on" + "click=" not in page, path


FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CHROME = (  # a navigation's Accept, ending in a type werkzeug's ``best`` would rank first
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,"
    "*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)


@pytest.mark.parametrize("accept", [FIREFOX, CHROME])
def test_a_browser_opening_an_unknown_page_gets_the_site_page_and_an_api_client_json(
    app: Flask, accept: str
) -> None:
    browser = {"Accept": accept}
    client = app.test_client()
    lost = client.get("/nonexistent", headers=browser)
    assert lost.status_code == 404 and lost.mimetype == "text/html" and "does not exist" in lost.text
    wrong_way = client.get("/sign-out", headers=browser)
    assert wrong_way.status_code == 405 and wrong_way.mimetype == "text/html" and wrong_way.headers["Allow"]
    assert client.get("/nonexistent").get_json()["error"]["code"] == "not_found"  # no Accept: JSON
    api = client.get("/api/v1/nothing-here", headers=browser)
    assert api.status_code == 404 and api.get_json()["error"]["code"] == "not_found"


def contrast(one: str, other: str) -> float:
    """WCAG 2's contrast ratio of two #rrggbb (or #rgb) colours."""

    def luminance(colour: str) -> float:
        if len(colour) == 4:
            colour = "#" + "".join(c * 2 for c in colour[1:])
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_keyboard_focus_ring_stands_out_from_the_page() -> None:
    """WCAG 1.4.11: 3:1 against what it sits on, the page's background (axe-core does not check it)."""
    css = (Path(__file__).parents[3] / "web" / "static" / "css" / "app.css").read_text()
    ring = re.search(r":focus-visible \{ outline: \d+px solid (#[0-9a-f]{6})", css)
    background = re.search(r"--bg: (#[0-9a-f]{6}|#[0-9a-f]{3})\b", css)
    assert ring and background and contrast(ring.group(1), background.group(1)) >= 3.0


def test_what_to_practise_next_opens_the_practice_page_at_each_section(app: Flask) -> None:
    """QA: the sections to practise were plain text; each now opens the practice page at it."""
    client = signed_in(app, "ada")
    piece_id = add_piece(client, "Battle Hymn", HYMN)
    spoken = "Mine eyes have seen the glory of the coming of the Lord glory glory hallelujah"
    done_attempt(app, "ada", piece_id, spoken + " I have seen Him in the watch-fires", text=HYMN)
    page = client.get(f"/pieces/{piece_id}/history").text
    next_up = page.split('id="next-up"')[1].split("</ol>")[0]
    practise = r'<span class="vh">Practise </span><q>([^<]+)</q>'
    link = r'<a href="(/pieces/[^"]+/practice\?section=\d+#section)">' + practise
    weakest = page.split('id="weak-h"')[1].split("</ol>")[0]
    links = re.findall(link, next_up) + re.findall(link, weakest)
    assert len(links) >= 3 and "Glory, glory, hallelujah!" in {t for _, t in links}  # the 2nd time
    chorus = '<span class="f">G</span><span class="r">lory,</span>'  # each time the refrain begins
    for href, text in links:
        practice = client.get(href).text
        before, marked = practice.split('<mark id="section" tabindex="-1">')
        words = re.sub(r"<[^>]+>", "", marked.split("</mark>")[0]).replace("Section to practise: ", "")
        assert " ".join(words.split()) == text, href
        assert practice.count("<mark") == 1 and 'href="#section"' in practice
        if text.startswith("Glory"):  # the 1st time or the 2nd, as the link says
            nth = re.search(re.escape(href) + r'".*?\((\d)\w\w of 2 times\)', page)[1]
            assert before.split('id="text"')[1].count(chorus) == int(nth) - 1, href


def test_a_practice_page_asked_for_no_such_section_shows_the_text_unmarked(app: Flask) -> None:
    client = signed_in(app, "ada")
    piece_id = add_piece(client)
    for section in ("99", "-1", "x"):
        page = client.get(f"/pieces/{piece_id}/practice?section={section}")
        assert page.status_code == 200 and "<mark" not in page.text and "section-note" not in page.text
