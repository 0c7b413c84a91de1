"""The library page: pasting a piece, searching, counting and ordering pieces."""

from __future__ import annotations

from flask import Flask

from tests.support.pages import add_piece, csrf, signed_in


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
