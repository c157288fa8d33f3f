"""The masking rule: what personal data and secrets never reach the activity log.

Every payload is masked before it is hashed and stored, so the log, its exports and its
chain only ever hold the masked form. The rule, applied to every value at any depth:

1. **By field name.** A field name is split into words (``reset_token`` → reset, token;
   ``selfiePath`` → selfie, path), and:

   - a *secret* word (password, passwd, passphrase, secret, token, tokens, otp,
     authorization, cookie, credential(s), or the names apikey / api_key) → the whole value
     becomes ``"[masked]"``;
   - a *selfie* word (selfie, selfies, photo, photos, face, portrait) → ``"[masked]"``
     (an attendance selfie's path or URL identifies a face);
   - an *e-mail* word (email, mail) → the e-mail form below;
   - a *phone* word (phone, mobile, tel, telephone, fax, whatsapp) → the phone form below.

2. **By the look of a string**, whatever its field: an e-mail address anywhere in a text
   → its e-mail form; a JWT (``eyJ….….…``) → ``"[masked token]"``; ``Bearer <anything>`` →
   ``Bearer [masked]``; a path or URL naming a selfie (``…/selfies/…``) → ``"[masked]"``.

Forms: an e-mail keeps its first character and its domain (``maria@store.example`` →
``m***@store.example``), so an operator can still tell shops and customers apart; a phone
keeps its last two digits (``+1 555 0100`` → ``***00``). Names, store ids, amounts and
user ids are kept: the log exists to say who did what.

Masking is deterministic (the same payload always masks the same way) and never fails: an
e-mail or phone field holding something other than text (``email_verified: true``) is kept,
an e-mail field whose text is no address is masked whole. Events that cannot be parsed are masked as text with the same patterns plus
``"<secret word>": "<value>"`` pairs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

MASKED = "[masked]"
MASKED_TOKEN = "[masked token]"

SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "passphrase",
        "secret",
        "token",
        "tokens",
        "otp",
        "authorization",
        "cookie",
        "credential",
        "credentials",
        "apikey",
    }
)
SELFIE_WORDS = frozenset({"selfie", "selfies", "photo", "photos", "face", "portrait"})
EMAIL_WORDS = frozenset({"email", "mail"})
PHONE_WORDS = frozenset({"phone", "mobile", "tel", "telephone", "fax", "whatsapp"})

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^A-Za-z0-9]+")
# Bounded repeats (RFC 5321: a local part of at most 64 characters, labels of at most 63):
# an unbounded ``[...]*@`` backtracks quadratically over a long word with no address in it.
_EMAIL = re.compile(
    r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{0,63}@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8})"
)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*")
_BEARER = re.compile(r"\b(Bearer)\s+[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".gif")
_SECRET_PAIR = re.compile(
    r'("(?:[A-Za-z0-9_]{0,64}_)?(?:password|passwd|passphrase|secret|token|otp|authorization|'
    r'cookie|credentials?|api_?key|selfie[A-Za-z0-9_]{0,64})"\s*:\s*)"(?:[^"\\]|\\.)*"',
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def words_of(name: str) -> frozenset[str]:
    """``reset_token`` → {reset, token}; ``selfiePath`` → {selfie, path}; plus the name run
    together (``api_key`` → apikey) so two-word names are found as one. (Field names repeat
    from event to event: cached.)"""
    parts = [part.lower() for part in _SPLIT.split(_CAMEL.sub("_", name)) if part]
    return frozenset({*parts, "".join(parts)})


def is_selfie_path(value: str) -> bool:
    """A path or URL (no spaces; a separator or an image suffix) that names a selfie."""
    if len(value) < 6:
        return False
    lowered = value.lower()
    return (
        "selfie" in lowered
        and not any(character.isspace() for character in value)
        and ("/" in value or "\\" in value or lowered.endswith(IMAGE_SUFFIXES))
    )


def mask_email(value: str) -> str:
    if "@" not in value:
        return value
    return _EMAIL.sub(lambda match: f"{match.group(1)}***@{match.group(2)}", value)


def mask_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return f"***{digits[-2:]}" if len(digits) >= 2 else "***"


def mask_text(value: str) -> str:
    """The look-based part of the rule, for any string (and for unparseable events)."""
    lowered = value.lower()
    if not ("@" in value or "eyJ" in value or "bearer" in lowered or "selfie" in lowered):
        return value  # most strings: nothing below could change them
    if is_selfie_path(value):
        return MASKED
    masked = _JWT.sub(MASKED_TOKEN, value) if "eyJ" in value else value
    if "bearer" in masked.lower():
        masked = _BEARER.sub(lambda match: f"{match.group(1)} {MASKED}", masked)
    return mask_email(masked)


def mask_raw(text: str) -> str:
    """An event that could not be parsed, masked as text: secret-named pairs, then looks."""
    return mask_text(_SECRET_PAIR.sub(lambda match: f'{match.group(1)}"{MASKED}"', text))


def _by_name(name: str, value: Any) -> tuple[bool, Any]:
    """(whether the name decided, the masked value)."""
    words = words_of(name)
    if words & (SECRET_WORDS | SELFIE_WORDS):
        return True, MASKED if value is not None else None
    if not isinstance(value, str):  # e.g. email_verified: true, or a nested object
        return False, value
    if words & EMAIL_WORDS:
        if not value or "***@" in value:  # empty, or masked already
            return True, value
        masked = mask_email(value)
        return True, masked if masked != value else MASKED
    if words & PHONE_WORDS:
        return True, mask_phone(value)
    return False, value


def mask_payload(value: Any) -> Any:
    """The payload with the rule applied at every depth (a new object; the input is untouched)."""
    if isinstance(value, dict):
        masked: dict[str, Any] = {}
        for key, item in value.items():
            decided, result = _by_name(str(key), item)
            masked[key] = result if decided else mask_payload(item)
        return masked
    if isinstance(value, list):
        return [mask_payload(item) for item in value]
    if isinstance(value, str):
        return mask_text(value)
    return value
