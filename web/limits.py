"""Rate limits: Flask-Limiter on Redis, per client IP everywhere and per learner on writes.

The client IP is the socket's peer, or, behind ``RECITAL_TRUSTED_PROXIES``
proxies, the address the outermost trusted proxy saw (werkzeug's ProxyFix
reads only that many hops from the right of X-Forwarded-For): a client that
sends its own X-Forwarded-For changes nothing. Counters live in Redis (the
broker's, unless ``RECITAL_RATE_LIMIT_STORAGE_URL`` says otherwise) with a
moving window, so every web process shares them and a burst gets exactly the
limit through. If Redis is down, each process counts in memory until it is
back. A breach is ``429 rate_limited`` with ``Retry-After`` (seconds until
the window lets the next request through); a page's form gets the site's
error page saying how long to wait, with the same header.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from functools import partial
from typing import Any, cast

from flask import Blueprint, Flask, Response, g, render_template, request
from flask_limiter import ExemptionScope, Limiter, RateLimitExceeded
from limits import parse_many
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from shared.services.errors import ServiceError
from shared.settings import Settings
from web import known_devices, sign_in_failures
from web.deps import container
from web.errors import error_response
from web.identity import optional_user

# endpoint -> which per-learner (or per-IP) limit applies on top of the per-IP one
PER_LEARNER_UPLOADS = ("api.submit",)
PER_LEARNER_WRITES = (
    "api.create_piece",
    "api.change_piece",
    "api.delete_piece",
    "api.delete_attempt",
    "auth.create_token",
    "auth.revoke_token",
    "auth.change_password",
    "auth.delete_me",
    "auth.export_me",  # not writes, but they read everything the learner has
    "auth.export_archive",
    "admin.delete_user",
    "admin.remove_piece",
    "pages.create_piece",
    "pages.delete_attempt",
    "pages.save_piece",
    "pages.delete_piece",
    "pages.change_password",
    "pages.delete_account",
    "pages.create_token",
    "pages.revoke_token",
)
# The sign-in and sign-up forms guess passwords as well as the API does.
PER_IP_SIGN_IN = ("auth.sign_in", "auth.sign_up", "pages.sign_in_submit", "pages.sign_up_submit")
# Failed sign-ins against one handle, whatever the IP (only failures count: a
# learner signing in is never held up by their own successes).
PER_HANDLE_SIGN_IN = ("auth.sign_in", "pages.sign_in_submit")
FAILED_SIGN_INS = "Too many failed sign-ins with this handle."
FORMS = {"pages.sign_in_submit": "sign-in", "pages.sign_up_submit": "sign-up"}
# Where a signed-in session types its password again: guesses as fast as sign-in allows, no faster.
PER_LEARNER_PASSWORD = (
    "auth.change_password",
    "auth.delete_me",
    "pages.change_password",
    "pages.delete_account",
)
UNLIMITED_BLUEPRINTS = ("health", "openapi")


def client_ip() -> str:
    return request.remote_addr or "unknown"


def learner_or_ip() -> str:
    """Never raises: Flask-Limiter takes any error in a key function for Redis being
    down and counts in this process's memory for up to 32 s, so one bad token made
    every limit per process. The view itself answers the bad token or CSRF token."""
    try:
        user = optional_user()
    except ServiceError:
        user = None
    return f"user:{user.id}" if user is not None else f"ip:{client_ip()}"


def handle_tried() -> str:
    """The counter of the handle a password is typed for (web/sign_in_failures.py): the
    one a sign-in names, or this browser's own for it once it has signed in with the
    current password (web/known_devices.py); where a session or a token types its
    password again, the learner's signed-in count, apart from strangers' so that
    their guesses lock nobody out of their own account page. An unknown handle is
    counted as a known one is: the limit tells nobody which exist."""
    if request.endpoint in PER_LEARNER_PASSWORD:
        try:  # never raises (see learner_or_ip)
            user = optional_user()
        except ServiceError:
            user = None
        own = user.handle if user is not None else ""
        return sign_in_failures.handle_key(own, container().settings) + sign_in_failures.SIGNED_IN
    try:  # never raises; the view answers a body it cannot read
        body = request.get_json(silent=True) if request.is_json else request.form
    except HTTPException:
        body = None
    tried = body.get("handle") if isinstance(body, dict) else None
    return known_devices.counter_for(tried if isinstance(tried, str) else "")


def _wrong_password(response: Response) -> bool:
    """A sign-in refused (401), or a password typed again that was wrong: a session or
    a stolen token gets as many guesses a day as a stranger, no more (QA: it had only
    the per-minute limit, some 14,400 a day)."""
    if request.endpoint in PER_LEARNER_PASSWORD:
        return g.get("error_code") == "wrong_password"
    return response.status_code == 401


def _new_attempt(response: Response) -> bool:
    """Only an upload that made an attempt is counted: not one refused (too many queued,
    a format not read) nor an idempotent replay (QA: refusals used up the limit)."""
    if response.status_code != 202:
        return False
    body = response.get_json(silent=True)
    return not isinstance(body, dict) or body.get("created") is not False


def install(app: Flask, settings: Settings) -> Limiter:
    if settings.trusted_proxies:
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    limits = (settings.rate_limit_per_ip, settings.rate_limit_sign_in, settings.rate_limit_sign_in_failures)
    for value in (*limits, settings.rate_limit_uploads, settings.rate_limit_writes):
        parse_many(value)  # a typo fails at start, not on the first request
    limiter = Limiter(
        client_ip,
        app=app,
        application_limits=[settings.rate_limit_per_ip],  # one counter per IP over every route
        storage_uri=settings.resolved_rate_limit_storage_url,
        storage_options={"socket_connect_timeout": 1, "socket_timeout": 1},
        strategy="moving-window",
        # Off: the limiter would also rewrite the Retry-After that tells a client
        # when to poll an attempt; a breach sets its own below.
        headers_enabled=False,
        in_memory_fallback_enabled=True,
        key_prefix=sign_in_failures.KEY_PREFIX,
        enabled=settings.rate_limits_enabled,
    )
    app.register_error_handler(RateLimitExceeded, partial(_breached, limiter))
    for name in UNLIMITED_BLUEPRINTS:
        limiter.exempt(
            cast(Blueprint, app.blueprints[name]), flags=ExemptionScope.APPLICATION | ExemptionScope.DEFAULT
        )
    _share(
        app, limiter, "uploads", PER_LEARNER_UPLOADS, settings.rate_limit_uploads, learner_or_ip, _new_attempt
    )
    _share(app, limiter, "writes", PER_LEARNER_WRITES, settings.rate_limit_writes, learner_or_ip)
    _share(app, limiter, "sign-in", PER_IP_SIGN_IN, settings.rate_limit_sign_in, client_ip)
    _share(app, limiter, "password", PER_LEARNER_PASSWORD, settings.rate_limit_sign_in, learner_or_ip)
    failures = settings.rate_limit_sign_in_failures
    # Tested before the password is checked, counted after it failed: requests in
    # flight at that moment may each get one guess past the limit.
    typed = PER_HANDLE_SIGN_IN + PER_LEARNER_PASSWORD
    _share(app, limiter, sign_in_failures.SCOPE, typed, failures, handle_tried, _wrong_password)
    return limiter


def _breached(limiter: Limiter, exc: RateLimitExceeded) -> tuple[Response, int]:
    current = limiter.current_limit
    wait = max(1, math.ceil(current.reset_at - time.time())) if current else 60
    failures = exc.limit.scope == sign_in_failures.SCOPE
    if request.blueprint == "pages":  # a person at a form: a page, in words
        tries = FAILED_SIGN_INS if failures else "Too many tries in a short time."
        message = f"{tries} Wait {_in_words(wait)}, then try again."
        response = Response(_page_saying(message), 429)
    else:
        reason = "too many failed sign-ins with this handle" if failures else "slow down"
        response, _ = error_response(429, "rate_limited", f"Too many requests ({exc.description}); {reason}.")
    response.headers["Retry-After"] = str(wait)
    return response, 429


def _page_saying(message: str) -> str:
    """The sign-in and sign-up forms again, with the handle typed, to send once the
    wait is over; any other page, the site's error page."""
    mode = FORMS.get(request.endpoint or "")
    if mode is None:
        return render_template("error.html", status=429, message=message)
    handle, next_page = request.form.get("handle", "").strip(), request.form.get("next", "")
    return render_template("sign_in.html", mode=mode, next=next_page, error=message, handle=handle)


def _in_words(seconds: int) -> str:
    if seconds < 120:
        return _counted(seconds, "second")
    if seconds < 2 * 3600:
        return _counted(round(seconds / 60), "minute")  # 3,601 s is "60 minutes", not 61
    return _counted(round(seconds / 3600), "hour")


def _counted(n: int, unit: str) -> str:
    """ "1 second", "2 seconds" (QA: "Wait 1 seconds")."""
    return f"{n} {unit}{'' if n == 1 else 's'}"


def _share(
    app: Flask,
    limiter: Limiter,
    scope: str,
    endpoints: tuple[str, ...],
    value: str,
    key: Callable[[], str],
    deduct_when: Callable[[Response], bool] | None = None,
) -> None:
    """One counter per key shared by the endpoints, on top of the per-IP limit;
    with ``deduct_when``, only the answers it picks are counted."""
    shared = limiter.shared_limit(
        value, scope, key_func=key, override_defaults=False, deduct_when=deduct_when
    )
    for endpoint in endpoints:
        app.view_functions[endpoint] = cast(Any, shared(app.view_functions[endpoint]))
