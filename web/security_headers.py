"""Headers every response carries: no framing, no sniffing, no inline script, no
referrer to other sites; and nothing but the vendored static files kept in a cache."""

from __future__ import annotations

from flask import Response, request

# 'self' only: pages load their own vendored scripts; inline script is refused.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    # blob: for media only: the practice page plays a recording back before it is sent.
    "media-src 'self' blob:; "
    "frame-ancestors 'none'; form-action 'self'"
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    # Nothing to other sites; to our own, the origin and path, so a form's POST carries its
    # Origin (under no-referrer it is "null", and sign-in could not tell ours from another's).
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static":
        # A learner's pages and data: after signing out on a shared computer, Back
        # must not show the last learner's results from the cache (QA saw it did).
        response.headers.setdefault("Cache-Control", "no-store")
    return response
