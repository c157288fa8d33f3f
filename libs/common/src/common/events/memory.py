"""An in-memory publisher for unit tests of handlers and services (never for flow tests)."""

from __future__ import annotations

from common.events.envelope import Envelope


class InMemoryPublisher:
    def __init__(self) -> None:
        self.published: list[tuple[Envelope, dict[str, str]]] = []

    async def publish(self, envelope: Envelope, headers: dict[str, str]) -> None:
        self.published.append((envelope, headers))

    def subjects(self) -> list[str]:
        return [envelope.type for envelope, _ in self.published]
