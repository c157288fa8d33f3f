"""Passwords are hashed at production cost in production (the suite hashes cheaply, see conftest)."""

from __future__ import annotations

from sqlalchemy import update

from auth.models import User
from auth.secrets import hashing
from common.db import Database
from common.roles import Role
from tests.conftest import PASSWORD, PRODUCTION_DUMMY_HASH, PRODUCTION_HASHER, stored_user

# RFC 9106's second recommended option (argon2-cffi's default): 64 MiB, 3 passes, 4 lanes.
PRODUCTION_PREFIX = "$argon2id$v=19$m=65536,t=3,p=4$"


def test_production_hashes_passwords_with_argon2id_at_rfc_9106_cost() -> None:
    encoded = PRODUCTION_HASHER.hash(PASSWORD)
    assert encoded.startswith(PRODUCTION_PREFIX)
    assert PRODUCTION_HASHER.verify(encoded, PASSWORD)
    # The unknown-email check costs what a real one does.
    assert PRODUCTION_DUMMY_HASH.startswith(PRODUCTION_PREFIX)


async def test_a_hash_at_other_parameters_is_replaced_at_the_next_login(
    make_user, login, database: Database
) -> None:
    user = await make_user(Role.advisor)
    async with database.session() as session:
        await session.execute(
            update(User)
            .where(User.id == user.id)
            .values(password_hash=PRODUCTION_HASHER.hash(PASSWORD))
        )

    assert (await login(user.email)).status_code == 200

    stored = await stored_user(database, user.id)
    assert stored is not None and stored.password_hash is not None
    assert not stored.password_hash.startswith(PRODUCTION_PREFIX)
    assert hashing.verify_password(stored.password_hash, PASSWORD)
    assert not hashing.needs_rehash(stored.password_hash)
