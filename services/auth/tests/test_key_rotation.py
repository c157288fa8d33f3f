"""Rotating the signing key with no downtime (docs/operations.md): auth publishes and accepts
verify-only keys beside the one it signs with, so tokens signed before a rotation keep
working until they expire, and a key is announced before auth signs with it."""

from __future__ import annotations

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
)
from pydantic import SecretStr

from auth.config import AuthSettings
from auth.keys import load_signing_key
from auth.main import build_app
from common.jwk import public_jwk
from common.roles import Role
from tests.conftest import PASSWORD, bearer, private_pem_of, serving


def _public_pem(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()


def _kid(token: str) -> str:
    return str(jwt.get_unverified_header(token)["kid"])


async def test_tokens_of_the_previous_key_work_after_a_rotation_until_it_is_dropped(
    settings: AuthSettings, make_user
) -> None:
    old = load_signing_key(settings).private_key
    new = Ed25519PrivateKey.generate()
    user = await make_user(Role.advisor)
    credentials = {"email": user.email, "password": PASSWORD}

    # Step 1: the next key is published (and accepted) before auth signs with it.
    announced = settings.model_copy(update={"jwt_verify_keys": _public_pem(new)})
    async with serving(build_app(announced)) as client:
        kids = [key["kid"] for key in (await client.get("/api/auth/jwks")).json()["keys"]]
        assert kids == [public_jwk(old)["kid"], public_jwk(new)["kid"]]
        before = (await client.post("/api/auth/login", json=credentials)).json()
        assert _kid(before["access"]) == public_jwk(old)["kid"]

    # Step 2: auth signs with the new key and still accepts the previous one.
    rotated = settings.model_copy(
        update={
            "jwt_private_key": SecretStr(private_pem_of(new)),
            "jwt_verify_keys": _public_pem(old),
        }
    )
    async with serving(build_app(rotated)) as client:
        kids = [key["kid"] for key in (await client.get("/api/auth/jwks")).json()["keys"]]
        assert kids == [public_jwk(new)["kid"], public_jwk(old)["kid"]]
        me = await client.get("/api/auth/me", headers=bearer(before["access"]))
        assert me.status_code == 200, me.text
        refreshed = await client.post("/api/token/refresh", json={"refresh": before["refresh"]})
        assert refreshed.status_code == 200, refreshed.text
        after = refreshed.json()
        assert _kid(after["access"]) == _kid(after["refresh"]) == public_jwk(new)["kid"]

    # Step 3: the previous key dropped: its tokens are refused, the new ones still work.
    dropped = settings.model_copy(
        update={"jwt_private_key": SecretStr(private_pem_of(new)), "jwt_verify_keys": None}
    )
    async with serving(build_app(dropped)) as client:
        refused = await client.get("/api/auth/me", headers=bearer(before["access"]))
        assert refused.status_code == 401
        assert (
            await client.get("/api/auth/me", headers=bearer(after["access"]))
        ).status_code == 200


def test_a_verify_only_key_that_is_not_an_ed25519_public_key_stops_auth_at_start(
    settings: AuthSettings,
) -> None:
    with pytest.raises(RuntimeError, match="no PEM public key"):
        load_signing_key(settings.model_copy(update={"jwt_verify_keys": "not a key"}))
    private_only = private_pem_of(Ed25519PrivateKey.generate())
    with pytest.raises(RuntimeError, match="no PEM public key"):
        load_signing_key(settings.model_copy(update={"jwt_verify_keys": private_only}))
