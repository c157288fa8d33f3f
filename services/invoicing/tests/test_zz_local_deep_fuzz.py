"""LOCAL ONLY (not committed): schemathesis with real ids per operation, so item routes are reached."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from common.db import Database
from common.roles import Role
from common.testing.fuzz import CHECKS, serving
from common.testing.service import ServiceUnderTest
from tests.conftest import CUSTOMER, STORE_A, open_stores


async def _seed(url: str) -> None:
    database = Database(url)
    try:
        await open_stores(database)
    finally:
        await database.engine.dispose()


def test_deep(
    service_under_test: ServiceUnderTest, settings: Any, mint_token: Callable[..., str]
) -> None:
    token = mint_token(role=Role.system_admin, user_id="fuzz-admin")
    asyncio.run(_seed(settings.database_url))
    app = service_under_test.build_app(settings)
    headers = {"Authorization": f"Bearer {token}"}
    with serving(app) as base:
        with httpx.Client(base_url=base, headers=headers) as http:
            line = {
                "description": "Screen",
                "quantity": "1",
                "unit_price": "100.00",
                "tax_rate": "8.75",
            }

            def invoice(issue: bool) -> str:
                made = http.post(
                    "/api/invoices",
                    json={
                        "store_id": str(STORE_A),
                        "customer_id": CUSTOMER,
                        "lines": [line, line],
                        "issue": issue,
                    },
                )
                assert made.status_code == 201, made.text
                return str(made.json()["id"])

            def pay(invoice_id: str) -> str:
                paid = http.post(
                    "/api/payments",
                    json={"invoice_id": invoice_id, "amount": "50.00", "method": "card"},
                )
                assert paid.status_code == 201, paid.text
                return str(paid.json()["id"])

            edit_draft, issue_draft, delete_draft = invoice(False), invoice(False), invoice(False)
            read, void, force, mark, paying, paying2 = (invoice(True) for _ in range(6))
            pay(read)
            payment, payment2 = pay(paying), pay(paying2)
        ops: list[tuple[str, str, dict[str, str]]] = [
            ("/api/invoices/{invoice_id}", "PATCH", {"path.invoice_id": edit_draft}),
            ("/api/invoices/{invoice_id}", "PUT", {"path.invoice_id": edit_draft}),
            ("/api/invoices/{invoice_id}", "GET", {"path.invoice_id": read}),
            ("/api/invoices/{invoice_id}", "DELETE", {"path.invoice_id": delete_draft}),
            ("/api/invoices/{invoice_id}/issue", "POST", {"path.invoice_id": issue_draft}),
            ("/api/invoices/{invoice_id}/download", "GET", {"path.invoice_id": read}),
            ("/api/invoices/{invoice_id}/delete-preview", "GET", {"path.invoice_id": read}),
            ("/api/invoices/{invoice_id}/void", "POST", {"path.invoice_id": void}),
            ("/api/invoices/{invoice_id}/force-delete", "POST", {"path.invoice_id": force}),
            ("/api/invoices/{invoice_id}/mark-as-paid", "POST", {"path.invoice_id": mark}),
            ("/api/payments/{payment_id}", "PATCH", {"path.payment_id": payment}),
            ("/api/payments/{payment_id}", "PUT", {"path.payment_id": payment}),
            ("/api/payments/{payment_id}", "GET", {"path.payment_id": payment}),
            ("/api/payments/{payment_id}", "DELETE", {"path.payment_id": payment2}),
            ("/api/payments", "POST", {"body.invoice_id": paying}),
            (
                "/api/invoices",
                "POST",
                {"body.store_id": str(STORE_A), "body.customer_id": CUSTOMER},
            ),
            ("/api/invoices/propose", "GET", {"query.store": str(STORE_A)}),
        ]
        text = ""
        for path, method, params in ops:
            text += f'[[operations]]\ninclude-path = "{path}"\ninclude-method = "{method}"\n'
            text += (
                "parameters = { "
                + ", ".join(f'"{k}" = "{v}"' for k, v in params.items())
                + " }\n\n"
            )
        config = Path("/tmp/fuzzinv/schemathesis.toml")
        config.write_text(text)
        command = [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "--config-file",
            str(config),
            "run",
            f"{base}/docs/{service_under_test.package}/openapi.json",
            "--checks",
            ",".join(CHECKS),
            "--phases",
            os.environ.get("PHASES", "examples,coverage,fuzzing"),
            "--max-examples",
            os.environ.get("SHOPFLOOR_FUZZ_EXAMPLES", "10"),
            "--header",
            f"Authorization: Bearer {token}",
            "--workers",
            "1",
            "--request-timeout",
            "20",
            "--seed",
            os.environ.get("SEED", "1"),
            "--no-color",
            "--suppress-health-check",
            "all",
            *os.environ.get("EXTRA", "").split(),
        ]
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
            timeout=1800,
        )
        code, report = done.returncode, done.stdout + done.stderr
    Path("/tmp/fuzzinv/report.txt").write_text(report)
    assert code == 0, report[-30000:]
