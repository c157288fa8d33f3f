"""A real browser against the platform: a web client on its own origin, CORS, the refresh cookie.

Headless Chromium (Debian's, driven by Selenium: ``headless_chromium``) opens a
static page served from a second local origin, listed in
``SHOPFLOOR_CORS_ORIGINS``, and runs seed 002's web flow through the gateway:
login (access token in memory, refresh token in the httpOnly cookie), ``/me``
with the bearer token, the access token expiring, a refresh through the cookie,
``/me`` again, logout, the refresh refused. The same page from an unlisted
origin is blocked by the browser, and a refresh it forges (``no-cors``, with
the cookie) is refused by auth. Swagger UI loads through the gateway and "Try
it out" works.

This platform is its own, with auth alone, a 1.8 s access-token lifetime and a
listed origin; the rest of the suite shares the whole platform.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from headless_chromium import ChromiumUnavailable, ensure_chromium, start_driver
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from common.testing.engines import free_port
from gateway.cors import ALLOW_METHODS
from gateway.workspace import existing_services
from shopfloor_local.platform import Platform

ADMIN_EMAIL = "browser-admin@shopfloor.test"
ADMIN_PASSWORD = "browser platform passphrase"
ACCESS_MINUTES = "0.03"  # 1.8 s, + the verifiers' 5 s leeway
HTTP_METHODS = {"get", "head", "post", "put", "patch", "delete", "options", "trace"}
PAGE = (Path(__file__).parent / "web_client.html").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Site:
    """The browser platform: the gateway, the two page origins, the gateway's access log."""

    gateway: str
    listed: str
    unlisted: str
    access_log: Path


def _page_server(port: int, gateway: str) -> ThreadingHTTPServer:
    body = PAGE.replace("__GATEWAY__", gateway).encode()

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    workdir = Path(tempfile.mkdtemp(prefix="sfbrowser-"))
    (workdir / "repo" / "services").mkdir(parents=True)
    repo = Path(__file__).resolve().parents[3]
    (workdir / "repo" / "services" / "auth").symlink_to(repo / "services" / "auth")
    listed, unlisted = free_port(), free_port()
    running = Platform(
        data_dir=workdir / "data",
        extra_env={
            "SHOPFLOOR_ROOT": str(workdir / "repo"),  # auth alone
            "SHOPFLOOR_ADMIN_EMAIL": ADMIN_EMAIL,
            "SHOPFLOOR_ADMIN_PASSWORD": ADMIN_PASSWORD,
            "SHOPFLOOR_CORS_ORIGINS": f"http://127.0.0.1:{listed}",
            "ACCESS_TOKEN_MINUTES": ACCESS_MINUTES,
        },
    )
    servers = [_page_server(port, running.gateway_url) for port in (listed, unlisted)]
    running.start()
    try:
        running.wait_ready()
        yield Site(
            gateway=running.gateway_url,
            listed=f"http://127.0.0.1:{listed}",
            unlisted=f"http://127.0.0.1:{unlisted}",
            access_log=running.data_dir / "caddy" / "access.log",
        )
        code = running.stop()
        assert code in (0, 130), f"`up` ended with {code}:\n{running.output()[-3000:]}"
        assert running.leftovers() == [], "processes outlived the platform"
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        running.kill_everything()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    try:
        chromium = ensure_chromium()
    except ChromiumUnavailable as exc:
        pytest.fail(f"the browser tests need Debian's Chromium: {exc}")
    if chromium.installed_in is not None:
        print(f"installed chromium and chromium-driver in {chromium.installed_in:.0f} s")
    profile = Path(tempfile.mkdtemp(prefix="sfchromium-"))
    driver = start_driver(chromium, profile)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def call(driver: webdriver.Chrome, action: str, *args: Any) -> dict[str, Any]:
    """Run one of the page's actions (``window.shop``) and return what the page saw."""
    result: dict[str, Any] = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        f"window.shop.{action}(...Array.from(arguments).slice(0, -1)).then(done);",
        *args,
    )
    return result


def console_messages(driver: webdriver.Chrome) -> str:
    """What the page's console printed since the last read (Chromium's log, via the driver)."""
    entries: list[dict[str, Any]] = driver.get_log("browser")  # type: ignore[no-untyped-call]
    return " ".join(str(entry["message"]) for entry in entries)


def eventually(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        outcome = check()
        if outcome:
            return outcome
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.25)


