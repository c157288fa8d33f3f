"""Where an HR request stands: seed 002's sick-leave and modification requests share it."""

from __future__ import annotations

from enum import StrEnum


class RequestStatus(StrEnum):
    pending = "pending"
    approved = "approved"
    denied = "denied"
