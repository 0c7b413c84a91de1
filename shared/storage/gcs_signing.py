"""Which credentials sign V4 URLs for direct uploads.

A service-account key (``GOOGLE_APPLICATION_CREDENTIALS``, or the client's own
credentials when they can sign) signs locally. On Cloud Run the metadata
server's credentials hold no key, so the URL is signed through IAM's
``signBlob`` with the service account's email and access token (the account
needs ``iam.serviceAccounts.signBlob`` on itself). Without either, direct
uploads are unavailable.
"""

from __future__ import annotations

import os
from typing import Any

import google.auth.credentials
import google.auth.transport.requests
from google.cloud import storage as gcs
from google.oauth2 import service_account

from shared.storage.port import DirectUploadUnavailable


def signing_options(client: gcs.Client) -> dict[str, Any]:
    credentials = client._credentials  # noqa: SLF001 - the client exposes no public accessor
    if isinstance(credentials, google.auth.credentials.Signing):
        return {"credentials": credentials}
    key_file = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    if key_file:
        return {"credentials": service_account.Credentials.from_service_account_file(key_file)}
    if getattr(credentials, "service_account_email", None) is not None:
        # Compute credentials say "default" until refreshed, then their real email.
        credentials.refresh(google.auth.transport.requests.Request())
        return {"service_account_email": credentials.service_account_email, "access_token": credentials.token}
    raise DirectUploadUnavailable("no credentials that can sign upload URLs")
