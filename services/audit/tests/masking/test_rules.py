"""The masking rule, case by case: secrets and selfies by name, e-mails and phones in their
masked forms, JWTs and bearer tokens wherever they appear; what the log needs is kept."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from audit.masking.rules import MASKED, MASKED_TOKEN, mask_payload, mask_raw, mask_text, words_of

JWT = "eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJl"


def test_a_user_event_keeps_who_and_masks_how_to_reach_them() -> None:
    payload = {
        "user_id": "6f1c2a4e",
        "email": "maria@store.example",
        "first_name": "Maria",
        "phone": "+1 555 0100",
        "role": "advisor",
        "store_ids": ["b6a1"],
        "email_verified": True,
    }
    assert mask_payload(payload) == {
        "user_id": "6f1c2a4e",
        "email": "m***@store.example",
        "first_name": "Maria",
        "phone": "***00",
        "role": "advisor",
        "store_ids": ["b6a1"],
        "email_verified": True,
    }


@pytest.mark.parametrize(
    "name",
    [
        "password",
        "reset_token",
        "refreshToken",
        "api_key",
        "apiKey",
        "client_secret",
        "otp",
        "Authorization",
        "session_cookie",
        "credentials",
        "new_passphrase",
    ],
)
def test_secret_names_lose_their_value_whole(name: str) -> None:
    assert mask_payload({name: "s3cr3t-value"}) == {name: MASKED}
    assert mask_payload({name: {"nested": "object"}}) == {name: MASKED}


@pytest.mark.parametrize(
    "name", ["selfie_path", "checkInSelfie", "photo_url", "face_image", "portrait"]
)
def test_selfie_names_lose_their_value(name: str) -> None:
    assert mask_payload({name: "files/attendance/2026/12/u1.jpg"}) == {name: MASKED}


def test_masking_reaches_every_depth_and_free_text() -> None:
    payload = {
        "lines": [{"comment": f"call back on {JWT}", "contact": {"mobile": "0712 345 678"}}],
        "note": "Customer ann.lee@mail.example asked; Bearer abc.def-123 used",
        "image": "/var/attendance/selfies/2026-12-01/u7.webp",
    }
    assert mask_payload(payload) == {
        "lines": [{"comment": f"call back on {MASKED_TOKEN}", "contact": {"mobile": "***78"}}],
        "note": f"Customer a***@mail.example asked; Bearer {MASKED} used",
        "image": MASKED,
    }


@pytest.mark.parametrize(
    "kept",
    [
        {"reason": "unit is sold", "sku": "ITM-000123", "total": "412.16"},
        {"name": "Selfie stick", "code": "NYC-01", "signer_role": "branch_head"},
        {"hotel": "Grand", "interface_id": "eth0", "shipping": "ground"},  # words, not substrings
        {"quantity": 3, "is_active": False, "price": None},
    ],
)
def test_business_fields_are_kept(kept: dict[str, Any]) -> None:
    assert mask_payload(kept) == kept


def test_an_email_field_that_is_no_address_is_masked_whole() -> None:
    assert mask_payload({"email": "maria at home"}) == {"email": MASKED}
    assert mask_payload({"email": ""}) == {"email": ""}


def test_unparseable_text_loses_secret_pairs_and_looks() -> None:
    raw = '{"password": "hunter2", "user": "bob@shop.example", "reset_token": "x\\"y", "t": "' + JWT
    masked = mask_raw(raw)
    assert "hunter2" not in masked and 'x\\"y' not in masked and JWT not in masked
    assert '"password": "[masked]"' in masked and '"reset_token": "[masked]"' in masked
    assert "b***@shop.example" in masked


def test_words_of_splits_snake_camel_and_joins() -> None:
    assert words_of("selfiePath") == {"selfie", "path", "selfiepath"}
    assert words_of("api_key") == {"api", "key", "apikey"}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_values)
@example({"email": "maria@store.example", "phone": "+1 555 0100", "token": "t"})
def test_masking_is_deterministic_and_idempotent(value: Any) -> None:
    once = mask_payload(value)
    assert mask_payload(value) == once  # the chain relies on the same input masking the same
    assert mask_payload(once) == once  # masked text stays as it is


@given(st.text(max_size=200))
def test_no_address_survives_in_any_text(text: str) -> None:
    assert "someone@" not in mask_text(f"{text} someone@example.org")


@pytest.mark.parametrize(
    "text", ["x" * 100_000, "x" * 100_000 + "@", "selfie" + "/" * 100_000 + " ", "a@" * 50_000]
)
def test_long_texts_mask_in_one_pass(text: str) -> None:
    """No pattern backtracks over a long word (a quadratic one would never finish here)."""
    assert len(mask_text(text)) <= len(text)
    assert len(mask_raw('"' + text.replace(" ", "_"))) <= len(text) + 1
