"""Settings every service shares, read from the environment with pydantic-settings.

A service subclasses ``ServiceSettings`` for its own fields. Outside development
the settings refuse values that are only safe on a developer's machine.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

from fastapi import Request
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from common.pool import PING_AFTER_IDLE_SECONDS

# Values that must never reach production; a service lists its own in DEV_SECRETS.
DEV_SECRET_MARKERS = ("changeme", "dev-", "insecure", "secret")


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


def normalise_database_url(url: str) -> str:
    """Any ``postgres://`` / ``postgresql://`` spelling → the psycopg 3 async driver URL."""
    for prefix in (
        "postgres://",
        "postgresql://",
        "postgresql+psycopg2://",
        "postgresql+asyncpg://",
    ):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    if url.startswith("postgresql+psycopg://"):
        return url
    raise ValueError(
        f"DATABASE_URL must be a PostgreSQL URL (postgresql://...), got {url.split(':')[0]}://"
    )


class ServiceSettings(BaseSettings):
    """The environment of one service. Field names are the variable names, case-insensitive."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    # Names of SecretStr fields whose values must not look like dev defaults outside development.
    DEV_SECRETS: ClassVar[tuple[str, ...]] = ()

    service_name: str = "service"
    shopfloor_env: Environment = Environment.development
    database_url: str = Field(..., description="The service's own PostgreSQL database")
    database_pool_size: int = 10
    # A pooled connection unused this long is closed (common.pool); 0 keeps them all open.
    database_pool_idle_seconds: float = Field(default=30.0, ge=0)
    # A pooled connection idle this long is pinged before use (common.pool.ping_when_idle).
    database_ping_after_idle_seconds: float = Field(default=PING_AFTER_IDLE_SECONDS, ge=0)
    nats_url: str = "nats://127.0.0.1:4222"
    # How many NATS servers keep each stream this service creates (JetStream's num_replicas):
    # 1 on a single server (`make up`, compose), 3 on the Kubernetes NATS cluster (deploy/k8s).
    nats_stream_replicas: int = Field(default=1, ge=1, le=5)
    jwt_issuer: str = "shopfloor-auth"
    jwt_audience: str = "shopfloor"
    jwt_algorithm: str = "EdDSA"
    jwt_jwks_url: str | None = None
    jwt_public_keys: str | None = None
    jwks_refetch_interval_seconds: float = 30.0
    page_size_default: int = Field(default=20, ge=1)
    # Bounded so that the deepest OFFSET (common.pagination.MAX_PAGE pages) stays far below bigint.
    page_size_max: int = Field(default=100, ge=1, le=10_000)
    # Request bodies above this are refused with 413 before they are read into memory
    # (common.bodies); a route taking files gets max_upload_bytes, and any route can declare
    # its own cap with FastAPI's ``max_body_size=`` route parameter.
    max_body_bytes: int = Field(default=1024 * 1024, ge=1)
    max_upload_bytes: int = Field(default=10 * 1024 * 1024, ge=1)
    # Swagger UI and the OpenAPI document under /docs/<service>: unset means on everywhere
    # except in production.
    docs_enabled: bool | None = None
    log_level: str = "INFO"
    otel_exporter_otlp_endpoint: str | None = None
    event_max_deliver: int = 5
    event_ack_wait_seconds: float = 30.0
    event_batch_size: int = Field(default=100, ge=1, le=1000)
    # The revocation snapshot follows LISTEN/NOTIFY; this poll only covers a lost notification.
    revocation_poll_seconds: float = 5.0
    # Calling another service as this one (common.service_client): the client auth knows us by
    # (its SERVICE_CLIENTS entry) and where the others are, e.g. {"auth": "http://auth:8000"}.
    service_client_id: str | None = None
    service_client_secret: SecretStr | None = None
    service_urls: dict[str, str] = Field(default_factory=dict)

    @field_validator("database_url")
    @classmethod
    def _normalise_database_url(cls, value: str) -> str:
        return normalise_database_url(value)

    @property
    def is_development(self) -> bool:
        return self.shopfloor_env == Environment.development

    @property
    def serves_docs(self) -> bool:
        """``DOCS_ENABLED`` when set, otherwise everywhere but in production."""
        if self.docs_enabled is not None:
            return self.docs_enabled
        return self.shopfloor_env != Environment.production

    @model_validator(mode="after")
    def _refuse_dev_values_outside_development(self) -> ServiceSettings:
        if self.is_development:
            return self
        problems: list[str] = []
        for name in (
            *self.DEV_SECRETS,
            *(("service_client_secret",) if self.service_client_id else ()),
        ):
            value: Any = getattr(self, name, None)
            raw = value.get_secret_value() if isinstance(value, SecretStr) else value
            if not raw:
                problems.append(
                    f"{name.upper()} must be set when SHOPFLOOR_ENV={self.shopfloor_env}"
                )
            elif (
                any(marker in str(raw).lower() for marker in DEV_SECRET_MARKERS)
                and len(str(raw)) < 40
            ):
                problems.append(f"{name.upper()} looks like a development default")
        if not (self.jwt_jwks_url or self.jwt_public_keys) and not self._signs_tokens():
            problems.append("JWT_JWKS_URL or JWT_PUBLIC_KEYS must be set outside development")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def _signs_tokens(self) -> bool:
        """The token issuer (auth) verifies with its own keys; it overrides this."""
        return False


S = TypeVar("S", bound=ServiceSettings)


def settings_of(cls: type[S]) -> Callable[[Request], S]:
    """A dependency returning the app's settings as ``cls``:
    ``SettingsDep = Annotated[PosSettings, Depends(settings_of(PosSettings))]``."""

    def get_settings(request: Request) -> S:
        settings = request.app.state.settings
        if not isinstance(settings, cls):
            raise TypeError(f"the app runs with {type(settings).__name__}, not {cls.__name__}")
        return settings

    get_settings.__name__ = f"get_{cls.__name__}"
    return get_settings
