"""The auth service's settings: signing key, token lifetimes, throttling, first admin, mail."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator

from auth.origins import parse_origins
from common.config import Environment, ServiceSettings


class ServiceClientConfig(BaseModel):
    """One service that may get service tokens: its secret (an argon2 hash; a plain ``secret``
    only in development) and the scopes its tokens carry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    secret_hash: str | None = None
    secret: SecretStr | None = None
    scopes: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_secret(self) -> ServiceClientConfig:
        if (self.secret_hash is None) == (self.secret is None):
            raise ValueError("give a service client exactly one of secret_hash or secret")
        if self.secret_hash is not None and not self.secret_hash.startswith("$argon2"):
            raise ValueError("a service client's secret_hash must be an argon2 hash")
        return self


class AuthSettings(ServiceSettings):
    # The signing key is checked below, by the names of the variables that set it.
    DEV_SECRETS: ClassVar[tuple[str, ...]] = ()

    service_name: str = "auth"
    jwt_private_key: SecretStr | None = None
    jwt_private_key_file: Path | None = None
    # Key rotation with no downtime: Ed25519 public keys (PEM, one after another) that auth
    # publishes in its JWKS and accepts, but never signs with — the next key before auth
    # signs with it, the previous one until its tokens have expired (docs/operations.md).
    jwt_verify_keys: str | None = None
    jwt_verify_keys_file: Path | None = None
    # A fraction is allowed (tests let tokens expire in seconds).
    access_token_minutes: float = Field(default=10, gt=0)
    refresh_token_days: int = 14
    password_reset_minutes: int = 30
    refresh_cookie_name: str = "refresh_token"
    refresh_cookie_secure: bool | None = None  # default: Secure everywhere but development
    # Strict: the cookie only ever rides on the web client's own fetch() calls (architecture.md).
    refresh_cookie_samesite: Literal["strict", "lax", "none"] = "strict"
    # Web clients served from another origin (the gateway's CORS list, gateway.cors): their
    # pages may use the refresh cookie too (auth.origins).
    shopfloor_cors_origins: str = ""
    login_rate_per_ip: str = "20/minute"
    login_rate_per_account: str = "5/minute"
    register_rate_per_ip: str = "10/hour"
    forgot_password_rate_per_ip: str = "5/hour"
    rate_limit_storage_uri: str = "memory://"
    shopfloor_admin_email: str | None = None
    shopfloor_admin_password: SecretStr | None = None
    # Password-reset mail: SMTP_URL, else (development) .eml files in MAIL_DIR.
    smtp_url: SecretStr | None = None
    mail_dir: Path | None = None
    mail_from: str = "Shopfloor <no-reply@shopfloor.local>"
    password_reset_url: str | None = None  # e.g. https://shop.example/reset?token={token}
    # Development only: forgot-password also answers with the token (never a default).
    auth_expose_reset_token: bool = False
    # SERVICE_CLIENTS='{"consignment": {"secret_hash": "$argon2id$...", "scopes": ["users:create"]}}'
    service_clients: dict[str, ServiceClientConfig] = Field(default_factory=dict)
    service_token_minutes: int = Field(default=5, ge=1, le=60)
    service_token_rate_per_client: str = "30/minute"

    @property
    def verify_keys_pem(self) -> str:
        """Every verify-only key, from JWT_VERIFY_KEYS and the file JWT_VERIFY_KEYS_FILE."""
        parts = [self.jwt_verify_keys or ""]
        if self.jwt_verify_keys_file and self.jwt_verify_keys_file.exists():
            parts.append(self.jwt_verify_keys_file.read_text())
        return "\n".join(part for part in parts if part.strip())

    @property
    def mail_directory(self) -> Path:
        return self.mail_dir or Path("var/mail")

    @property
    def signing_key_pem(self) -> SecretStr | None:
        if self.jwt_private_key:
            return self.jwt_private_key
        if self.jwt_private_key_file and self.jwt_private_key_file.exists():
            return SecretStr(self.jwt_private_key_file.read_text())
        return None

    @property
    def cors_origins(self) -> frozenset[str]:
        return parse_origins(self.shopfloor_cors_origins)

    @property
    def cookie_secure(self) -> bool:
        return (
            self.refresh_cookie_secure
            if self.refresh_cookie_secure is not None
            else not self.is_development
        )

    def _signs_tokens(self) -> bool:
        return True

    @model_validator(mode="after")
    def _signing_key_and_first_admin_outside_development(self) -> AuthSettings:
        if (
            self.jwt_private_key_file
            and not self.jwt_private_key_file.exists()
            and not self.jwt_private_key
        ):
            raise ValueError(f"JWT_PRIVATE_KEY_FILE {self.jwt_private_key_file} does not exist")
        if self.refresh_cookie_samesite == "none" and not self.cookie_secure:
            raise ValueError(
                "REFRESH_COOKIE_SAMESITE=none needs a Secure cookie (browsers refuse it)"
            )
        parse_origins(self.shopfloor_cors_origins)  # a malformed origin stops the service here
        if self.smtp_url is not None:
            scheme = self.smtp_url.get_secret_value().split("://", 1)[0]
            if scheme not in ("smtp", "smtps"):
                raise ValueError(
                    "SMTP_URL must look like smtp://user:password@host:587 (or smtps://)"
                )
        if self.is_development:
            return self
        problems = []
        if self.shopfloor_env == Environment.production and not self.cookie_secure:
            problems.append("REFRESH_COOKIE_SECURE=false is refused in production")
        if self.auth_expose_reset_token:
            problems.append(
                "AUTH_EXPOSE_RESET_TOKEN=true is refused outside development: reset tokens go by mail"
            )
        if self.smtp_url is None and self.mail_dir is None:
            problems.append("SMTP_URL (or MAIL_DIR) must be set outside development")
        plain = sorted(name for name, client in self.service_clients.items() if client.secret)
        if plain:
            problems.append(
                f"SERVICE_CLIENTS {', '.join(plain)}: outside development a client's secret is "
                "given as secret_hash (argon2), never in plain text"
            )
        if self.signing_key_pem is None:
            problems.append(
                "JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE must be set outside development"
            )
        if not (self.shopfloor_admin_email and self.shopfloor_admin_password):
            problems.append(
                "SHOPFLOOR_ADMIN_EMAIL and SHOPFLOOR_ADMIN_PASSWORD must be set outside development"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self


@lru_cache
def get_settings() -> AuthSettings:
    return AuthSettings()  # type: ignore[call-arg,unused-ignore]  # from the environment
