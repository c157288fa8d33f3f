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
