"""Setting rules: one shop-wide value per key (Manager+ may change any of them), the shape of
the print server keys checked on write, and an event for every change."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.events.contracts import SettingChanged, SettingDeleted
from catalog.events.outbox import outbox
from catalog.settings.models import AppSetting
from catalog.settings.repository import SettingRepository
from catalog.settings.schemas import (
    PRINT_SERVER_RELEASES,
    PRINT_SERVER_VERSION,
    PrintServerRelease,
    SettingIn,
    SettingUpdate,
)
from common.errors import Conflict, NotFound, field_error
from common.pagination import PageParams
from common.roles import Principal
from common.updates import changes

# The keys whose value other routes read, and the shape they must have.
SHAPED: dict[str, TypeAdapter[Any]] = {
    PRINT_SERVER_VERSION: TypeAdapter(PrintServerRelease),
    PRINT_SERVER_RELEASES: TypeAdapter(list[PrintServerRelease]),
}
SHAPES = {
    PRINT_SERVER_VERSION: "one print server release",
    PRINT_SERVER_RELEASES: "a list of print server releases",
}
RELEASES: TypeAdapter[list[PrintServerRelease]] = SHAPED[PRINT_SERVER_RELEASES]


class SettingService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.rows = SettingRepository(session)

    async def get(self, key: str) -> AppSetting:
        setting = await self.rows.by_key(key)
        if setting is None:
            raise NotFound(f"Setting {key!r} not found.")
        return setting

    async def listing(
        self, params: PageParams, *, search: str | None
    ) -> tuple[int, list[AppSetting]]:
        return await self.rows.page(self.rows.listing(search=search), params)

    async def create(self, body: SettingIn, actor: Principal) -> AppSetting:
        if await self.rows.by_key(body.key) is not None:
            raise field_error("key", f"A setting {body.key!r} already exists.", status=Conflict)
        setting = AppSetting(
            key=body.key,
            value=_checked(body.key, body.value),
            description=body.description,
            updated_by=actor.user_id,
        )
        await self.rows.add(setting)
        await self._changed(setting, ["description", "value"], actor)
        return setting

    async def update(self, key: str, body: SettingUpdate, actor: Principal) -> AppSetting:
        setting = await self.get(key)
        values = changes(body)
        if "value" in values:
            values["value"] = _checked(key, values["value"])
        for field, value in values.items():
            setattr(setting, field, value)
        setting.updated_by = actor.user_id
        await self.rows.save(setting)
        await self._changed(setting, sorted(values), actor)
        return setting

    async def delete(self, key: str, actor: Principal) -> None:
        setting = await self.get(key)
        await self.rows.delete(setting)
        await outbox.publish(self.session, SettingDeleted(key=key), actor=actor.user_id)

    async def print_server_release(self) -> PrintServerRelease:
        """The current release (the ``print_server_version`` setting)."""
        setting = await self.rows.by_key(PRINT_SERVER_VERSION)
        if setting is None:
            raise NotFound(f"No print server release is set (setting {PRINT_SERVER_VERSION!r}).")
        return PrintServerRelease.model_validate(setting.value)

    async def print_server_releases(self) -> list[PrintServerRelease]:
        """Every release (the ``print_server_releases`` setting; none set: an empty list)."""
        setting = await self.rows.by_key(PRINT_SERVER_RELEASES)
        if setting is None:
            return []
        return RELEASES.validate_python(setting.value)

    async def _changed(self, setting: AppSetting, changed: list[str], actor: Principal) -> None:
        await outbox.publish(
            self.session,
            SettingChanged(key=setting.key, value=setting.value, changed=changed),
            actor=actor.user_id,
        )


def _checked(key: str, value: Any) -> Any:
    """The value to store: a shaped key's value must have its shape (422 naming the problem)."""
    adapter = SHAPED.get(key)
    if adapter is None:
        return value
    try:
        return adapter.dump_python(adapter.validate_python(value), mode="json")
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or 'value'}: {item['msg']}"
            for item in error.errors()
        )
        raise field_error("value", f"{key} must be {SHAPES[key]}: {problems}") from None
