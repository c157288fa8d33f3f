"""A verified token is not verified again on every request, and still expires on time."""

from __future__ import annotations

import time

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from common.jwk import public_jwk
from common.security import InvalidToken, KeyStore, TokenVerifier
from common.testing.plugin import TEST_AUDIENCE, TEST_ISSUER, mint


@pytest.fixture
def verifier(signing_key: Ed25519PrivateKey) -> TokenVerifier:
    from jwt import PyJWK

    jwk = public_jwk(signing_key)
    keys = KeyStore(static_keys={jwk["kid"]: PyJWK.from_dict(jwk)})
    return TokenVerifier(keys, issuer=TEST_ISSUER, audience=TEST_AUDIENCE, cache_size=2)


async def test_the_same_token_is_verified_once(verifier, signing_key, monkeypatch) -> None:
    token = mint(signing_key, user_id="u1")
    first = await verifier.caller(token)

    def must_not_decode(*_: object, **__: object) -> None:
        raise AssertionError("decoded again")

    monkeypatch.setattr("jwt.decode", must_not_decode)
    assert await verifier.caller(token) is first


async def test_a_cached_token_still_expires(verifier, signing_key, monkeypatch) -> None:
    token = mint(signing_key, user_id="u1")
    caller = await verifier.caller(token)
    assert caller.expires_at is not None
    later = caller.expires_at.timestamp() + TokenVerifier.LEEWAY_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    verified_again: list[str] = []

    async def verify(token: str, **_: object) -> dict[str, object]:
        verified_again.append(token)
        raise InvalidToken("token has expired")  # what PyJWT says at that hour

    monkeypatch.setattr(verifier, "decode", verify)
    with pytest.raises(InvalidToken, match="expired"):
        await verifier.caller(token)
    assert verified_again == [token] and token not in verifier._verified


async def test_the_cache_keeps_only_the_most_recent_tokens(verifier, signing_key) -> None:
    tokens = [mint(signing_key, user_id=f"u{number}") for number in range(3)]
    for token in tokens:
        await verifier.caller(token)
    assert list(verifier._verified) == tokens[1:]
