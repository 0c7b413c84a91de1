"""The owner's edit page for a piece, through Flask's test client on the embedded database."""

from __future__ import annotations

from flask import Flask

from shared.db import models
from tests.support.pages import add_piece, csrf, signed_in, stored_attempt


def test_the_owner_renames_shares_and_corrects_an_unrecited_piece(app: Flask) -> None:
    client = signed_in(app, "ada")
    piece_id = add_piece(client, "Psalm 23", "The Lord is my shepard")
    assert f'href="/pieces/{piece_id}/edit"' in client.get(f"/pieces/{piece_id}/practice").text
    form = client.get(f"/pieces/{piece_id}/edit").text
    assert (
        'value="Psalm 23"' in form and "The Lord is my shepard</textarea>" in form and "readonly" not in form
    )
    fields = {"title": "Psalm 23 (KJV)", "text": "The Lord is my shepherd", "visibility": "public"}
    saved = client.post(f"/pieces/{piece_id}/edit", data={**fields, "csrf_token": csrf(client)})
    assert saved.status_code == 302 and saved.headers["Location"] == f"/pieces/{piece_id}/practice?saved=1"
    practice = client.get(saved.headers["Location"]).text
    assert "<h1>Psalm 23 (KJV)</h1>" in practice
    # Said so (it landed on the practice page without a word, shared or not).
    assert (
        "Your changes are saved.\n  This piece is shared: every learner can find and practise it." in practice
    )
    assert "changes are saved" not in client.get(f"/pieces/{piece_id}/practice").text
    assert "The Lord is my shepherd</textarea>" in client.get(f"/pieces/{piece_id}/edit").text
    assert "shared, yours" in client.get("/library").text
    unshared = client.post(
        f"/pieces/{piece_id}/edit", data={**fields, "visibility": "private", "csrf_token": csrf(client)}
    )
    assert "This piece is private: only you can see it." in client.get(unshared.headers["Location"]).text


