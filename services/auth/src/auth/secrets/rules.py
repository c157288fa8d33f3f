"""Password rules with errors a person can act on."""

from __future__ import annotations

MIN_LENGTH = 10
MAX_LENGTH = 128
_COMMON = {
    "password",
    "password1",
    "password123",
    "1234567890",
    "qwertyuiop",
    "letmein123",
    "iloveyou12",
    "welcome123",
    "admin12345",
    "changeme123",
    "shopfloor1",
}


def password_problems(password: str, *, email: str | None = None) -> list[str]:
    """Everything wrong with ``password``; empty when it is acceptable."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"must be at least {MIN_LENGTH} characters long")
    if len(password) > MAX_LENGTH:
        problems.append(f"must be at most {MAX_LENGTH} characters long")
    if password.isdigit():
        problems.append("must not be only digits")
    if password.lower() in _COMMON:
        problems.append("is too common")
    if email and email.split("@")[0].lower() in password.lower() and len(email.split("@")[0]) >= 4:
        problems.append("must not contain your email name")
    return problems
