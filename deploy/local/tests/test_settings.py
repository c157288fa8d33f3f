"""The runner's settings: defaults, validation, admin rules, URLs, the JWT key."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopfloor_local.keys import ensure_jwt_key
from shopfloor_local.routes import write_caddyfile
from shopfloor_local.settings import (
    DEV_ADMIN_EMAIL,
    DEV_ADMIN_PASSWORD,
    Settings,
    SettingsError,
    with_database,
)


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert (settings.gateway_port, settings.pg_port, settings.nats_port) == (8000, 5433, 4222)
    assert (settings.nats_monitor_port, settings.service_port_base) == (8222, 8100)
    assert settings.data_dir == Path("var").resolve()
    assert settings.embedded_postgres and settings.embedded_nats
    assert settings.database_url("pos") == "postgresql://postgres@127.0.0.1:5433/shopfloor_pos"
    assert settings.nats_url == "nats://127.0.0.1:4222"


def test_external_servers_replace_the_embedded_ones() -> None:
    settings = Settings.from_env(
        {
            "SHOPFLOOR_DATABASE_URL": "postgresql+psycopg://u:p@db:5432/postgres?sslmode=require",
            "NATS_URL": "nats://bus:4222",
        }
    )
    assert not settings.embedded_postgres and not settings.embedded_nats
    assert (
        settings.database_url("auth") == "postgresql://u:p@db:5432/shopfloor_auth?sslmode=require"
    )
    assert settings.nats_url == "nats://bus:4222"
    assert Settings.from_env(settings.to_env()) == settings


def test_cors_origins_are_same_origin_only_by_default_and_reach_the_children() -> None:
    assert Settings.from_env({}).cors_origins == ()
    settings = Settings.from_env(
        {"SHOPFLOOR_CORS_ORIGINS": "https://shop.example, http://127.0.0.1:5173"}
    )
    assert settings.cors_origins == ("https://shop.example", "http://127.0.0.1:5173")
    assert (
        settings.to_env()["SHOPFLOOR_CORS_ORIGINS"] == "https://shop.example,http://127.0.0.1:5173"
    )
    assert Settings.from_env(settings.to_env()) == settings


def test_a_malformed_cors_origin_is_named() -> None:
    with pytest.raises(SettingsError, match=r"SHOPFLOOR_CORS_ORIGINS.*https://shop\.example/"):
        Settings.from_env({"SHOPFLOOR_CORS_ORIGINS": "https://shop.example/"})


def test_the_caddyfile_answers_cors_for_the_listed_origins(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {"SHOPFLOOR_DATA_DIR": str(tmp_path), "SHOPFLOOR_CORS_ORIGINS": "https://shop.example"}
    )
    text = write_caddyfile(settings, []).read_text()
    assert "@cors_preflight" in text and "header Origin https://shop.example" in text
    assert (
        "@cors_preflight"
        not in write_caddyfile(
            Settings.from_env({"SHOPFLOOR_DATA_DIR": str(tmp_path)}), []
        ).read_text()
    )


def test_bad_port_is_named() -> None:
    with pytest.raises(SettingsError, match="SHOPFLOOR_PG_PORT"):
        Settings.from_env({"SHOPFLOOR_PG_PORT": "five"})
    with pytest.raises(SettingsError, match="SHOPFLOOR_GATEWAY_PORT"):
        Settings.from_env({"SHOPFLOOR_GATEWAY_PORT": "70000"})


def test_admin_defaults_only_in_development() -> None:
    dev = Settings.from_env({}).with_admin_defaults()
    assert (dev.admin_email, dev.admin_password) == (DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD)
    with pytest.raises(SettingsError, match="SHOPFLOOR_ADMIN_PASSWORD"):
        Settings.from_env(
            {"SHOPFLOOR_ENV": "production", "SHOPFLOOR_ADMIN_EMAIL": "a@b.c"}
        ).with_admin_defaults()
    given = Settings.from_env(
        {"SHOPFLOOR_ENV": "test", "SHOPFLOOR_ADMIN_EMAIL": "a@b.c", "SHOPFLOOR_ADMIN_PASSWORD": "x"}
    )
    assert given.with_admin_defaults() == given


def test_with_database_rejects_other_schemes() -> None:
    with pytest.raises(SettingsError):
        with_database("mysql://db/x", "shopfloor_pos")


def test_jwt_key_is_made_once_and_private(tmp_path: Path) -> None:
    key = tmp_path / "keys" / "jwt-ed25519.pem"
    assert ensure_jwt_key(key) is True
    first = key.read_bytes()
    assert ensure_jwt_key(key) is False
    assert key.read_bytes() == first
    assert key.stat().st_mode & 0o777 == 0o600
    assert key.parent.stat().st_mode & 0o777 == 0o700
    assert list(key.parent.iterdir()) == [key]


def test_workers_default_and_per_service() -> None:
    settings = Settings.from_env({"SHOPFLOOR_WORKERS": "3", "SHOPFLOOR_WORKERS_POS": "2"})
    assert (settings.workers_of("pos"), settings.workers_of("auth")) == (2, 3)
    assert Settings.from_env({}).workers_of("pos") == 1
    assert Settings.from_env(settings.to_env()) == settings
    with pytest.raises(SettingsError, match="SHOPFLOOR_WORKERS_POS"):
        Settings.from_env({"SHOPFLOOR_WORKERS_POS": "two"})
    with pytest.raises(SettingsError, match="SHOPFLOOR_WORKERS=0"):
        Settings.from_env({"SHOPFLOOR_WORKERS": "0"})
