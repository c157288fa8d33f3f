"""The fuzzer harness: schemathesis against a real uvicorn-served app finds a planted 500
(``/api/widgets/unflushed`` fails at commit for a name longer than its column)."""

from __future__ import annotations

import re

from common.roles import Role
from common.testing.fuzz import schemathesis_run, serving
from tests.widgets import make_app


def test_schemathesis_runs_against_the_served_app(widgets_settings, mint_token) -> None:  # type: ignore[no-untyped-def]
    app = make_app(widgets_settings)
    with serving(app) as base:
        code, report = schemathesis_run(
            f"{base}/docs/widgets/openapi.json",
            token=mint_token(role=Role.system_admin, user_id="admin-1"),
            max_examples=5,
            checks=("not_a_server_error",),
        )
    assert code != 0, report
    assert "POST /api/widgets/unflushed" in report and "Server error" in report, report
    selected = re.search(r"Selected: (\d+)/(\d+)", report)
    assert selected and selected.group(1) == selected.group(2), report  # every operation
    assert f"Tested: {selected.group(1)}" in report
