"""What time it is for a request: the system clock, which tests may replace on the app.

Shift rules depend on the instant of a punch; a test of "late at 09:12 in Los Angeles on
the night the clocks change" needs that instant to be chosen, not waited for. The app
reads ``app.state.clock`` (a function returning an aware UTC ``datetime``); production
never sets it, so it is the system clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)
