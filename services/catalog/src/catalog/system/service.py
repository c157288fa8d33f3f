"""The system report: this service's version and build, and every other running service's
version (asked concurrently, each within ``VERSION_PROBE_TIMEOUT_SECONDS``)."""

from __future__ import annotations

from catalog.config import CatalogSettings
from catalog.system.probe import versions
from catalog.system.schemas import Build, Reach, ServiceVersion, VersionOut


class SystemService:
    def __init__(self, settings: CatalogSettings, version: str) -> None:
        self.settings = settings
        self.version = version

    async def versions(self) -> VersionOut:
        name = self.settings.service_name
        others = {key: url for key, url in self.settings.service_urls.items() if key != name}
        found = await versions(others, timeout=self.settings.version_probe_timeout_seconds)
        itself = ServiceVersion(service=name, status=Reach.ok, version=self.version, detail=None)
        return VersionOut(
            version=self.version,
            build=Build(commit=self.settings.build_commit, built_at=self.settings.build_time),
            services=[itself, *found],
        )
