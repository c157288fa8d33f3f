"""Starting auth: settings that refuse to run unsafely, and the ``shopfloor-auth`` command line.

Outside development auth needs its signing key, its first admin and a way to
send mail from the environment, says which variable is missing, and refuses to
put reset tokens in responses. ``prestart`` migrates a fresh
database and creates that admin exactly once; ``create-admin`` refuses a weak
password with an error a person can act on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import Result
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from pydantic import ValidationError
from typer.testing import CliRunner

from auth.cli import app as cli
from auth.config import AuthSettings, get_settings
from auth.main import build_app
from auth.secrets.hashing import verify_password
from tests.conftest import PASSWORD

ADMIN_EMAIL = "first.admin@example.com"
AUTH_VARIABLES = (
    "DATABASE_URL",
    "NATS_URL",
    "SHOPFLOOR_ENV",
    "JWT_PRIVATE_KEY",
    "JWT_PRIVATE_KEY_FILE",
    "JWT_JWKS_URL",
    "JWT_PUBLIC_KEYS",
    "SHOPFLOOR_ADMIN_EMAIL",
    "SHOPFLOOR_ADMIN_PASSWORD",
    "SMTP_URL",
    "MAIL_DIR",
    "AUTH_EXPOSE_RESET_TOKEN",
    "SERVICE_CLIENTS",
    "SHOPFLOOR_CORS_ORIGINS",
    "REFRESH_COOKIE_SECURE",
    "REFRESH_COOKIE_SAMESITE",
    "ACCESS_TOKEN_MINUTES",
)
SMTP_URL = "smtp://mailer:secret@mail.example.com:587"


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Set auth's environment from scratch; ``get_settings`` re-reads it (its cache is cleared)."""

    def set_env(**variables: str) -> None:
        for name in AUTH_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in variables.items():
            monkeypatch.setenv(name.upper(), value)
        get_settings.cache_clear()

    set_env()
    yield set_env
    get_settings.cache_clear()


def _message(error: pytest.ExceptionInfo[ValidationError]) -> str:
    return str(error.value.errors()[0]["msg"])


@pytest.mark.parametrize("env", ["production", "test"])
def test_outside_development_the_first_admin_is_required(environment, private_pem, env) -> None:
    environment(database_url="postgresql://db/auth", shopfloor_env=env, jwt_private_key=private_pem)
    with pytest.raises(ValidationError) as missing:
        AuthSettings()  # type: ignore[call-arg]
    assert "SHOPFLOOR_ADMIN_EMAIL and SHOPFLOOR_ADMIN_PASSWORD must be set" in _message(missing)
    assert "JWT_PRIVATE_KEY" not in _message(missing)

    environment(
        database_url="postgresql://db/auth",
        shopfloor_env=env,
        jwt_private_key=private_pem,
        shopfloor_admin_email=ADMIN_EMAIL,
    )
    with pytest.raises(ValidationError) as half:
        AuthSettings()  # type: ignore[call-arg]
    assert "SHOPFLOOR_ADMIN_PASSWORD" in _message(half)


def test_outside_development_a_signing_key_is_required(environment) -> None:
    environment(
        database_url="postgresql://db/auth",
        shopfloor_env="production",
        shopfloor_admin_email=ADMIN_EMAIL,
        shopfloor_admin_password=PASSWORD,
        smtp_url=SMTP_URL,
    )
    with pytest.raises(ValidationError) as missing:
        AuthSettings()  # type: ignore[call-arg]
    assert _message(missing) == (
        "Value error, JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE must be set outside development"
    )

    environment(
        database_url="postgresql://db/auth",
        shopfloor_env="production",
        jwt_private_key_file="/nonexistent/auth-signing.pem",
        shopfloor_admin_email=ADMIN_EMAIL,
        shopfloor_admin_password=PASSWORD,
    )
    with pytest.raises(ValidationError) as no_file:
        AuthSettings()  # type: ignore[call-arg]
    assert "JWT_PRIVATE_KEY_FILE /nonexistent/auth-signing.pem does not exist" in _message(no_file)


