"""The widgets app as ``serve`` runs a service: settings from the environment (real uvicorn tests)."""

from __future__ import annotations

from common.config import ServiceSettings
from tests.widgets import make_app

app = make_app(ServiceSettings(service_name="widgets"))  # type: ignore[call-arg]
