"""Auth test fixtures: a migrated database, the app on real PostgreSQL + NATS, users per role."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope as SmtpEnvelope
from argon2 import PasswordHasher
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from fastapi import FastAPI

from auth.config import AuthSettings
from auth.main import build_app
from auth.models import Base, CustomerProfile, EmployeeProfile, User
from auth.secrets import hashing
from auth.secrets.hashing import hash_password
from common.db import Database
from common.events.envelope import Envelope
from common.migrations import upgrade_head
from common.roles import Role
from common.testing.engines import free_port
from common.testing.helpers import read_events, running_app, truncate_all
from common.testing.plugin import mint
from common.testing.service import ServiceUnderTest

pytest_plugins = ["common.testing.plugin"]

# argon2 at production cost (RFC 9106: 64 MiB, 3 passes, ~0.15 s a hash here) was most of
# this suite's time: every login, registration and password change hashes. In this test
# process (set before any test module hashes) passwords are hashed and checked at argon2's
# lowest cost, still argon2id through the same functions; test_password_hashing checks the
# production hasher's parameters and that a cheap hash made here is rehashed at login.
PRODUCTION_HASHER = hashing._hasher
PRODUCTION_DUMMY_HASH = hashing._DUMMY_HASH
hashing._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
hashing._DUMMY_HASH = hashing._hasher.hash("timing-equaliser-not-a-password")

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
PASSWORD = "correct horse battery"
ADMIN_EMAIL = "root@shopfloor.test"


@pytest.fixture(scope="session")
def service_under_test() -> ServiceUnderTest:
    """What common.testing.standard's tests need to know of auth (its own fixtures stay)."""
    return ServiceUnderTest(
        package="auth",
        migrations=MIGRATIONS,
        metadata=Base.metadata,
        settings_class=AuthSettings,
        build_app=build_app,
    )


@pytest.fixture(scope="session")
def auth_db(fresh_database: Callable[[str], str]) -> str:
    url = fresh_database("auth")
    upgrade_head(MIGRATIONS, url)
    return url


def private_pem_of(key: Ed25519PrivateKey) -> str:
    """The key as JWT_PRIVATE_KEY holds it (PKCS#8 PEM)."""
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode()


@pytest.fixture(scope="session")
def private_pem(signing_key: Ed25519PrivateKey) -> str:
    return private_pem_of(signing_key)


class Mailbox:
    """A local SMTP server (aiosmtpd) keeping every message it receives, for tests to read."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: SmtpEnvelope) -> str:
        content = envelope.content if isinstance(envelope.content, bytes) else b""
        self.messages.append(message_from_bytes(content, _class=EmailMessage, policy=default))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]

    async def wait_for(
        self, address: str, *, count: int = 1, timeout: float = 10.0
    ) -> EmailMessage:
        """The ``count``-th message to ``address`` (waiting for it); the latest one."""
        deadline = time.monotonic() + timeout
        while len(self.to(address)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"no mail #{count} to {address} within {timeout} s")
            await asyncio.sleep(0.05)
        return self.to(address)[count - 1]


def reset_token_in(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    found = re.search(r"^Reset token: (\S+)\r?$", text, re.MULTILINE)
    if found is None:
        raise AssertionError(f"no reset token in the mail: {text!r}")
    return found.group(1)


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Mailbox, str]]:
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield mailbox, f"smtp://127.0.0.1:{controller.port}"
    finally:
        controller.stop()


@pytest.fixture
def mailbox(smtp_server: tuple[Mailbox, str]) -> Mailbox:
    box, _ = smtp_server
    box.messages.clear()
    return box


@pytest.fixture
async def settings(
    auth_db: str, nats_url: str, private_pem: str, smtp_server: tuple[Mailbox, str]
) -> AuthSettings:
    await truncate_all(auth_db, Base.metadata)
    return AuthSettings(
        database_url=auth_db,
        nats_url=nats_url,
        jwt_private_key=private_pem,  # type: ignore[arg-type]
        shopfloor_env="test",  # type: ignore[arg-type]
        shopfloor_admin_email=ADMIN_EMAIL,
        shopfloor_admin_password=PASSWORD,  # type: ignore[arg-type]
        refresh_cookie_secure=False,
        smtp_url=smtp_server[1],  # type: ignore[arg-type]
    )


@pytest.fixture
async def database(settings: AuthSettings) -> AsyncIterator[Database]:
    """auth's own database, for arranging rows and reading back what the API stored."""
    database = Database(settings.database_url, pool_size=2)
    try:
        yield database
    finally:
        await database.dispose()


