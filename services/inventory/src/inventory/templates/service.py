"""Template rules: one template per header signature, mappings that compile against the
template's headers (a chain that does not parse or names an unknown column is a 422 naming
the mapping and the position), and the upsert ``process-manifest`` uses to save one."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, NotFound, Unprocessable, field_error
from common.pagination import PageParams
from common.updates import assign
from common.updates import changes as sent
from inventory.events.contracts import ManifestTemplateChanged
from inventory.events.outbox import outbox
from inventory.templates.models import ManifestTemplate
from inventory.templates.repository import TemplateRepository
from inventory.templates.schemas import TemplateIn, TemplateUpdate
from inventory.templates.standard import MappingError, compile_mappings, header_signature
from inventory.vendors.service import VendorService


class TemplateService:
    def __init__(self, session: AsyncSession, actor_id: str | None) -> None:
        self.session = session
        self.templates = TemplateRepository(session)
        self.vendors = VendorService(session)
        self.actor_id = actor_id

    async def get(self, template_id: uuid.UUID) -> ManifestTemplate:
        template = await self.templates.get(template_id)
        if template is None:
            raise NotFound(f"Template {template_id} not found.")
        return template

    async def for_headers(self, headers: Sequence[str]) -> ManifestTemplate | None:
        """The template of this header layout (recognised by its signature), if any."""
        return await self.templates.by_signature(header_signature(headers))

    async def listing(
        self,
        *,
        vendor: uuid.UUID | None,
        signature: str | None,
        search: str | None,
        page: PageParams,
    ) -> tuple[int, list[Any]]:
        return await self.templates.listing(
            vendor=vendor, signature=signature, search=search, page=page
        )

    async def create(self, body: TemplateIn) -> ManifestTemplate:
        signature = header_signature(body.headers)
        await self._signature_free(signature)
        if body.vendor_id is not None:
            await self.vendors.active(body.vendor_id)
        check_mappings(body.mappings, body.headers)
        template = await self.templates.add(
            ManifestTemplate(
                name=body.name,
                vendor_id=body.vendor_id,
                header_signature=signature,
                headers=list(body.headers),
                mappings=dict(body.mappings),
                created_by=self.actor_id,
            )
        )
        await self._announce(template, "created")
        return template

    async def update(self, template_id: uuid.UUID, body: TemplateUpdate) -> ManifestTemplate:
        template = await self.get(template_id)
        changes = sent(body)
        if changes.get("vendor_id") is not None:
            await self.vendors.active(changes["vendor_id"])
        headers = changes.get("headers", template.headers)
        if "headers" in changes:
            changes["header_signature"] = header_signature(headers)
            await self._signature_free(changes["header_signature"], except_id=template.id)
        check_mappings(changes.get("mappings", template.mappings), headers)
        changed = assign(template, changes)
        template = await self.templates.save(template)
        if changed:
            await self._announce(template, "updated", changed)
        return template

    async def delete(self, template_id: uuid.UUID) -> None:
        template = await self.get(template_id)
        gone = _event(template, [])
        await self.templates.delete(template)
        await outbox.publish(
            self.session, gone, subject="inventory.manifest_template.deleted", actor=self.actor_id
        )

    async def save_for(
        self,
        headers: Sequence[str],
        mappings: Mapping[str, str],
        *,
        name: str,
        vendor_id: uuid.UUID | None,
    ) -> ManifestTemplate:
        """Create the template of this layout, or replace its mappings (idempotent)."""
        signature = header_signature(headers)
        template = await self.templates.by_signature(signature)
        if template is None:
            return await self.templates.add(
                ManifestTemplate(
                    name=name,
                    vendor_id=vendor_id,
                    header_signature=signature,
                    headers=list(headers),
                    mappings=dict(mappings),
                    created_by=self.actor_id,
                )
            )
        template.name, template.mappings = name, dict(mappings)
        if vendor_id is not None:
            template.vendor_id = vendor_id
        return await self.templates.save(template)

    async def _announce(
        self, template: ManifestTemplate, verb: str, changed: list[str] | None = None
    ) -> None:
        await outbox.publish(
            self.session,
            _event(template, changed or []),
            verb=verb,
            actor=self.actor_id,
        )

    async def _signature_free(self, signature: str, except_id: uuid.UUID | None = None) -> None:
        found = await self.templates.by_signature(signature)
        if found is not None and found.id != except_id:
            raise field_error(
                "headers",
                f"Template {found.name!r} already has this header layout (signature "
                f"{signature[:12]}…): edit it instead.",
                status=Conflict,
            )


def _event(template: ManifestTemplate, changed: list[str]) -> ManifestTemplateChanged:
    return ManifestTemplateChanged(
        template_id=template.id,
        name=template.name,
        vendor_id=template.vendor_id,
        header_signature=template.header_signature,
        columns=len(template.headers),
        changed=changed,
    )


def check_mappings(mappings: Mapping[str, str], headers: Sequence[str]) -> None:
    """422 naming each mapping that does not compile against ``headers``."""
    try:
        compile_mappings(mappings, headers)
    except MappingError as exc:
        raise Unprocessable(exc.problems) from None
