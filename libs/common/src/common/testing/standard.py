"""The tests every service runs, whatever it does. Import them into a test module::

    # tests/test_standard.py
    from common.testing.standard import *  # noqa: F403

They need the ``service_under_test`` fixture (``common.testing.service``):

- the migration history builds exactly the tables the models declare, and goes down and
  up again;
- every ``/api/`` operation has a summary and request/response examples, and the
  document is served at ``/docs/<service>/openapi.json``;
- ``docs/asyncapi.yaml`` and ``docs/events.md`` hold what the service's contracts say
  (run ``shopfloor-local docs`` after changing a contract), and every field its
  consumers require is promised by the publisher's schema;
- every write route (POST/PUT/PATCH/DELETE under ``/api/``) is listed in the service's
  table of ``docs/events.md`` with events its contracts publish, or ``none:``/``gap:`` and
  why (``common.testing.write_routes``);
- the package keeps the import rules of ``common.testing.layers``;
- schemathesis, run against the service under uvicorn with an admin's token, finds no
  failure of the checks the robustness issue names (``common.testing.fuzz``); examples
  per operation from ``SHOPFLOOR_FUZZ_EXAMPLES`` (default 10).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import yaml
from alembic import command

from common.cli import event_fragment
from common.events.asyncapi import consumer_gaps, markdown, merge
from common.migrations import alembic_config, upgrade_head
from common.roles import Role
from common.testing.fuzz import schemathesis_run, serving
from common.testing.helpers import migration_drift
from common.testing.layers import import_problems
from common.testing.openapi import undocumented
from common.testing.service import ServiceUnderTest
from common.testing.write_routes import write_route_gaps

__all__ = [
    "test_consumed_fields_are_promised_by_their_publishers",
    "test_downgrade_to_base_and_up_again",
    "test_event_docs_match_the_contracts",
    "test_every_api_route_is_documented_with_examples",
    "test_every_write_route_publishes_an_event",
    "test_imports_keep_the_layers",
    "test_migrations_match_the_models",
    "test_schemathesis_finds_no_failure",
]

STALE = "docs are stale: run `uv run shopfloor-local docs` and commit the result"


def _offline_app(service: ServiceUnderTest) -> Any:
    return service.build_app(service.offline_settings())


def test_migrations_match_the_models(
    service_under_test: ServiceUnderTest, fresh_database: Callable[[str], str]
) -> None:
    url = fresh_database(f"{service_under_test.package}_migrations")
    upgrade_head(service_under_test.migrations, url)
    assert migration_drift(url, service_under_test.metadata) == []


def test_downgrade_to_base_and_up_again(
    service_under_test: ServiceUnderTest, fresh_database: Callable[[str], str]
) -> None:
    url = fresh_database(f"{service_under_test.package}_downgrade")
    upgrade_head(service_under_test.migrations, url)
    command.downgrade(alembic_config(service_under_test.migrations, url), "base")
    upgrade_head(service_under_test.migrations, url)
    assert migration_drift(url, service_under_test.metadata) == []


def test_every_api_route_is_documented_with_examples(
    service_under_test: ServiceUnderTest,
) -> None:
    document = _offline_app(service_under_test).openapi()
    assert any(path.startswith("/api/") for path in document["paths"])
    failures = undocumented(document)
    assert failures == [], "\n".join(failures)


def _documents(service: ServiceUnderTest) -> tuple[dict[str, Any], dict[str, Any], str]:
    docs = service.repo_root / "docs"
    fragment = event_fragment(service.package, _offline_app(service))
    catalog = yaml.safe_load((docs / "asyncapi.yaml").read_text(encoding="utf-8"))
    return fragment, catalog, (docs / "events.md").read_text(encoding="utf-8")


def _published_part(fragment: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """The channels, send operations, messages and schemas of the subjects it publishes."""
    service = fragment["service"]
    components = document.get("components", {})
    return {
        "channels": {
            cid: channel
            for cid, channel in document.get("channels", {}).items()
            if channel.get("address") in fragment["publishes"]
        },
        "operations": {
            key: value
            for key, value in document.get("operations", {}).items()
            if key.startswith(f"{service}__sends__")
        },
        "messages": {
            key: value
            for key, value in components.get("messages", {}).items()
            if key.startswith(f"{service}.")
        },
        "schemas": {
            key: value
            for key, value in components.get("schemas", {}).items()
            if key.startswith(f"{service}.")
        },
    }


def _reads(fragment: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """Per subscription of the service: its pattern and what it reads, as documented."""
    found: dict[str, Any] = {}
    for key, operation in document.get("operations", {}).items():
        if key.startswith(f"{fragment['service']}__") and operation.get("action") == "receive":
            found[operation["x-subscription"]] = operation.get("x-reads")
    return found


def test_event_docs_match_the_contracts(service_under_test: ServiceUnderTest) -> None:
    fragment, catalog, events_md = _documents(service_under_test)
    assert _published_part(fragment, catalog) == _published_part(fragment, merge([fragment])), STALE
    expected_reads = {
        item["subscription"]: (
            {key: item[key] for key in ("contract", "fields", "required")}
            if "contract" in item
            else None
        )
        for item in fragment["consumes"]
    }
    assert _reads(fragment, catalog) == expected_reads, STALE
    assert markdown(fragment) in events_md, STALE


def test_consumed_fields_are_promised_by_their_publishers(
    service_under_test: ServiceUnderTest,
) -> None:
    _, catalog, _ = _documents(service_under_test)
    gaps = consumer_gaps(catalog, service_under_test.package)
    assert gaps == [], "\n".join(gaps)


def test_every_write_route_publishes_an_event(service_under_test: ServiceUnderTest) -> None:
    """What audit can log is what is published: each write route names its events (ones the
    service's contracts publish) or says why it has none."""
    app = _offline_app(service_under_test)
    published = [subject for contract in app.state.published for subject in contract.subjects]
    events_md = (service_under_test.repo_root / "docs" / "events.md").read_text(encoding="utf-8")
    gaps = write_route_gaps(app.openapi(), events_md, service_under_test.package, published)
    assert gaps == [], "\n".join(gaps)


def test_imports_keep_the_layers(service_under_test: ServiceUnderTest) -> None:
    problems = import_problems(service_under_test.package)
    assert problems == [], "\n".join(problems)


def test_schemathesis_finds_no_failure(
    service_under_test: ServiceUnderTest, settings: Any, mint_token: Callable[..., str]
) -> None:
    """The off-the-shelf fuzzer against the real service: no 500, every status documented,
    every response as its schema says, invalid input refused."""
    token = mint_token(role=Role.system_admin, user_id="fuzz-admin")  # before serving: announced
    app = service_under_test.build_app(settings)
    with serving(app) as base:
        code, report = schemathesis_run(
            f"{base}/docs/{service_under_test.package}/openapi.json",
            token=token,
            max_examples=int(os.environ.get("SHOPFLOOR_FUZZ_EXAMPLES", "10")),
        )
    assert code == 0, report[-20000:]