async def stored_user(database: Database, user_id: uuid.UUID | str) -> User | None:
    """The user row (with its profiles) as it is in the database now."""
    async with database.session() as session:
        return await session.get(User, uuid.UUID(str(user_id)))


async def user_events(
    nats_url: str, subject: str, user_id: uuid.UUID | str, *, since: float, expected: int = 1
) -> list[Envelope]:
    """Events on ``subject`` about one user, published after ``since``, read from JetStream."""
    events = await read_events(nats_url, subject, since=since, expected=expected)
    return [event for event in events if event.data.get("user_id") == str(user_id)]


def bearer(access: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access}"}


@pytest.fixture
def app(settings: AuthSettings) -> FastAPI:
    return build_app(settings)


async def stop_event_tasks(app: FastAPI) -> None:
    """Cancel the relay (and any consumer) until it has really stopped.

    On Python 3.11 ``asyncio.wait_for`` returns instead of raising when a cancel
    races the awaited event being set (fixed in 3.12). ``OutboxRelay.run`` waits
    on its wake event that way, so a NOTIFY arriving as the app shuts down eats
    the lifespan's single cancel and the shutdown waits forever. A second cancel
    lands on a pending wait and ends the task.
    """
    for task in list(app.state.event_tasks):
        while not task.done():
            task.cancel()
            await asyncio.wait({task}, timeout=0.5)


@asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """``running_app`` whose shutdown cannot hang on the relay (see ``stop_event_tasks``)."""
    async with running_app(app) as client:
        try:
            yield client
        finally:
            await stop_event_tasks(app)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with serving(app) as client:
        yield client


MakeUser = Callable[..., Awaitable[User]]


@pytest.fixture
def make_user(settings: AuthSettings) -> MakeUser:
    """Insert a user straight into auth's database (arrange step; the API is what tests act on)."""

    async def factory(
        role: Role = Role.advisor,
        *,
        email: str | None = None,
        password: str | None = PASSWORD,
        stores: list[str] | None = None,
        active: bool = True,
        customer_number: str | None = None,
        first_name: str | None = None,
        last_name: str = "Tester",
        phone: str = "",
    ) -> User:
        database = Database(settings.database_url, pool_size=1)
        try:
            async with database.session() as session:
                user = User(
                    email=email or f"{role.value}-{uuid.uuid4().hex[:8]}@shopfloor.test",
                    password_hash=hash_password(password) if password else None,
                    role=role.value,
                    store_ids=stores or [],
                    is_active=active,
                    first_name=role.value.title() if first_name is None else first_name,
                    last_name=last_name,
                    phone=phone,
                )
                if role in (Role.advisor, Role.branch_head, Role.system_admin):
                    user.employee_profile = EmployeeProfile()
                if role == Role.customer:
                    user.customer_profile = CustomerProfile(
                        customer_number=customer_number or f"CUS-9{uuid.uuid4().int % 10**5:05d}"
                    )
                session.add(user)
                await session.flush()
                await session.refresh(user)
            return user
        finally:
            await database.dispose()

    return factory


HeadersFor = Callable[[User | None], dict[str, str]]


@pytest.fixture
def headers_for(signing_key: Ed25519PrivateKey) -> HeadersFor:
    """Bearer headers for a stored user (None → anonymous)."""

    def factory(user: User | None) -> dict[str, str]:
        if user is None:
            return {}
        token = mint(
            signing_key,
            role=user.role,
            user_id=str(user.id),
            stores=list(user.store_ids),
            email=user.email,
        )
        return {"Authorization": f"Bearer {token}"}

    return factory


@pytest.fixture
async def login(client: httpx.AsyncClient) -> Callable[..., Awaitable[httpx.Response]]:
    async def do(email: str, password: str = PASSWORD) -> httpx.Response:
        return await client.post("/api/auth/login", json={"email": email, "password": password})

    return do
