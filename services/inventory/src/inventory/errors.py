"""Errors inventory needs beyond ``common.errors``: 503 when something it depends on (catalog,
the AI provider) is not configured or does not answer. (Worth moving to ``common.errors``.)"""

from __future__ import annotations

from common.errors import DomainError


class Unavailable(DomainError):
    status_code = 503