def test_nothing_set_names_every_missing_variable(environment) -> None:
    environment(database_url="postgresql://db/auth", shopfloor_env="production")
    with pytest.raises(ValidationError) as missing:
        AuthSettings()  # type: ignore[call-arg]
    for variable in (
        "JWT_PRIVATE_KEY",
        "SHOPFLOOR_ADMIN_EMAIL",
        "SHOPFLOOR_ADMIN_PASSWORD",
        "SMTP_URL",
    ):
        assert variable in _message(missing)


def test_reset_tokens_never_go_in_responses_outside_development(environment, private_pem) -> None:
    production = {
        "database_url": "postgresql://db/auth",
        "shopfloor_env": "production",
        "jwt_private_key": private_pem,
        "shopfloor_admin_email": ADMIN_EMAIL,
        "shopfloor_admin_password": PASSWORD,
        "smtp_url": SMTP_URL,
    }
    environment(**production, auth_expose_reset_token="true")
    with pytest.raises(ValidationError) as refused:
        AuthSettings()  # type: ignore[call-arg]
    assert "AUTH_EXPOSE_RESET_TOKEN=true is refused outside development" in _message(refused)
    environment(**{**production, "smtp_url": "http://mail.example.com"})
    with pytest.raises(ValidationError) as bad_url:
        AuthSettings()  # type: ignore[call-arg]
    assert "SMTP_URL must look like smtp://" in _message(bad_url)
    environment(database_url="postgresql://db/auth", auth_expose_reset_token="true")
    assert get_settings().auth_expose_reset_token is True  # development may, when told to
    environment(database_url="postgresql://db/auth")
    assert get_settings().auth_expose_reset_token is False  # and never by default


def test_a_complete_production_environment_starts_with_its_key(
    environment, private_pem, tmp_path: Path
) -> None:
    key_file = tmp_path / "signing.pem"
    key_file.write_text(private_pem)
    for key in ({"jwt_private_key": private_pem}, {"jwt_private_key_file": str(key_file)}):
        environment(
            database_url="postgresql://db/auth",
            shopfloor_env="production",
            shopfloor_admin_email=ADMIN_EMAIL,
            shopfloor_admin_password=PASSWORD,
            smtp_url=SMTP_URL,
            **key,
        )
        settings = get_settings()
        assert settings.cookie_secure is True  # refresh cookies are Secure outside development
        app = build_app(settings)
        configured = load_pem_private_key(private_pem.encode(), password=None)
        # The configured key signs, not an ephemeral one.
        assert app.state.signing_key.private_key.private_bytes_raw() == (
            configured.private_bytes_raw()  # type: ignore[union-attr]
        )


def test_production_refuses_a_cookie_without_secure(environment, private_pem) -> None:
    environment(
        database_url="postgresql://db/auth",
        shopfloor_env="production",
        shopfloor_admin_email=ADMIN_EMAIL,
        shopfloor_admin_password=PASSWORD,
        smtp_url=SMTP_URL,
        jwt_private_key=private_pem,
        refresh_cookie_secure="false",
    )
    with pytest.raises(ValidationError, match="REFRESH_COOKIE_SECURE=false is refused"):
        get_settings()


def test_in_development_the_cookie_is_not_secure(environment) -> None:
    """A developer's http://localhost page must get it; everywhere else it is Secure (the
    production test above, and test_refresh_cookie.py in SHOPFLOOR_ENV=test)."""
    environment(database_url="postgresql://db/auth", shopfloor_env="development")
    assert get_settings().cookie_secure is False


def test_samesite_is_strict_unless_told_and_none_needs_secure(environment) -> None:
    environment(database_url="postgresql://db/auth")
    assert get_settings().refresh_cookie_samesite == "strict"
    environment(database_url="postgresql://db/auth", refresh_cookie_samesite="lax")
    assert get_settings().refresh_cookie_samesite == "lax"
    environment(database_url="postgresql://db/auth", refresh_cookie_samesite="none")
    with pytest.raises(ValidationError, match="needs a Secure cookie"):
        get_settings()
    environment(database_url="postgresql://db/auth", refresh_cookie_samesite="sometimes")
    with pytest.raises(ValidationError, match="refresh_cookie_samesite"):
        get_settings()


