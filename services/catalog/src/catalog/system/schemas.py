"""System bodies: the version and build of every running service."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Reach(StrEnum):
    ok = "ok"
    unreachable = "unreachable"  # no answer within the timeout, or no connection
    error = "error"  # it answered, but not with its version (a non-200, or not JSON)


class ServiceVersion(BaseModel):
    service: str
    status: Reach
    version: str | None = Field(description="null unless status is ok")
    detail: str | None = Field(description="Why the version is missing; null when ok")


class Build(BaseModel):
    commit: str | None = Field(description="BUILD_COMMIT of the deployment; null when unset")
    built_at: str | None = Field(description="BUILD_TIME of the deployment; null when unset")


class VersionOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "version": "0.1.0",
                "build": {"commit": "cd61e95", "built_at": "2026-12-01T18:00:00Z"},
                "services": [
                    {"service": "catalog", "status": "ok", "version": "0.1.0", "detail": None},
                    {"service": "auth", "status": "ok", "version": "0.1.0", "detail": None},
                    {
                        "service": "pos",
                        "status": "unreachable",
                        "version": None,
                        "detail": "no answer within 1.0 s (ConnectError)",
                    },
                ],
            }
        }
    )
    version: str = Field(description="The version of the service that answered (catalog)")
    build: Build
    services: list[ServiceVersion] = Field(
        description="Catalog first, then every service of SERVICE_URLS by name"
    )
