"""Sessions end everywhere: what auth revokes, every other service refuses once the event arrives.

The widgets app stands for catalog, inventory or POS: it consumes auth's events
(published here as auth would) into its revocation read-model and checks each
token against the in-memory snapshot. Two apps on one database stand for two
uvicorn workers sharing one durable consumer.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from common.revocations import GRACE_SECONDS, RevocationSnapshot
from common.revocations.store import Changes, UserStanding
from common.roles import Principal, Role, ServicePrincipal
from common.testing.events import eventually, publish_event
from common.testing.helpers import running_app
from common.testing.plugin import mint
from tests.widgets import REVOKED, make_app

ME = "/api/widgets/me"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def status_becomes(client: httpx.AsyncClient, headers: dict[str, str], expected: int) -> int:
    """Poll ``GET /api/widgets/me`` until it answers ``expected`` (or time runs out)."""
    seen: list[int] = []

    async def answered() -> bool:
        seen.append((await client.get(ME, headers=headers)).status_code)
        return seen[-1] == expected

    await eventually(answered, timeout=10.0)
    return seen[-1]


def later(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


async def test_deactivated_user_is_refused_and_reactivated_user_admitted(
    widgets_settings, auth_headers, nats_url
) -> None:
    app = make_app(widgets_settings, with_revocations=True)
    user_headers = auth_headers(Role.advisor, user_id="user-to-deactivate")
    other_headers = auth_headers(Role.advisor, user_id="someone-else")
    async with running_app(app) as client:
        assert (await client.get(ME, headers=user_headers)).status_code == 200
        await publish_event(
            nats_url, "auth.user.deactivated", {"user_id": "user-to-deactivate", "is_active": False}
        )
        assert await status_becomes(client, user_headers, 401) == 401
        refused = await client.get(ME, headers=user_headers)
        assert refused.json() == {"detail": "User is inactive."}
        assert (await client.get(ME, headers=other_headers)).status_code == 200
        await publish_event(
            nats_url, "auth.user.updated", {"user_id": "user-to-deactivate", "is_active": True}
        )
        assert await status_becomes(client, user_headers, 200) == 200


async def test_logout_ends_the_token_and_its_session_everywhere(
    widgets_settings, mint_token, nats_url
) -> None:
    """``auth.session.revoked``: the presented jti and every token of that login are refused."""
    session_id, other_session = str(uuid.uuid4()), str(uuid.uuid4())
    presented = mint_token(user_id="maria", fam=session_id)
    older_of_same_login = mint_token(user_id="maria", fam=session_id)
    other_device = mint_token(user_id="maria", fam=other_session)
    presented_jti = _claims(presented)["jti"]
    app = make_app(widgets_settings, with_revocations=True)
    async with running_app(app) as client:
        for token in (presented, older_of_same_login, other_device):
            assert (await client.get(ME, headers=bearer(token))).status_code == 200
        await publish_event(
            nats_url,
            "auth.session.revoked",
            {
                "user_id": "maria",
                "revoked": [
                    {"id": session_id, "expires_at": later(600)},
                    {"id": presented_jti, "expires_at": later(300)},
                ],
                "reason": "logout",
            },
        )
        assert await status_becomes(client, bearer(presented), 401) == 401
        assert (await client.get(ME, headers=bearer(presented))).json() == {
            "detail": "Token has been revoked."
        }
        assert (await client.get(ME, headers=bearer(older_of_same_login))).status_code == 401
        assert (await client.get(ME, headers=bearer(other_device))).status_code == 200


async def test_tokens_issued_before_the_not_before_instant_are_refused(
    widgets_settings, mint_token, nats_url
) -> None:
    """``auth.user.tokens_invalidated`` (password change, role change...): older tokens stop,
    a token from the login that follows works."""
    before = mint_token(user_id="sam", iat=time.time() - 2)
    not_before = datetime.now(UTC) - timedelta(seconds=1)
    after = mint_token(user_id="sam")
    app = make_app(widgets_settings, with_revocations=True)
    async with running_app(app) as client:
        assert (await client.get(ME, headers=bearer(before))).status_code == 200
        await publish_event(
            nats_url,
            "auth.user.tokens_invalidated",
            {"user_id": "sam", "not_before": not_before.isoformat(), "reason": "password_changed"},
        )
        assert await status_becomes(client, bearer(before), 401) == 401
        assert (await client.get(ME, headers=bearer(before))).json() == {
            "detail": "This session has ended: log in again."
        }
        assert (await client.get(ME, headers=bearer(after))).status_code == 200


async def test_a_user_auth_never_announced_is_refused_once_the_read_model_is_newer(
    widgets_settings, signing_key: Ed25519PrivateKey, nats_url
) -> None:
    """An unknown user's token is refused when the read-model consumed an auth event stamped
    well after the token was issued (their creation would have come first); a brand-new
    user, whose creation may still be on its way, is admitted."""
    unknown_old = mint(signing_key, user_id="deleted-long-ago", iat=time.time() - 60)
    app = make_app(widgets_settings, with_revocations=True)
    async with running_app(app) as client:
        await publish_event(
            nats_url, "auth.user.created", {"user_id": "someone-else", "is_active": True}
        )
        assert await status_becomes(client, bearer(unknown_old), 401) == 401
        assert (await client.get(ME, headers=bearer(unknown_old))).json() == {
            "detail": "Unknown user."
        }
        brand_new = mint(signing_key, user_id="registered-just-now")
        assert (await client.get(ME, headers=bearer(brand_new))).status_code == 200
        # Once auth's event about them arrives, the older token counts again.
        await publish_event(
            nats_url, "auth.user.registered", {"user_id": "deleted-long-ago", "is_active": True}
        )
        assert await status_becomes(client, bearer(unknown_old), 200) == 200


async def test_every_worker_refuses_what_one_of_them_consumed(
    widgets_settings, mint_token, nats_url
) -> None:
    """Two processes of one service share the durable consumer, so only one of them handles the
    event; the other learns it from the NOTIFY of that transaction (its poll is set to an hour,
    so only the notification can be what tells it)."""
    settings = widgets_settings.model_copy(update={"revocation_poll_seconds": 3600.0})
    token = mint_token(user_id="fired-cashier", fam=str(uuid.uuid4()))
    async with AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(running_app(make_app(settings, with_revocations=True)))
            for _ in range(2)
        ]
        for client in clients:
            assert (await client.get(ME, headers=bearer(token))).status_code == 200
        await publish_event(
            nats_url,
            "auth.session.revoked",
            {
                "user_id": "fired-cashier",
                "revoked": [{"id": _claims(token)["jti"], "expires_at": later(300)}],
                "reason": "logout",
            },
        )
        for client in clients:
            assert await status_becomes(client, bearer(token), 401) == 401


async def test_a_restarted_service_refuses_from_its_first_request(
    widgets_settings, mint_token, nats_url
) -> None:
    """The read-model is in the database: a new process loads it before serving."""
    token = mint_token(user_id="left-the-company")
    async with running_app(make_app(widgets_settings, with_revocations=True)) as client:
        await publish_event(
            nats_url,
            "auth.user.deactivated",
            {"user_id": "left-the-company", "is_active": False},
        )
        assert await status_becomes(client, bearer(token), 401) == 401
    async with running_app(make_app(widgets_settings, with_revocations=True)) as client:
        assert (await client.get(ME, headers=bearer(token))).status_code == 401


async def test_a_snapshot_never_moves_past_the_state_it_read(widgets_settings) -> None:
    """A row newer than the state row (its transaction committed between the statements of
    a refresh) is applied, but the version returned stays the state's, so the next refresh
    reads that transaction again, whatever of it the first statements missed."""
    from sqlalchemy import insert

    from common.db import Database
    from common.revocations.store import RevocationStore

    tables = REVOKED
    database = Database(widgets_settings.database_url)
    now = datetime.now(UTC)
    try:
        async with database.session() as session:
            await session.execute(insert(tables.state).values(id=1, last_event_at=now, version=5))
            await session.execute(
                insert(tables.users).values(
                    user_id="newer", is_active=True, changed_at=now, version=9
                )
            )
        store = RevocationStore(tables)
        async with database.session() as session:
            first = await store.changes(session, 0)
            again = await store.changes(session, first.version)
    finally:
        await database.dispose()
    assert first.version == 5 and [user.user_id for user in first.users] == ["newer"]
    assert [user.user_id for user in again.users] == ["newer"]  # read again, not skipped
    assert first.as_of == pytest.approx(now.timestamp())


def _claims(token: str) -> dict[str, Any]:
    import jwt

    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


# ------------------------------------------------------------------ the rules, no I/O


def _principal(**fields: Any) -> Principal:
    values: dict[str, Any] = {
        "user_id": "u1",
        "role": Role.advisor,
        "token_id": "jti-1",
        "session_id": "s1",
        "issued_at": 1_000.0,
    }
    return Principal(**{**values, **fields})


def _snapshot(
    *users: UserStanding, tokens: dict[str, float] | None = None, as_of: float | None = None
) -> RevocationSnapshot:
    snapshot = RevocationSnapshot()
    snapshot.apply(
        Changes(version=1, users=list(users), tokens=tokens or {}, as_of=as_of), now=1_000.0
    )
    return snapshot


RuleCase = tuple[Callable[[], RevocationSnapshot], Principal, str | None]


@pytest.mark.parametrize(
    ("snapshot", "principal", "refusal"),
    [
        (lambda: _snapshot(UserStanding("u1", True, None)), _principal(), None),
        (
            lambda: _snapshot(UserStanding("u1", True, None), tokens={"jti-1": 1_600.0}),
            _principal(),
            "Token has been revoked.",
        ),
        (
            lambda: _snapshot(UserStanding("u1", True, None), tokens={"s1": 1_600.0}),
            _principal(),
            "Token has been revoked.",
        ),
        (
            lambda: _snapshot(UserStanding("u1", True, None), tokens={"jti-1": 999.0}),
            _principal(),
            None,  # an expired revocation is forgotten (verification refuses such a token)
        ),
        (lambda: _snapshot(UserStanding("u1", False, None)), _principal(), "User is inactive."),
        (
            lambda: _snapshot(UserStanding("u1", True, 1_000.5)),
            _principal(),
            "This session has ended: log in again.",
        ),
        (lambda: _snapshot(UserStanding("u1", True, 1_000.5)), _principal(issued_at=1_000.6), None),
        (lambda: _snapshot(), _principal(), None),  # nothing consumed: cannot tell
        (lambda: _snapshot(as_of=1_000.0 + GRACE_SECONDS), _principal(), None),
        (
            lambda: _snapshot(as_of=1_000.1 + GRACE_SECONDS),
            _principal(),
            "Unknown user.",
        ),
    ],
)
def test_refusal_rules(
    snapshot: Callable[[], RevocationSnapshot], principal: Principal, refusal: str | None
) -> None:
    assert snapshot().refusal(principal) == refusal


def test_a_service_token_is_judged_by_its_jti_only() -> None:
    snapshot = _snapshot(as_of=10_000.0, tokens={"svc-jti": 1_600.0})
    assert snapshot.refusal(ServicePrincipal(client="pos", token_id="other", issued_at=1.0)) is None
    refused = ServicePrincipal(client="pos", token_id="svc-jti", issued_at=1.0)
    assert snapshot.refusal(refused) == "Token has been revoked."