def test_the_listed_origins_are_read_and_a_malformed_one_stops_auth(environment) -> None:
    environment(
        database_url="postgresql://db/auth",
        shopfloor_cors_origins="https://shop.example, http://127.0.0.1:5173",
    )
    assert get_settings().cors_origins == {"https://shop.example", "http://127.0.0.1:5173"}
    environment(database_url="postgresql://db/auth")
    assert get_settings().cors_origins == frozenset()
    for bad in ("*", "https://shop.example/", "https://Shop.example", "https://shop.example:443"):
        environment(database_url="postgresql://db/auth", shopfloor_cors_origins=bad)
        with pytest.raises(ValidationError, match="SHOPFLOOR_CORS_ORIGINS"):
            get_settings()


def test_the_access_lifetime_may_be_a_fraction_of_a_minute(environment) -> None:
    environment(database_url="postgresql://db/auth", access_token_minutes="0.05")
    assert get_settings().access_token_minutes == 0.05
    environment(database_url="postgresql://db/auth", access_token_minutes="0")
    with pytest.raises(ValidationError, match="access_token_minutes"):
        get_settings()


def test_development_starts_without_key_or_admin(environment) -> None:
    environment(database_url="postgresql://db/auth", shopfloor_env="development")
    settings = get_settings()
    assert settings.is_development and settings.signing_key_pem is None
    assert build_app(settings).state.signing_key.kid  # an ephemeral development key


# The command line, against a fresh database.


@pytest.fixture
def cli_database(fresh_database, environment, nats_url) -> str:
    url: str = fresh_database("auth_cli")
    environment(
        database_url=url,
        nats_url=nats_url,
        shopfloor_env="development",
        shopfloor_admin_email=ADMIN_EMAIL,
        shopfloor_admin_password=PASSWORD,
    )
    return url


def _admins(url: str) -> list[tuple[str, str, bool]]:
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT email, password_hash, is_active FROM users WHERE role = 'system_admin'"
        ).fetchall()
    return [(str(email), str(password_hash), bool(active)) for email, password_hash, active in rows]


def _invoke(*args: str) -> Result:
    get_settings.cache_clear()  # each run reads the environment, as a new process would
    return CliRunner().invoke(cli, list(args))


def test_prestart_migrates_and_creates_the_first_admin_exactly_once(cli_database) -> None:
    first = _invoke("prestart")
    assert first.exit_code == 0, first.output
    assert "migrations at head" in first.output
    assert f"first system_admin {ADMIN_EMAIL} created" in first.output
    [(email, password_hash, active)] = _admins(cli_database)
    assert email == ADMIN_EMAIL and active and verify_password(password_hash, PASSWORD)
    with psycopg.connect(cli_database) as connection:
        [(subject,)] = connection.execute("SELECT subject FROM event_outbox").fetchall()
    assert subject == "auth.user.created"  # published once the service's relay runs

    second = _invoke("prestart")
    assert second.exit_code == 0, second.output
    assert "a system_admin exists" in second.output
    assert len(_admins(cli_database)) == 1


def test_create_admin_refuses_a_weak_password_clearly(cli_database) -> None:
    assert _invoke("migrate").exit_code == 0
    result = _invoke("create-admin", "--email", "second@example.com", "--password", "short")
    assert result.exit_code == 1
    assert result.stderr == "error: Password must be at least 10 characters long.\n"
    assert _admins(cli_database) == []

    created = _invoke("create-admin", "--email", "second@example.com", "--password", PASSWORD)
    assert created.exit_code == 0, created.output
    assert [email for email, _, _ in _admins(cli_database)] == ["second@example.com"]
    duplicate = _invoke("create-admin", "--email", "Second@example.com", "--password", PASSWORD)
    assert duplicate.exit_code == 1
    assert "already exists" in duplicate.stderr
