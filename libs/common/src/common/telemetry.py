"""OpenTelemetry tracing: FastAPI, SQLAlchemy and httpx spans; OTLP export when configured.

NATS spans and ``traceparent`` propagation live in ``common.events`` (the
publisher injects the current context; the consumer continues it).

With no exporter nobody sees a request's span, but its trace still matters: log
lines carry its ids and the outbox passes it on to the consumers. So a request
then gets ``RequestTraceMiddleware``: the caller's ``traceparent`` continued (or a
new trace) under a non-recording span — the same ids a recorded span would have
given, without the instrumentation's cost (a second routing pass over every route
to name the span, some fifty attributes, two more middleware layers: a tenth of a
catalog list's CPU, bench/README.md, catalog-list).

FastAPI's own OpenTelemetry support (0.165: request spans, a span per dependency,
endpoint and serialization, HTTP metrics, exception logs) switches itself on as
soon as a tracer provider is installed — which ``configure_tracing`` always does,
exporter or not. Every service turns it off (``NO_NATIVE_TELEMETRY``): without an
exporter those spans were recorded for nobody (a tenth of a POS add-item's samples),
and with one the instrumentation above records the request already.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.telemetry import TelemetryConfig
from opentelemetry import context, propagate, trace
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.propagators.textmap import Getter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.id_generator import RandomIdGenerator
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Receive, Scope, Send

_configured = False

NO_NATIVE_TELEMETRY: TelemetryConfig = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
}


def configure_tracing(service: str, otlp_endpoint: str | None) -> None:
    """Install a tracer provider once per process; spans export only when an endpoint is set."""
    global _configured
    if _configured:
        return
    provider = TracerProvider(resource=Resource.create({"service.name": f"shopfloor-{service}"}))
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=otlp_endpoint)))
    trace.set_tracer_provider(provider)
    HTTPXClientInstrumentor().instrument()
    _configured = True


UNTRACED = ("/healthz", "/readyz")


def instrument_app(app: FastAPI, engine: AsyncEngine, *, exporting: bool) -> None:
    """When spans are exported: a recorded span per request (FastAPI's instrumentation) and
    per SQL statement. Otherwise nothing here: the app carries ``RequestTraceMiddleware``
    (``create_app`` adds it), and the SQL hook, which nobody would see, costs a tenth of a
    busy service's time."""
    if not exporting:
        return
    FastAPIInstrumentor.instrument_app(
        app, excluded_urls="healthz,readyz", exclude_spans=["receive", "send"]
    )
    SQLAlchemyInstrumentor().instrument(engine=engine.sync_engine)


Headers = list[tuple[bytes, bytes]]


class _AsgiHeaders(Getter[Headers]):
    """The W3C propagator's view of an ASGI request's headers (names are lower case)."""

    def get(self, carrier: Headers, key: str) -> list[str] | None:
        wanted = key.encode("latin-1")
        found = [value.decode("latin-1") for name, value in carrier if name == wanted]
        return found or None

    def keys(self, carrier: Headers) -> list[str]:
        return [name.decode("latin-1") for name, _ in carrier]


_HEADERS = _AsgiHeaders()
_IDS = RandomIdGenerator()


class RequestTraceMiddleware:
    """Each request (health checks aside) in a trace, when spans are not exported: the
    caller's ``traceparent`` (and ``tracestate``) continued, or a new sampled trace, under a
    non-recording span of the request's own id, current while the app answers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNTRACED:
            await self.app(scope, receive, send)
            return
        incoming = propagate.extract(scope["headers"], getter=_HEADERS)
        parent = trace.get_current_span(incoming).get_span_context()
        if parent.is_valid:
            trace_id, flags, state = parent.trace_id, parent.trace_flags, parent.trace_state
        else:
            trace_id, state = _IDS.generate_trace_id(), None
            flags = TraceFlags(TraceFlags.SAMPLED)
        span = NonRecordingSpan(
            SpanContext(
                trace_id=trace_id,
                span_id=_IDS.generate_span_id(),
                is_remote=False,
                trace_flags=TraceFlags(flags),
                trace_state=state,
            )
        )
        token = context.attach(trace.set_span_in_context(span, incoming))
        try:
            await self.app(scope, receive, send)
        finally:
            context.detach(token)
