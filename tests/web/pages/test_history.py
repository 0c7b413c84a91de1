"""The progress page: the chart and table of attempts, weakest sections, what to practise next
(each a link to the practice page at it), times, and attempts not scored."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from flask import Flask

from shared.domain.clock import utcnow
from tests.support.pages import TEXT, add_piece, done_attempt, signed_in, stored_attempt


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
