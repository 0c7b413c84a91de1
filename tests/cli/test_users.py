"""``recital users`` as an operator runs it: create, set-password, set-role."""

from __future__ import annotations

from pathlib import Path

from shared.settings import Settings
from tests.cli.test_commands import embedded_env
from tests.support.auth import PASSWORD
from tests.support.stack import redis_db_url
from web import create_app


def users(
    home: Path, *args: str, password: str | None = None, env: dict[str, str] | None = None
) -> tuple[int, str, str]:
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-m", "cli.main", "users", *args],
        input=password,
        capture_output=True,
        text=True,
        env={**embedded_env(home), **(env or {})},
        timeout=120,
    )
    return run.returncode, run.stdout, run.stderr


def test_an_operator_creates_an_admin_and_changes_roles(tmp_path: Path) -> None:
    from shared.db.migrate import upgrade

    settings = Settings(home=tmp_path)
    upgrade(settings)
    code, out, _ = users(tmp_path, "create", "root", "--role", "admin", "--password-stdin", password=PASSWORD)
    assert code == 0 and "root (admin)" in out
    code, _, err = users(tmp_path, "create", "root", "--password-stdin", password=PASSWORD)
    assert code == 1 and "taken" in err
    code, _, err = users(tmp_path, "set-password", "ghost", "--password-stdin", password=PASSWORD)
    assert code == 1 and "ghost" in err
    code, _, err = users(tmp_path, "set-password", "root", "--password-stdin", password="short")
    assert code == 1 and "characters" in err

    client = create_app(settings, enqueue=lambda _id: None).test_client()
    signed_in = client.post("/api/v1/auth/sign-in", json={"handle": "root", "password": PASSWORD})
    assert signed_in.get_json()["user"]["role"] == "admin"
    assert client.get("/api/v1/admin/users").status_code == 200
    code, out, err = users(tmp_path, "set-role", "root", "learner")
    assert code == 1 and "only admin" in err and len(err.splitlines()) == 1 and not out
    assert client.get("/api/v1/admin/users").status_code == 200  # still an admin
    code, _, _ = users(tmp_path, "create", "deputy", "--role", "admin", "--password-stdin", password=PASSWORD)
    assert code == 0
    code, out, _ = users(tmp_path, "set-role", "root", "learner")
    assert code == 0 and "root (learner)" in out
    assert client.get("/api/v1/admin/users").status_code == 403


def test_a_piped_password_loses_its_line_ending_only(tmp_path: Path) -> None:
    from shared.db.migrate import upgrade

    settings = Settings(home=tmp_path)
    upgrade(settings)
    client = create_app(settings, enqueue=lambda _id: None).test_client()
    for handle, piped, password in [("crlf", PASSWORD + "\r\n", PASSWORD), ("lf", PASSWORD + "\n", PASSWORD),
                                    ("spaced", f" {PASSWORD} \r\n", f" {PASSWORD} ")]:  # fmt: skip
        code, _, err = users(tmp_path, "create", handle, "--password-stdin", password=piped)
        assert code == 0, err
        signed_in = client.post("/api/v1/auth/sign-in", json={"handle": handle, "password": password})
        assert signed_in.status_code == 200, (handle, signed_in.get_json())


def test_an_operator_lets_a_learner_locked_out_by_guesses_back_in(tmp_path: Path) -> None:
    from shared.db.migrate import upgrade

    store = {
        "RECITAL_RATE_LIMIT_STORAGE_URL": redis_db_url(10),
        "RECITAL_RATE_LIMIT_SIGN_IN_FAILURES": "3 per hour",
    }
    settings = Settings(
        home=tmp_path,
        rate_limit_storage_url=store["RECITAL_RATE_LIMIT_STORAGE_URL"],
        rate_limit_sign_in_failures="3 per hour",
        rate_limit_sign_in="100 per minute",  # one address here: only the per-handle limit bites
    )
    upgrade(settings)
    users(tmp_path, "create", "Amal", "--password-stdin", password=PASSWORD)
    client = create_app(settings, enqueue=lambda _id: None).test_client()

    def sign_in(password: str) -> int:
        return client.post("/api/v1/auth/sign-in", json={"handle": "amal", "password": password}).status_code

    def locked_out() -> bool:
        guesses = [sign_in("a stranger's guess") for _ in range(4)]
        return guesses == [401, 401, 401, 429] and sign_in(PASSWORD) == 429

    assert locked_out()  # a browser new to the handle, as a stranger's is
    # Run without the web's RECITAL_RATE_LIMIT_SIGN_IN_FAILURES: every window of the handle
    # goes, whatever its amount (QA: this cleared a key of the default's "100 per day").
    only_the_store = {"RECITAL_RATE_LIMIT_STORAGE_URL": store["RECITAL_RATE_LIMIT_STORAGE_URL"]}
    code, out, _ = users(tmp_path, "unlock", "AMAL", env=only_the_store)
    assert code == 0 and "forgotten" in out
    assert sign_in(PASSWORD) == 200
    assert locked_out()  # this browser has signed in now: its own counter (web/known_devices.py)
    code, out, _ = users(
        tmp_path, "set-password", "amal", "--password-stdin", password=PASSWORD + "!", env=store
    )
    assert code == 0 and "forgotten" in out
    assert sign_in(PASSWORD + "!") == 200
    code, _, err = users(tmp_path, "unlock", "ghost", env=store)
    assert code == 1 and "ghost" in err
    down = {**store, "RECITAL_RATE_LIMIT_STORAGE_URL": "redis://127.0.0.1:1/0"}
    code, out, err = users(tmp_path, "unlock", "amal", env=down)
    assert code == 1 and "did not answer" in err and "Traceback" not in err
    assert out == ""  # no line naming the learner as if it had worked
    code, out, _ = users(tmp_path, "unlock", "amal", env=store)  # nothing counted since
    assert code == 0 and "no failed sign-ins were counted" in out
    code, out, _ = users(tmp_path, "unlock", "amal")  # embedded: counters in each process's memory
    assert code == 0 and "memory" in out
