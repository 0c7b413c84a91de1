"""What a learner reads when a page cannot do what was asked yet, or at all (QA learner pass)."""

from __future__ import annotations

from flask import Flask

from tests.support.pages import add_piece, csrf, done_attempt, signed_in, stored_attempt

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
BOOK = "It was the best of times, it was the worst of times. " * 24_000  # a whole book pasted: 1.3 MB


def test_a_whole_book_pasted_into_a_form_is_a_page_saying_how_much_fits(app: Flask) -> None:
    """Over the 1 MB a form may send, the learner got the API's raw JSON in the
    browser ("Request bodies are limited to 1024 KB."), with no way back."""
    client = signed_in(app, "ada")
    piece = add_piece(client, "Short")
    for path in ("/library", f"/pieces/{piece}/edit"):
        form = {"csrf_token": csrf(client), "title": "A book", "text": BOOK, "visibility": "private"}
        response = client.post(path, data=form, headers=BROWSER)
        assert response.status_code == 413 and response.mimetype == "text/html", response.text[:200]
        assert "200,000 characters" in response.text and "data-error" in response.text
        assert "Request bodies" not in response.text


def test_the_api_still_answers_json_to_a_body_too_large(app: Flask) -> None:
    client = signed_in(app, "ada")
    response = client.post("/library", data={"text": BOOK}, headers={"Accept": "application/json"})
    assert response.status_code == 413 and response.json is not None
    assert response.json["error"]["code"] == "body_too_large"


def test_a_result_not_yet_scored_says_where_it_is_in_a_learners_words(app: Flask) -> None:
    """It said "Your recording is processing (analysed)": the worker's name for the step done."""
    client = signed_in(app, "ada")
    piece = add_piece(client)
    expected = {
        ("queued", "uploaded"): "Queued: waiting for a scorer.",
        ("processing", "uploaded"): "Scoring: listening to your recording…",
        ("processing", "analysed"): "Scoring: working out the words you said…",
        ("processing", "transcribed"): "Scoring: marking each word…",
    }
    for (status, stage), said in expected.items():
        attempt = stored_attempt(app, "ada", piece, status=status, stage=stage)
        pending = client.get(f"/attempts/{attempt}").text.split('id="pending"')[1].split("</p>")[0]
        assert said in pending and stage not in pending and status not in pending.split(">", 1)[1], pending


def test_sign_up_says_what_a_name_on_recital_may_be_before_it_is_refused(app: Flask) -> None:
    """Asked for "Your name on Recital", a learner typed "Maria Lopez" and was refused for
    a "handle" they had never been told the rules of."""
    page = app.test_client().get("/sign-up").text
    assert 'aria-describedby="handle-rule"' in page and 'id="handle-rule"' in page
    rule = page.split('id="handle-rule">')[1].split("</p>")[0]
    assert "no spaces" in rule
    assert 'id="handle-rule"' not in app.test_client().get("/sign-in").text


def test_progress_on_only_another_texts_recitation_claims_no_word_perfect_section(app: Flask) -> None:
    """A first attempt that recited another text (0%: its note says so) reviews no section,
    and the page said "Every section word-perfect lately", over an empty plan."""
    client = signed_in(app, "ada")
    piece = add_piece(client)
    other_text = "Hope is the thing with feathers that perches in the soul and sings the tune without words"
    done_attempt(app, "ada", piece, other_text)
    page = client.get(f"/pieces/{piece}/history").text
    assert "word-perfect" not in page and page.count("<tr><td>") == 1  # charted, as it happened
    assert "Record this piece’s own text" in page
    assert 'id="next-up"' not in page  # no empty list under "What to practise next"
    done_attempt(app, "ada", piece, "The Lord is my shepherd I shall not want")
    page = client.get(f"/pieces/{piece}/history").text
    assert "Record this piece’s own text" not in page and page.count("Practise </span><q>") >= 2


def test_a_poems_stanza_break_is_kept_on_the_practice_page(app: Flask) -> None:
    """The blank line between stanzas was an empty paragraph of no height: every line was
    spaced alike and the poem's stanzas were lost, in every mode."""
    client = signed_in(app, "ada")
    poem = "Hope is the thing with feathers\nThat perches in the soul\n\nAnd sings the tune\nWithout words"
    page = client.get(f"/pieces/{add_piece(client, 'Hope', poem)}/practice").text
    text = page.split('id="text"')[1].split("</section>")[0]
    assert text.count('<p class="gap"></p>') == 1
    assert text.index(">erches<") < text.index('class="gap"') < text.index(">ings<")  # the words in parts


def test_a_page_gone_says_so_in_a_learners_words(app: Flask) -> None:
    """An old link to a deleted piece or attempt said "No piece with that id." (the API's words)."""
    client = signed_in(app, "ada")
    gone = "00000000-0000-0000-0000-000000000000"
    for path, said in (
        (f"/pieces/{gone}/practice", "This piece is not in your library"),
        (f"/pieces/{gone}/history", "This piece is not in your library"),
        (f"/attempts/{gone}", "This attempt is not one of yours"),
        ("/attempts/not-an-id", "This attempt is not one of yours"),
    ):
        response = client.get(path)
        assert response.status_code == 404 and said in response.text, path
        assert "with that id" not in response.text


def test_practise_again_opens_the_text_as_it_was_last_recited(app: Flask) -> None:
    """Every retry opened with the whole text on screen, the text the learner was about
    to recall from memory: "Practise again" keeps the mode they recited in."""
    client = signed_in(app, "ada")
    piece = add_piece(client)
    hidden = client.get(f"/pieces/{piece}/practice?mode=hidden").text
    assert 'class="practice-text mode-hidden"' in hidden and 'value="hidden" checked' in hidden
    assert 'value="full" checked' not in hidden
    for asked in ("", "?mode=nonsense"):
        page = client.get(f"/pieces/{piece}/practice{asked}").text
        assert 'class="practice-text mode-full"' in page and 'value="full" checked' in page
    attempt = done_attempt(app, "ada", piece, "The Lord is my shepherd")
    again = f'href="/pieces/{piece}/practice?mode=letters">Practise again'
    assert again in client.get(f"/attempts/{attempt}?mode=letters").text
    assert f'href="/pieces/{piece}/practice">Practise again' in client.get(f"/attempts/{attempt}").text


def test_an_error_pages_title_says_what_happened_not_a_status_number(app: Flask) -> None:
    """A screen reader announced the tab as "404 · Recital", "413 · Recital"."""
    client = signed_in(app, "ada")
    assert "<title>Not found · Recital</title>" in client.get("/nope", headers=BROWSER).text
    form = {"csrf_token": csrf(client), "title": "A book", "text": BOOK}
    too_large = client.post("/library", data=form, headers=BROWSER).text
    assert "<title>Something is wrong · Recital</title>" in too_large
