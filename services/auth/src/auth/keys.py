"""The Ed25519 signing key and the JWKS that publishes its public half.

Outside development the key must come from ``JWT_PRIVATE_KEY`` or
``JWT_PRIVATE_KEY_FILE`` (settings refuse to start otherwise). In development
without one, an ephemeral key is generated: tokens then die with the process.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from jwt import PyJWK

from auth.config import AuthSettings
from common.jwk import public_jwk
from common.security import KeyStore

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SigningKey:
    private_key: Ed25519PrivateKey

    @cached_property
    def jwk(self) -> dict[str, str]:
        return public_jwk(self.private_key)

    @property
    def kid(self) -> str:
        return self.jwk["kid"]

    def jwks(self) -> dict[str, list[dict[str, str]]]:
        return {"keys": [self.jwk]}

    def key_store(self) -> KeyStore:
        """Auth verifies its own tokens with its own public key, no HTTP round trip."""
        return KeyStore(static_keys={self.kid: PyJWK.from_dict(self.jwk)})


def load_signing_key(settings: AuthSettings) -> SigningKey:
    pem = settings.signing_key_pem
    if pem is None:
        if not settings.is_development:
            raise RuntimeError(
                "JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE must be set outside development"
            )
        logger.warning("no JWT signing key configured: using an ephemeral development key")
        return SigningKey(Ed25519PrivateKey.generate())
    key = load_pem_private_key(pem.get_secret_value().encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise RuntimeError("the JWT signing key must be an Ed25519 private key (PEM, PKCS#8)")
    return SigningKey(key)
