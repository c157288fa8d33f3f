"""Readiness is the database only; NATS, the outbox, dead letters and consumer lag are reported."""

from __future__ import annotations

import os
from typing import Any

from common.db import Database
from common.roles import Role
from common.testing.engines import free_port
from common.testing.events import eventually, publish_event
from common.testing.helpers import running_app
from common.testing.permissions import nats_connected
from tests.widgets import make_app


def without_nats(settings):  # type: ignore[no-untyped-def]
    """The same service pointed at a NATS nobody runs."""
    return settings.model_copy(update={"nats_url": f"nats://127.0.0.1:{free_port()}"})


async def test_liveness(widgets_app) -> None:
    async with running_app(widgets_app) as client:
        alive = await client.get("/healthz")
    assert alive.json() == {"status": "ok", "service": "widgets", "version": "0.0.1"}


async def test_ready_reports_database_and_nats(widgets_app) -> None:
    async with running_app(widgets_app) as client:
        await nats_connected(widgets_app)
        ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "nats": "ok"}}


async def test_ready_with_nats_down_because_the_outbox_buffers(widgets_settings) -> None:
    app = make_app(without_nats(widgets_settings), with_consumer=True)
    async with running_app(app) as client:
        ready = await client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json() == {
        "status": "ready",
        "checks": {"database": "ok", "nats": "disconnected"},
    }


async def test_not_ready_without_the_database(widgets_settings) -> None:
    """The lifespan waits for the database, so it is taken away once the app runs."""
    app = make_app(widgets_settings)
    async with running_app(app) as client:
        working = app.state.database
        app.state.database = Database(f"postgresql+psycopg://x@127.0.0.1:{free_port()}/x")
        try:
            ready = await client.get("/readyz")
            details = await client.get("/healthz/details")
        finally:
            await app.state.database.dispose()
            app.state.database = working
    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable"
    assert ready.json()["checks"]["database"].startswith("error: ")
    assert details.status_code == 503 and details.json()["status"] == "unavailable"


async def test_details_with_nats_down_show_the_waiting_outbox(
    widgets_settings, auth_headers
) -> None:
    app = make_app(without_nats(widgets_settings), with_consumer=True)
    async with running_app(app) as client:
        created = await client.post(
            "/api/widgets", json={"name": "w", "size": 1}, headers=auth_headers(Role.system_admin)
        )
        details = await client.get("/healthz/details")
    assert created.status_code == 201
    assert details.status_code == 200, details.text
    body = details.json()
    assert body["status"] == "degraded"
    assert body["database"] == "ok"
    assert body["nats"] == {"connected": False}
    assert body["outbox"]["unsent"] == 1
    assert 0 <= body["outbox"]["oldest_unsent_age_seconds"] < 60
    assert body["dead_letters"] == {"count": 0}
    assert body["consumers"] is None  # JetStream cannot be asked


async def test_details_report_dead_letters_and_each_consumer(widgets_settings, nats_url) -> None:
    app = make_app(widgets_settings, with_consumer=True)
    async with running_app(app) as client:
        await nats_connected(app)

        async def consumer_listed() -> bool:
            response = await client.get("/healthz/details")
            return bool(response.json()["consumers"])

        await eventually(consumer_listed)
        await publish_event(nats_url, "widgets.effect.requested", {"fail": True})

        async def dead_lettered() -> bool:
            response = await client.get("/healthz/details")
            return response.json()["dead_letters"]["count"] == 1

        await eventually(dead_lettered)
        body = (await client.get("/healthz/details")).json()
    assert body["status"] == "degraded"  # a dead letter needs an operator
    assert body["nats"] == {"connected": True}
    assert body["outbox"] == {"unsent": 0, "oldest_unsent_age_seconds": None}
    [consumer] = body["consumers"]
    assert consumer["name"] == "widgets--record-effect"
    assert consumer["subject"] == "widgets.effect.requested"
    assert {"pending", "ack_pending", "redelivered"} <= set(consumer)
    assert all(isinstance(consumer[key], int) for key in ("pending", "ack_pending"))


async def test_details_name_the_process_and_count_what_its_relay_and_consumer_did(
    widgets_settings, nats_url, auth_headers
) -> None:
    """Each worker or replica answers for itself: its pid, the events its relay published and
    the events its consumers applied since it started."""
    app = make_app(widgets_settings, with_consumer=True)
    async with running_app(app) as client:
        await nats_connected(app)

        async def process() -> dict[str, Any]:
            body: dict[str, Any] = (await client.get("/healthz/details")).json()
            return dict(body["process"])

        async def counting() -> bool:
            return (await process())["applied"] is not None

        await eventually(counting)
        assert await process() == {"pid": os.getpid(), "published": 0, "applied": 0}
        for name in ("first", "second"):
            created = await client.post(
                "/api/widgets",
                json={"name": name, "size": 1},
                headers=auth_headers(Role.system_admin),
            )
            assert created.status_code == 201, created.text
        await publish_event(nats_url, "widgets.effect.requested", {"fail": False})

        async def counted() -> bool:
            now = await process()
            return now["published"] == 2 and now["applied"] == 1

        await eventually(counted)


async def test_details_without_events_count_nothing(widgets_settings) -> None:
    app = make_app(widgets_settings)
    async with running_app(app) as client:
        body = (await client.get("/healthz/details")).json()
    assert body["process"]["pid"] == os.getpid()
    assert body["process"]["applied"] is None  # this app runs no consumer


async def test_health_examples_are_documented(widgets_app) -> None:
    paths = widgets_app.openapi()["paths"]
    for path in ("/healthz", "/readyz", "/healthz/details"):
        example = paths[path]["get"]["responses"]["200"]["content"]["application/json"]
        assert "example" in example, path
    assert "503" in paths["/readyz"]["get"]["responses"]
