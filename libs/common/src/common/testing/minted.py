"""The users the test plugin minted tokens for, which ``running_app`` announces to an app.

They stand for users auth has; see ``common.testing.plugin``.
"""

from __future__ import annotations

# Every user id a fixture minted a token for, in order.
MINTED_USERS: list[str] = []
