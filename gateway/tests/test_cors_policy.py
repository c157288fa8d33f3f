"""gateway.cors: what a SHOPFLOOR_CORS_ORIGINS value may hold."""

from __future__ import annotations

import pytest

from gateway.cors import ALLOW_HEADERS, parse_origins


def test_origins_are_split_trimmed_and_deduplicated() -> None:
    text = " https://shop.example, http://127.0.0.1:5173 ,,https://shop.example "
    assert parse_origins(text) == ("https://shop.example", "http://127.0.0.1:5173")


def test_an_empty_value_lists_no_origin() -> None:
    assert parse_origins("") == () and parse_origins(" , ") == ()


@pytest.mark.parametrize(
    "origin",
    [
        "*",
        "null",
        "shop.example",
        "https://shop.example/",
        "https://shop.example/app",
        "HTTPS://shop.example",
        "https://Shop.Example",
        "ftp://shop.example",
        "https://shop.example:443",
        "http://shop.example:80",
        "http://shop.example:0",
        "http://shop.example:70000",
        "https://user@shop.example",
        "https://shop.example?x=1",
    ],
)
def test_anything_a_browser_would_not_send_as_origin_is_refused(origin: str) -> None:
    with pytest.raises(ValueError, match="SHOPFLOOR_CORS_ORIGINS"):
        parse_origins(f"https://ok.example,{origin}")


@pytest.mark.parametrize(
    "origin", ["http://localhost:5173", "https://app.shop.example", "http://[::1]:8080"]
)
def test_browser_origins_are_accepted(origin: str) -> None:
    assert parse_origins(origin) == (origin,)


def test_the_headers_clients_send_are_allowed() -> None:
    assert set(ALLOW_HEADERS) == {
        "Authorization",
        "Content-Type",
        "Idempotency-Key",
        "X-Request-ID",
    }
