"""The Ed25519 key auth signs JWTs with: generated once, kept across restarts, owner-only."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def ensure_jwt_key(path: Path) -> bool:
    """Write a new PEM private key at ``path`` (mode 0600) unless one is there; True if created."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    if path.exists():
        path.chmod(0o600)
        return False
    pem = Ed25519PrivateKey.generate().private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    # Written to a private temporary file, then linked: the key never exists half-written or
    # world-readable, and a runner never overwrites a key another one has just made.
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=".jwt-key-")
    temporary = Path(name)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    try:
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        temporary.unlink()
    return True


def ensure_service_secret(path: Path) -> str:
    """A caller's service secret at ``path`` (made once, mode 0600, kept across runs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=".service-secret-")
        temporary = Path(name)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(32))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another runner made it first: theirs is the one
        finally:
            temporary.unlink()
    path.chmod(0o600)
    return path.read_text(encoding="ascii").strip()
