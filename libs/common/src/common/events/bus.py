"""The event bus: an interface, the NATS JetStream transport, and stream set-up.

Streams are created idempotently by whoever needs them first (the publisher or
a consumer), with the same configuration on both sides: file storage, the dedupe
window, and ``stream_replicas`` copies (``NATS_STREAM_REPLICAS``: 1 on one server,
3 on a JetStream cluster). A stream that exists with another configuration (say, one
replica where three are now asked for) is updated to it.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Protocol

import nats
from nats.aio.client import Client as NatsClient
from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import BadRequestError
from tenacity import AsyncRetrying, before_sleep_log, stop_after_delay, wait_exponential

from common.events.envelope import Envelope, stream_name, stream_subjects

logger = logging.getLogger(__name__)

DUPLICATE_WINDOW_SECONDS = 120.0


class EventPublisher(Protocol):
    async def publish(self, envelope: Envelope, headers: dict[str, str]) -> None: ...


class NatsBus:
    """One NATS connection with JetStream; reconnects on its own after a drop."""

    def __init__(self, url: str, *, name: str, stream_replicas: int = 1) -> None:
        self.url = url
        self.name = name
        self.stream_replicas = stream_replicas
        self._nc: NatsClient | None = None
        self._js: JetStreamContext | None = None

    @property
    def nc(self) -> NatsClient:
        if self._nc is None:
            raise RuntimeError("NatsBus.connect() was not awaited")
        return self._nc

    @property
    def js(self) -> JetStreamContext:
        if self._js is None:
            raise RuntimeError("NatsBus.connect() was not awaited")
        return self._js

    @property
    def is_connected(self) -> bool:
        return self._nc is not None and self._nc.is_connected

    async def connect(self, timeout: float = 60.0) -> None:
        async for attempt in AsyncRetrying(
            stop=stop_after_delay(timeout),
            wait=wait_exponential(multiplier=0.1, max=2),
            before_sleep=before_sleep_log(logger, logging.WARNING),
            reraise=True,
        ):
            with attempt:
                self._nc = await nats.connect(
                    self.url,
                    name=self.name,
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=0.5,
                    connect_timeout=2,
                    # close() drains: bound it (nats-py waits 30 s by default) so a service
                    # or a test never hangs at shutdown on a subscription that cannot drain.
                    drain_timeout=5,
                )
        self._js = self.nc.jetstream()

    async def ensure_stream(self, service: str) -> str:
        """Create (or leave as is) the stream ``SERVICE`` on ``service.>``; returns its name."""
        name = stream_name(service)
        config = StreamConfig(
            name=name,
            subjects=stream_subjects(service),
            storage=StorageType.FILE,
            duplicate_window=DUPLICATE_WINDOW_SECONDS,
            num_replicas=self.stream_replicas,
        )
        try:
            await self.js.add_stream(config)
        except BadRequestError:
            await self.js.update_stream(config)
        return name

    async def publish(self, envelope: Envelope, headers: dict[str, str]) -> None:
        """Publish and wait for JetStream's ack; ``Nats-Msg-Id`` lets the stream drop duplicates."""
        await self.js.publish(
            envelope.type,
            envelope.to_bytes(),
            headers={**headers, "Nats-Msg-Id": str(envelope.id)},
            timeout=5.0,
        )

    async def close(self) -> None:
        if self._nc is not None and not self._nc.is_closed:
            try:
                await self._nc.drain()
            except Exception:  # NATS already gone (shutting down together): just close
                logger.info("NATS drain failed at shutdown; closing")
                with contextlib.suppress(Exception):
                    await self._nc.close()
        self._nc = None
        self._js = None
