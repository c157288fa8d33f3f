"""SQL statements get spans only when spans are exported (the hook is not free)."""

from __future__ import annotations

from common.testing.helpers import running_app
from tests.widgets import make_app


def _sql_hooks(app) -> int:  # type: ignore[no-untyped-def]
    engine = app.state.database.engine.sync_engine
    return len(engine.dispatch.before_cursor_execute) + len(engine.dispatch.after_cursor_execute)


async def test_no_sql_spans_without_an_exporter(widgets_settings) -> None:  # type: ignore[no-untyped-def]
    app = make_app(widgets_settings)
    async with running_app(app):
        assert _sql_hooks(app) == 0


async def test_sql_spans_with_an_exporter(widgets_settings) -> None:  # type: ignore[no-untyped-def]
    settings = widgets_settings.model_copy(
        update={"otel_exporter_otlp_endpoint": "http://127.0.0.1:9/v1/traces"}
    )
    app = make_app(settings)
    async with running_app(app):
        assert _sql_hooks(app) > 0


def _traced_route(app) -> None:  # type: ignore[no-untyped-def]
    from opentelemetry import propagate

    async def traced() -> dict[str, str]:
        headers: dict[str, str] = {}
        propagate.inject(headers)  # what the outbox stamps on an event of this request
        return headers

    app.add_api_route("/api/traced", traced)


async def test_without_an_exporter_a_request_continues_its_callers_trace(widgets_settings) -> None:  # type: ignore[no-untyped-def]
    from common.telemetry import RequestTraceMiddleware

    app = make_app(widgets_settings)
    _traced_route(app)
    assert any(item.cls is RequestTraceMiddleware for item in app.user_middleware)
    caller = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    async with running_app(app) as client:
        continued = (
            await client.get("/api/traced", headers={"traceparent": caller, "tracestate": "k=v"})
        ).json()
        fresh = [(await client.get("/api/traced")).json()["traceparent"] for _ in range(2)]
    version, trace_id, span_id, flags = continued["traceparent"].split("-")
    assert (version, trace_id, flags) == ("00", "0af7651916cd43dd8448eb211c80319c", "01")
    assert span_id not in ("b7ad6b7169203331", "0" * 16)  # the request's own span id
    assert continued["tracestate"] == "k=v"
    first, second = (value.split("-") for value in fresh)
    assert first[1] != second[1] and first[1] != "0" * 32  # a new trace per request
    assert first[3] == second[3] == "01"  # sampled: a downstream exporter records it


async def test_with_an_exporter_requests_are_recorded_by_the_instrumentation(
    widgets_settings,
) -> None:  # type: ignore[no-untyped-def]
    from common.telemetry import RequestTraceMiddleware

    settings = widgets_settings.model_copy(
        update={"otel_exporter_otlp_endpoint": "http://127.0.0.1:9/v1/traces"}
    )
    app = make_app(settings)
    assert not any(item.cls is RequestTraceMiddleware for item in app.user_middleware)
    async with running_app(app):
        assert getattr(app, "_is_instrumented_by_opentelemetry", False)


async def test_fastapi_records_no_spans_of_its_own(widgets_settings, auth_headers) -> None:  # type: ignore[no-untyped-def]
    """FastAPI 0.165 records request, dependency and endpoint spans whenever a tracer provider
    is installed; without an exporter nobody would see them, with one the instrumentation
    records the request. A span processor on the process's provider sees none of FastAPI's."""
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from common.roles import Role

    app = make_app(widgets_settings)  # installs the provider (configure_tracing)
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    exporter = InMemorySpanExporter()
    processor = SimpleSpanProcessor(exporter)
    provider.add_span_processor(processor)
    try:
        async with running_app(app) as client:
            listed = await client.get("/api/widgets", headers=auth_headers(Role.system_admin))
        assert listed.status_code == 200
        scopes = {span.instrumentation_scope.name for span in exporter.get_finished_spans()}
        assert not {name for name in scopes if name.startswith("fastapi")}, scopes
    finally:
        processor.shutdown()
