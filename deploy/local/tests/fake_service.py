"""A stand-in service CLI for the runner's tests: `prestart` and `serve`, nothing else.

`prestart` proves the database the runner made is reachable and records the
environment it was given; `serve` answers /healthz, /readyz and any path with
JSON, so requests through the gateway can be checked.
"""

from __future__ import annotations

import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg

CONTRACT = (
    "DATABASE_URL",
    "NATS_URL",
    "SHOPFLOOR_ENV",
    "JWT_ISSUER",
    "JWT_AUDIENCE",
    "JWT_JWKS_URL",
    "JWT_PRIVATE_KEY_FILE",
    "SHOPFLOOR_ADMIN_EMAIL",
    "SHOPFLOOR_ADMIN_PASSWORD",
    "FORWARDED_ALLOW_IPS",
    "ATTACHMENTS_DIR",
    "SHOPFLOOR_CORS_ORIGINS",
)


def prestart() -> None:
    with psycopg.connect(os.environ["DATABASE_URL"]) as connection:
        database = connection.execute("SELECT current_database()").fetchone()
    report = {name: os.environ.get(name) for name in CONTRACT}
    report["connected_to"] = database[0] if database else None
    with open(os.environ["FAKE_SERVICE_REPORT"], "w", encoding="utf-8") as handle:
        json.dump(report, handle)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps(
            {"path": self.path, "forwarded_for": self.headers.get("X-Forwarded-For")}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


def serve(arguments: list[str]) -> None:
    options = dict(zip(arguments[::2], arguments[1::2], strict=True))
    server = ThreadingHTTPServer((options["--host"], int(options["--port"])), Handler)
    print(f"fake service on {options['--host']}:{options['--port']}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "prestart":
        prestart()
    elif command == "serve":
        serve(rest)
    else:
        sys.exit(f"unknown command {command}")
