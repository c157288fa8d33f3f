"""OpenTelemetry tracing: FastAPI, SQLAlchemy and httpx spans; OTLP export when configured.

NATS spans and ``traceparent`` propagation live in ``common.events`` (the
publisher injects the current context; the consumer continues it).
"""

from __future__ import annotations

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from sqlalchemy.ext.asyncio import AsyncEngine

_configured = False


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


def instrument_app(app: FastAPI, engine: AsyncEngine, *, database_spans: bool) -> None:
    """Request spans always (they carry the trace from the request into the outbox and on
    through NATS); a span per SQL statement only when spans are exported — with no exporter
    nobody sees them, and the hook costs a tenth of a busy service's time."""
    FastAPIInstrumentor.instrument_app(
        app, excluded_urls="healthz,readyz", exclude_spans=["receive", "send"]
    )
    if database_spans:
        SQLAlchemyInstrumentor().instrument(engine=engine.sync_engine)
