"""The Secrets nothing generates, fetched by the External Secrets Operator (production).

The Secrets CloudNativePG does not write: auth's signing key (auth only; the others
verify with auth's JWKS, a URL in the ConfigMap), the first admin's credentials (auth's
``prestart``), bookings' keys (the captcha's HMAC key, the manage links' secret), the object
store's keys (backups), auth's SMTP URL, and each calling service's credential (its secret
for it, the secret's argon2 hash for auth). In production
each is an ``ExternalSecret`` reading the ``ClusterSecretStore`` named ``shopfloor``
(Vault, a cloud secret manager...); without the operator, docs/operations.md has the
``kubectl create secret`` recipe. No secret value is ever in this repository.
"""

from __future__ import annotations

from typing import Any

from gateway.k8s.objects import metadata
from gateway.k8s.postgres import BACKUP_CREDENTIALS
from gateway.k8s.workloads import (
    SERVICE_SECRET_HASH_KEY,
    SERVICE_SECRET_KEY,
    SIGNING_KEY_FILE,
    SIGNING_KEY_SECRET,
)
from gateway.service_calls import CALLERS

SECRET_STORE = "shopfloor"
REFRESH = "1h"

# Secret name -> (key in the Secret, key in the secret store)
SECRETS: dict[str, list[tuple[str, str]]] = {
    SIGNING_KEY_SECRET: [(SIGNING_KEY_FILE, "shopfloor/auth/jwt-private-key")],
    "auth-first-admin": [
        ("email", "shopfloor/auth/first-admin-email"),
        ("password", "shopfloor/auth/first-admin-password"),
    ],
    "auth-mail": [("smtp-url", "shopfloor/auth/smtp-url")],
    "bookings-secrets": [
        ("altcha-hmac-key", "shopfloor/bookings/altcha-hmac-key"),
        ("manage-token-secret", "shopfloor/bookings/manage-token-secret"),
    ],
    BACKUP_CREDENTIALS: [
        ("ACCESS_KEY_ID", "shopfloor/backups/access-key-id"),
        ("ACCESS_SECRET_KEY", "shopfloor/backups/secret-access-key"),
    ],
    # Each calling service's credential (gateway.service_calls): it reads the secret, auth
    # the hash.
    **{
        caller.secret_name: [
            (SERVICE_SECRET_KEY, f"shopfloor/{caller.name}/service-secret"),
            (SERVICE_SECRET_HASH_KEY, f"shopfloor/{caller.name}/service-secret-hash"),
        ]
        for caller in CALLERS
    },
}


def external_secret(name: str, keys: list[tuple[str, str]]) -> dict[str, Any]:
    return {
        "apiVersion": "external-secrets.io/v1",
        "kind": "ExternalSecret",
        "metadata": metadata(name, component="secret"),
        "spec": {
            "refreshInterval": REFRESH,
            "secretStoreRef": {"kind": "ClusterSecretStore", "name": SECRET_STORE},
            "target": {"name": name, "creationPolicy": "Owner"},
            "data": [
                {"secretKey": secret_key, "remoteRef": {"key": remote}}
                for secret_key, remote in keys
            ],
        },
    }


def external_secrets() -> list[dict[str, Any]]:
    return [external_secret(name, keys) for name, keys in SECRETS.items()]
