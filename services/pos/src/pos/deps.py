"""Dependencies shared by POS routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from pos.config import PosSettings


def get_pos_settings(request: Request) -> PosSettings:
    settings: PosSettings = request.app.state.settings
    return settings


SettingsDep = Annotated[PosSettings, Depends(get_pos_settings)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Same key + same body → the same sale and response; + another body → 422",
    ),
]