def test_a_text_at_the_limit_is_taken_from_the_form_as_from_the_api(app: Flask) -> None:
    """Browsers send a textarea's line breaks as CRLF: the limit counts them as the
    stored text has them, one character each (QA: the form refused what the API took)."""
    from shared.services.pieces import MAX_TEXT_CHARS

    client = signed_in(app, "ada")
    line = "The Lord is my shepherd; I shall not want." + " " * 47  # 89 characters, 90 with LF
    text = "\r\n".join([line] * (MAX_TEXT_CHARS // 90))  # under the limit with LF, over with CRLF
    assert len(text.replace("\r\n", "\n")) <= MAX_TEXT_CHARS < len(text)
    piece_id = add_piece(client, "Long", text)
    edited = text.replace("shepherd", "Shepherd", 1)
    saved = client.post(
        f"/pieces/{piece_id}/edit", data={"title": "Long", "text": edited, "csrf_token": csrf(client)}
    )
    assert saved.status_code == 302
    too_long = "x" * (MAX_TEXT_CHARS + 1)
    refused = client.post(
        f"/pieces/{piece_id}/edit", data={"title": "Long", "text": too_long, "csrf_token": csrf(client)}
    )
    assert refused.status_code == 422 and "limited to" in refused.text


def test_a_refused_change_keeps_what_was_typed_and_says_why(app: Flask) -> None:
    client = signed_in(app, "ada")
    piece_id = add_piece(client)
    typed = {"title": "   ", "text": "A corrected text I typed", "visibility": "private"}
    refused = client.post(f"/pieces/{piece_id}/edit", data={**typed, "csrf_token": csrf(client)})
    assert refused.status_code == 422 and "A piece needs a title." in refused.text
    assert "A corrected text I typed</textarea>" in refused.text


def test_a_recited_text_is_shown_fixed_and_a_piece_others_recite_stays(app: Flask) -> None:
    client = signed_in(app, "ada")
    piece_id = add_piece(client, visibility="public")
    stored_attempt(app, "ada", piece_id, status="done")
    form = client.get(f"/pieces/{piece_id}/edit").text
    assert "readonly" in form and "add it to the library as a new piece" in form and 'value="private"' in form
    signed_in(app, "bob")
    stored_attempt(app, "bob", piece_id, status="queued")
    form = client.get(f"/pieces/{piece_id}/edit").text
    assert 'value="private"' not in form and "cannot be deleted" in form
    forced = client.post(f"/pieces/{piece_id}/delete", data={"csrf_token": csrf(client)})  # a stale form
    assert forced.status_code == 409 and "Other learners are practising this piece" in forced.text
    hidden = client.post(
        f"/pieces/{piece_id}/edit", data={"visibility": "private", "csrf_token": csrf(client)}
    )
    assert hidden.status_code == 409


def test_only_the_owner_may_edit_and_deleting_takes_the_owners_attempts(app: Flask) -> None:
    client = signed_in(app, "ada")
    private, public = add_piece(client), add_piece(client, "Shared", visibility="public")
    attempt = stored_attempt(app, "ada", private, status="failed")
    bob = signed_in(app, "bob")
    assert bob.get(f"/pieces/{private}/edit").status_code == 404
    assert bob.get(f"/pieces/{public}/edit").status_code == 403
    assert f"/pieces/{public}/edit" not in bob.get(f"/pieces/{public}/practice").text
    assert bob.post(f"/pieces/{private}/delete", data={"csrf_token": csrf(bob)}).status_code == 404
    gone = client.post(f"/pieces/{private}/delete", data={"csrf_token": csrf(client)})
    assert gone.status_code == 302 and gone.headers["Location"] == "/library?deleted=1"
    assert "your attempts on it are deleted" in client.get(gone.headers["Location"]).text
    assert client.get(f"/pieces/{private}/practice").status_code == 404
    assert client.get(f"/attempts/{attempt}").status_code == 404


def test_a_text_fixed_by_a_recording_not_yet_scored_says_so(app: Flask) -> None:
    """QA: the page said the piece had been recited and scores read against its text
    while its only recording was still queued."""
    client = signed_in(app, "ada")
    piece_id = add_piece(client)
    attempt = stored_attempt(app, "ada", piece_id, status="queued")
    for status in ("queued", "processing"):
        with app.extensions["recital"].uow() as uow:
            uow.session.get(models.Attempt, attempt).status = status
            uow.commit()
        form = client.get(f"/pieces/{piece_id}/edit").text
        assert "readonly" in form and "scores were read" not in form, status
        assert "A recording of this piece is not scored yet, and will be scored against this text" in form
        changed = client.post(
            f"/pieces/{piece_id}/edit", data={"title": "t", "text": "New words", "csrf_token": csrf(client)}
        )
        assert (
            changed.status_code == 409
            and "not scored yet" in changed.text
            and "scores were" not in changed.text
        )
    stored_attempt(app, "ada", piece_id, status="done")
    form = client.get(f"/pieces/{piece_id}/edit").text
    assert "has been recited, and those scores were read against this text" in form
    assert "not scored yet" not in form


def test_a_piece_others_can_see_is_called_shared_on_every_page(app: Flask) -> None:
    """QA: one idea had three names, "public, yours", "shared" and "Everyone on Recital"."""
    client = signed_in(app, "ada")
    piece_id = add_piece(client, "Ours", visibility="public")
    bob = signed_in(app, "bob")
    saved = client.post(
        f"/pieces/{piece_id}/edit", data={"visibility": "public", "csrf_token": csrf(client)}
    ).headers["Location"]
    pages = {
        "library": client.get("/library").text,
        "edit": client.get(f"/pieces/{piece_id}/edit").text,
        "saved": client.get(saved).text,
        "bob's library": bob.get("/library").text,
    }
    for name, page in pages.items():
        assert "public" not in page.replace('value="public"', "") and "Everyone" not in page, name
    assert "shared, yours" in pages["library"] and "· shared</span>" in pages["bob's library"]
    assert "Shared: every learner can find and practise it</option>" in pages["edit"]
    assert "This piece is shared: every learner" in pages["saved"]
