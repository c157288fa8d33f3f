"""Changing, forgetting and resetting a password. Every change ends the user's other sessions.

A reset token is random, stored only as its SHA-256, single-use and short-lived.
It leaves the service only by mail to the account's address (``auth.mail``), sent
after the commit; ``auth.password_reset.requested`` says that a reset was asked
for, never with the token (every consumer and the audit log read events). The
HTTP response carries it only with ``AUTH_EXPOSE_RESET_TOKEN=true``, which the
settings refuse outside development.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from auth.accounts.repository import UserRepository
from auth.accounts.service import check_password
from auth.config import AuthSettings
from auth.events.contracts import SessionsEnded
from auth.events.outbox import PASSWORD_RESET_REQUESTED, outbox
from auth.mail import Mailer
from auth.models import PasswordResetToken, User
from auth.secrets.hashing import hash_password, verify_password
from auth.tokens.ending import SessionEnder
from common.errors import BadRequest, NotFound, field_error
from common.roles import Principal


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class PasswordService:
    def __init__(self, session: AsyncSession, settings: AuthSettings, mailer: Mailer) -> None:
        self.session = session
        self.settings = settings
        self.mailer = mailer
        self.users = UserRepository(session)
        self.ender = SessionEnder(session)

    async def _set_password(self, user: User, new_password: str, reason: SessionsEnded) -> None:
        user.password_hash = hash_password(new_password)
        user.password_changed_at = datetime.now(UTC)
        await self.ender.end_all(user, reason=reason, actor=str(user.id))

    async def change(self, principal: Principal, old_password: str, new_password: str) -> None:
        user = await self.users.get_for_update(uuid.UUID(principal.user_id))
        if user is None:
            raise NotFound("User not found.")
        if not verify_password(user.password_hash, old_password):
            raise field_error("old_password", "Your old password is incorrect.", status=BadRequest)
        if old_password == new_password:
            raise field_error("new_password", "The new password must differ from the old one.")
        check_password(new_password, email=user.email, field="new_password")
        await self._set_password(user, new_password, SessionsEnded.password_changed)

    async def forgot(self, email: str) -> str | None:
        """Issue a reset token when an active account exists; say nothing either way."""
        user = await self.users.by_email(email)
        if user is None or not user.is_active:
            return None
        token = secrets.token_urlsafe(32)
        expires_at = datetime.now(UTC) + timedelta(minutes=self.settings.password_reset_minutes)
        self.session.add(
            PasswordResetToken(token_hash=_digest(token), user_id=user.id, expires_at=expires_at)
        )
        await outbox.add(
            self.session,
            PASSWORD_RESET_REQUESTED,
            {"user_id": str(user.id), "email": user.email, "expires_at": expires_at.isoformat()},
            actor=None,
        )
        self.mailer.send_after_commit(self.session, self._reset_mail(user, token))
        return token

    def _reset_mail(self, user: User, token: str) -> EmailMessage:
        minutes = self.settings.password_reset_minutes
        link = self.settings.password_reset_url
        how = (
            f"Open this link to choose a new password:\n{link.format(token=token)}\n\n"
            if link
            else "Send it with your new password to POST /api/auth/reset-password.\n\n"
        )
        text = (
            f"Hello {user.first_name or user.email},\n\n"
            f"someone, hopefully you, asked to reset the password of the Shopfloor account "
            f"{user.email}.\n\n"
            f"Reset token: {token}\n\n"
            f"{how}"
            f"It works once, within {minutes} minutes. If you did not ask for this, ignore "
            "this mail: your password stays as it is.\n"
        )
        return self.mailer.compose(
            to=user.email, subject="Reset your Shopfloor password", text=text
        )

    async def reset(self, token: str, new_password: str) -> None:
        row = (
            await self.session.execute(
                select(PasswordResetToken)
                .where(PasswordResetToken.token_hash == _digest(token))
                .with_for_update()
            )
        ).scalar_one_or_none()
        if row is None or row.used_at is not None or row.expires_at < datetime.now(UTC):
            raise field_error(
                "token", "This reset token is invalid, expired or already used.", status=BadRequest
            )
        user = await self.users.get_for_update(row.user_id)
        if user is None or not user.is_active:
            raise field_error(
                "token", "This reset token is invalid, expired or already used.", status=BadRequest
            )
        check_password(new_password, email=user.email, field="new_password")
        await self._set_password(user, new_password, SessionsEnded.password_reset)
        # Every outstanding token of this user dies with this reset.
        await self.session.execute(
            update(PasswordResetToken)
            .where(PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None))
            .values(used_at=datetime.now(UTC))
        )
