"""Consignment tests call auth and inventory through stand-ins (``standins.py``): POS has
its service credential, and every user id is a user of auth unless a test says otherwise."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.consignment.standins import SERVICES, StandIns


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return SERVICES


@pytest.fixture(autouse=True)
def stand_ins(app: FastAPI) -> StandIns:
    stand_ins = StandIns()
    app.state.service_transport = httpx.MockTransport(stand_ins)
    return stand_ins
