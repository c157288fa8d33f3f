"""Ed25519 keys as JWKs, with a stable ``kid`` (RFC 7638 thumbprint)."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def public_jwk(key: Any) -> dict[str, str]:
    """The public JWK of an Ed25519 key (private or public), ``kid`` = its thumbprint."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    if not isinstance(public, Ed25519PublicKey):
        raise ValueError("only Ed25519 keys are supported (EdDSA)")
    x = _b64(public.public_bytes(Encoding.Raw, PublicFormat.Raw))
    thumbprint_input = json.dumps({"crv": "Ed25519", "kty": "OKP", "x": x}, separators=(",", ":"))
    kid = _b64(hashlib.sha256(thumbprint_input.encode()).digest())[:16]
    return {"kty": "OKP", "crv": "Ed25519", "x": x, "kid": kid, "alg": "EdDSA", "use": "sig"}
