"""The Ed25519 signing key and the JWKS that publishes its public half.

Outside development the key must come from ``JWT_PRIVATE_KEY`` or
``JWT_PRIVATE_KEY_FILE`` (settings refuse to start otherwise). In development
without one, an ephemeral key is generated: tokens then die with the process.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import cached_property

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key
from jwt import PyJWK

from auth.config import AuthSettings
from common.jwk import public_jwk
from common.security import KeyStore

logger = logging.getLogger(__name__)


_PUBLIC_PEM = re.compile(r"-----BEGIN PUBLIC KEY-----.+?-----END PUBLIC KEY-----", re.S)


@dataclass(frozen=True)
class SigningKey:
    """The key auth signs with, and the verify-only keys of a rotation beside it."""

    private_key: Ed25519PrivateKey
    verify_only: tuple[Ed25519PublicKey, ...] = field(default=())

    @cached_property
    def jwk(self) -> dict[str, str]:
        return public_jwk(self.private_key)

    @property
    def kid(self) -> str:
        return self.jwk["kid"]

    @cached_property
    def published(self) -> list[dict[str, str]]:
        """The signing key first, then each verify-only key (a key named twice, once)."""
        keys = [self.jwk]
        for key in self.verify_only:
            jwk = public_jwk(key)
            if all(jwk["kid"] != known["kid"] for known in keys):
                keys.append(jwk)
        return keys

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": self.published}

    def key_store(self) -> KeyStore:
        """Auth verifies its own tokens with its own public keys, no HTTP round trip."""
        return KeyStore(static_keys={jwk["kid"]: PyJWK.from_dict(jwk) for jwk in self.published})


def load_verify_keys(pem: str) -> tuple[Ed25519PublicKey, ...]:
    """Every ``PUBLIC KEY`` block of ``pem`` (an Ed25519 public key each), in order."""
    blocks = _PUBLIC_PEM.findall(pem)
    if pem.strip() and not blocks:
        raise RuntimeError("JWT_VERIFY_KEYS holds no PEM public key (-----BEGIN PUBLIC KEY-----)")
    keys = []
    for block in blocks:
        key = load_pem_public_key(block.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise RuntimeError("a JWT verify-only key must be an Ed25519 public key (PEM)")
        keys.append(key)
    return tuple(keys)


def load_signing_key(settings: AuthSettings) -> SigningKey:
    pem = settings.signing_key_pem
    if pem is None:
        if not settings.is_development:
            raise RuntimeError(
                "JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE must be set outside development"
            )
        logger.warning("no JWT signing key configured: using an ephemeral development key")
        return SigningKey(Ed25519PrivateKey.generate(), load_verify_keys(settings.verify_keys_pem))
    key = load_pem_private_key(pem.get_secret_value().encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise RuntimeError("the JWT signing key must be an Ed25519 private key (PEM, PKCS#8)")
    return SigningKey(key, load_verify_keys(settings.verify_keys_pem))