def test_a_listed_page_logs_in_refreshes_through_the_cookie_and_logs_out(
    site: Site, browser: webdriver.Chrome
) -> None:
    browser.get(site.listed)
    login = call(browser, "login", ADMIN_EMAIL, ADMIN_PASSWORD)
    assert login["status"] == 200, login
    assert login["data"]["user"]["email"] == ADMIN_EMAIL
    assert login["requestId"], "X-Request-ID is exposed to the page"
    me = call(browser, "me")
    assert me["status"] == 200 and me["data"]["email"] == ADMIN_EMAIL, me

    expired = eventually(
        lambda: (answer := call(browser, "me"))["status"] == 401 and answer,
        timeout=30,
        what="the access token to expire",
    )
    assert "expired" in expired["data"]["detail"].lower(), expired

    refreshed = call(browser, "refresh")  # no token in the page: the browser sends the cookie
    assert refreshed["status"] == 200, refreshed
    again = call(browser, "me")
    assert again["status"] == 200 and again["data"]["email"] == ADMIN_EMAIL, again

    logout = call(browser, "logout")
    assert logout["status"] == 200, logout
    refused = call(browser, "refresh")
    assert refused["status"] == 401, refused
    assert call(browser, "me")["status"] == 401  # logout ended the access token too


def test_an_unlisted_page_is_blocked_and_its_forged_refresh_refused(
    site: Site, browser: webdriver.Chrome
) -> None:
    browser.get(site.listed)
    assert call(browser, "login", ADMIN_EMAIL, ADMIN_PASSWORD)["status"] == 200
    console_messages(browser)  # start the console afresh

    browser.get(site.unlisted)
    login = call(browser, "login", ADMIN_EMAIL, ADMIN_PASSWORD)
    assert login == {"error": "TypeError: Failed to fetch"}, login
    keys = call(browser, "get", "/api/auth/jwks")  # a simple GET: sent, but not readable
    assert keys == {"error": "TypeError: Failed to fetch"}, keys
    assert "TypeError: Failed to fetch" in browser.find_element(By.ID, "log").text
    console = console_messages(browser)
    assert "has been blocked by CORS policy" in console, console

    # Same site (127.0.0.1), so the Strict cookie rides along: only the Origin check stops it.
    assert call(browser, "forge") == {"sent": True}
    forged = eventually(
        lambda: _logged_request(site.access_log, "/api/auth/refresh", site.unlisted),
        timeout=15,
        what="the forged refresh in the gateway's access log",
    )
    assert forged["status"] == 403, forged
    assert "Cookie" in forged["request"]["headers"], "the browser sent the cookie"

    browser.get(site.listed)
    assert call(browser, "refresh")["status"] == 200  # the session was untouched
    assert call(browser, "logout")["status"] == 200


def _logged_request(log: Path, path: str, origin: str) -> dict[str, Any] | None:
    """The last request for ``path`` from ``origin`` in Caddy's JSON access log."""
    if not log.exists():
        return None
    found = None
    for line in log.read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        request = entry.get("request", {})
        if request.get("uri") == path and request.get("headers", {}).get("Origin") == [origin]:
            found = entry
    return found


def test_swagger_ui_loads_through_the_gateway_and_tries_a_public_route(
    site: Site, browser: webdriver.Chrome
) -> None:
    browser.get(f"{site.gateway}/docs/auth")
    wait = WebDriverWait(browser, 30)
    summary = wait.until(
        expected_conditions.element_to_be_clickable(
            (By.CSS_SELECTOR, '.opblock-summary-path[data-path="/api/auth/jwks"]')
        )
    )
    summary.click()
    block = summary.find_element(By.XPATH, "./ancestor::div[contains(@class, 'opblock ')]")
    wait.until(lambda _: block.find_element(By.CSS_SELECTOR, "button.try-out__btn")).click()
    wait.until(lambda _: block.find_element(By.CSS_SELECTOR, "button.execute")).click()
    status = wait.until(
        lambda _: block.find_element(
            By.CSS_SELECTOR, ".live-responses-table tr.response td.response-col_status"
        )
    )
    assert status.text.strip().startswith("200"), status.text
    body = block.find_element(By.CSS_SELECTOR, ".live-responses-table tr.response .microlight").text
    assert '"kty": "OKP"' in body, body


def test_every_method_of_the_api_is_allowed_by_the_cors_policy(platform: Any) -> None:
    """gateway.cors lists the methods the preflight allows; every service's OpenAPI agrees.
    (``platform``: the suite's whole platform, conftest.RunningPlatform.)"""
    methods: set[str] = set()
    for name in existing_services(Path(__file__).resolve().parents[3]):
        document = httpx.get(f"{platform.gateway}/docs/{name}/openapi.json", timeout=10)
        assert document.status_code == 200, (name, document.status_code)
        for item in document.json()["paths"].values():
            methods |= {method.upper() for method in item if method in HTTP_METHODS}
    assert methods and methods <= set(ALLOW_METHODS), methods - set(ALLOW_METHODS)
