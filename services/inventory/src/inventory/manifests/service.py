"""Manifest rules: the upload (size, rows, type by content, the header layout recognised by
its template), the raw rows, standardising them through mappings (preview without writing,
then ``ManifestRow``s in one transaction) and undoing that; and ``stage``, which every later
step uses to load the order (store-checked, locked) with its manifest.

Steps run in order (``manifests.steps``): a step whose predecessor has not run is a 409
naming it, and re-running a step is harmless (the same file, the same mappings, the same
rows), except where a later step's work would be lost: then the 409 names the undo.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import Conflict, DomainError, Unprocessable
from common.roles import Principal
from common.uploads import delete_after_commit
from inventory.ai.provider import AIProvider, Message, ProviderError
from inventory.functions.library import catalogue, text
from inventory.items.repository import ItemRepository
from inventory.manifests.announce import step_done
from inventory.manifests.models import Manifest, ManifestRow
from inventory.manifests.reading import read_manifest
from inventory.manifests.repository import ManifestRepository
from inventory.manifests.schemas import PREVIEW_ROWS, PreviewIn, ProcessIn
from inventory.manifests.steps import Step, must_come_first, must_undo_first
from inventory.orders.models import PurchaseOrder
from inventory.orders.service import OrderService
from inventory.orders.states import FINAL
from inventory.storage import Storage
from inventory.templates.models import ManifestTemplate
from inventory.templates.service import TemplateService
from inventory.templates.standard import (
    COLUMNS,
    STANDARD_COLUMNS,
    Mapping_,
    MappingError,
    Standardised,
    compile_mappings,
    header_signature,
    standardise,
)
from inventory.templates.suggest import suggest_from_headers

MAX_REPORTED = 20  # invalid rows named in a 422


class TooLarge(DomainError):
    status_code = 413


class Upload(Protocol):
    @property
    def filename(self) -> str | None: ...

    async def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int


@dataclass(frozen=True)
class Staged:
    order: PurchaseOrder
    manifest: Manifest


@dataclass(frozen=True)
class Processed:
    rows_written: int
    rows_skipped: int
    units: int
    template_id: uuid.UUID | None


class ManifestService:
    def __init__(
        self,
        session: AsyncSession,
        actor: Principal | None,
        *,
        storage: Storage | None = None,
        limits: Limits | None = None,
        provider: AIProvider | None = None,
        suggest_timeout: float = 15.0,
        actor_id: str | None = None,
    ) -> None:
        self.session = session
        self.actor_id = actor.user_id if actor is not None else actor_id
        self.orders = OrderService(session, actor)
        self.manifests = ManifestRepository(session)
        self.templates = TemplateService(session, self.actor_id)
        self.items = ItemRepository(session)
        self.storage = storage
        self.limits = limits or Limits(max_bytes=20 * 1024 * 1024, max_rows=100_000)
        self.provider = provider
        self.suggest_timeout = suggest_timeout

    # -- the stage every step starts from --------------------------------------------------

    async def stage(self, order_id: uuid.UUID, *, lock: bool = True) -> Staged:
        """The order (store-checked, locked) and its manifest, or 409: upload first."""
        order = await self.orders.get(order_id, lock=lock)
        manifest = await self.manifests.of_order(order.id, lock=lock)
        if manifest is None:
            raise must_come_first(order.number, Step.upload)
        return Staged(order, manifest)

    async def standardised(self, order_id: uuid.UUID, *, lock: bool = True) -> Staged:
        staged = await self.stage(order_id, lock=lock)
        if staged.manifest.standardized_at is None:
            raise must_come_first(staged.order.number, Step.standardize)
        return staged

    async def manifest_of(self, order_id: uuid.UUID) -> Manifest | None:
        return await self.manifests.of_order(order_id)

    # -- upload ----------------------------------------------------------------------------

    async def upload(self, order_id: uuid.UUID, upload: Upload) -> Staged:
        order = await self.orders.get(order_id, lock=True)
        if order.status in FINAL:
            raise Conflict(f"Order {order.number} is {order.status}; it takes no manifest.")
        existing = await self.manifests.of_order(order.id, lock=True)
        if existing is not None and existing.standardized_at is not None:
            raise must_undo_first(
                order.number, "clear-manifest-rows", "the manifest's rows are standardised"
            )
        data = await upload.read(self.limits.max_bytes + 1)
        if len(data) > self.limits.max_bytes:
            raise TooLarge(
                f"The manifest is larger than {self.limits.max_bytes // (1024 * 1024)} MiB "
                "(MANIFEST_MAX_BYTES)."
            )
        table = read_manifest(data, max_rows=self.limits.max_rows, max_bytes=self.limits.max_bytes)
        if not table.rows:
            raise Unprocessable("The manifest has a header row but no data rows.")
        storage = self._storage()
        if existing is not None:  # a new upload replaces the last one (nothing depends on it yet)
            await self.manifests.delete(existing)
            delete_after_commit(self.session, storage, existing.storage_key)
        template = await self.templates.for_headers(table.headers)
        key = f"manifest-{uuid.uuid4().hex}.{table.file_type}"
        manifest = await self.manifests.add(
            Manifest(
                order_id=order.id,
                filename=_filename(upload.filename, table.file_type),
                storage_key=key,
                file_type=table.file_type,
                encoding=table.encoding,
                delimiter=table.delimiter,
                size=len(data),
                headers=table.headers,
                header_signature=header_signature(table.headers),
                row_count=len(table.rows),
                template_id=template.id if template else None,
                preview=table.rows[:PREVIEW_ROWS],
                mappings=dict(template.mappings) if template else {},
                uploaded_by=self.actor_id,
            )
        )
        await self.manifests.add_raw_rows(manifest.id, table.rows)
        await step_done(
            self.session,
            order,
            "upload-manifest",
            {"rows": manifest.row_count, "columns": len(manifest.headers)},
            actor=self.actor_id,
        )
        await storage.save(key, data)  # after the rows: a failed insert leaves no file
        return Staged(order, manifest)

    # -- raw rows --------------------------------------------------------------------------

    async def raw_rows(
        self, order_id: uuid.UUID, *, search: str | None, limit: int
    ) -> dict[str, Any]:
        staged = await self.stage(order_id, lock=False)
        manifest = staged.manifest
        template = await self._template(manifest)
        return {
            "headers": manifest.headers,
            "header_signature": manifest.header_signature,
            "total_rows": manifest.row_count,
            "matching_rows": await self.manifests.raw_count(manifest.id, search),
            "rows": [
                {"row_no": number, "cells": cells}
                for number, cells in await self.manifests.raw_rows(
                    manifest.id, search=search, limit=limit
                )
            ],
            "template": template,
            "mappings": manifest.mappings or (template.mappings if template else {}),
            "standard_columns": [
                {
                    "name": column.name,
                    "kind": column.kind.value,
                    "description": column.description,
                    "required": column.required,
                }
                for column in STANDARD_COLUMNS
            ],
            "functions": catalogue(),
        }

    # -- standardising ---------------------------------------------------------------------

    async def preview(self, order_id: uuid.UUID, body: PreviewIn) -> dict[str, Any]:
        staged = await self.stage(order_id, lock=False)
        mapping = await self._mapping(staged.manifest, body.mappings)
        results = await self._standardise_all(staged.manifest, mapping)
        term = (body.search_term or "").strip().casefold()
        found = [result for result in results if not term or term in result.searchable()]
        errors = Counter(column for result in results for column in result.errors)
        invalid = sum(1 for result in results if result.errors)
        return {
            "total_rows": len(results),
            "valid_rows": len(results) - invalid,
            "invalid_rows": invalid,
            "matching_rows": len(found),
            "errors_by_column": dict(errors),
            "rows": [_shown(result) for result in found[: body.limit]],
        }

    async def check_process(self, staged: Staged, body: ProcessIn) -> Mapping_:
        """What refuses process-manifest before any row is read: a later step's work that
        standardising again would lose (409), mappings that do not compile (422)."""
        if staged.manifest.standardized_at is not None:
            await self._replaceable(staged.order, staged.manifest)
        return await self._mapping(staged.manifest, body.mappings)

    async def process(
        self, order_id: uuid.UUID, body: ProcessIn, *, job_id: uuid.UUID | None = None
    ) -> Processed:
        """Write the standardised rows (``job_id``: the background job doing it)."""
        staged = await self.stage(order_id)
        order, manifest = staged.order, staged.manifest
        mapping = await self.check_process(staged, body)
        results = await self._standardise_all(manifest, mapping)
        invalid = [result for result in results if result.errors]
        if invalid and not body.skip_invalid:
            raise Unprocessable(
                [
                    {
                        "field": f"rows.{result.row_no}.{column}",
                        "loc": ["body", "rows", str(result.row_no), column],
                        "msg": f"Row {result.row_no}: {message}",
                        "type": "value_error",
                    }
                    for result in invalid[:MAX_REPORTED]
                    for column, message in result.errors.items()
                ]
                + (
                    [{"field": "rows", "loc": ["body", "rows"], "type": "value_error",
                      "msg": f"{len(invalid)} rows do not standardise in all (skip_invalid leaves them out)"}]
                    if len(invalid) > MAX_REPORTED else []
                )
            )  # fmt: skip
        valid = [result for result in results if not result.errors]
        if not valid:
            raise Unprocessable("No row standardises with these mappings.")
        await self.manifests.delete_rows(order.id)
        await self.manifests.add_rows([_row_values(order.id, result) for result in valid])
        mappings = {name: chain.text for name, chain in mapping.chains.items()}
        manifest.mappings = mappings
        manifest.standardized_at = datetime.now(UTC)
        template_id = manifest.template_id
        if body.save_template is not None:
            template = await self.templates.save_for(
                manifest.headers, mappings, name=body.save_template.name, vendor_id=order.vendor_id
            )
            manifest.template_id = template_id = template.id
        await self.manifests.flush()
        processed = Processed(
            rows_written=len(valid),
            rows_skipped=len(invalid),
            units=sum(int(result.values["quantity"]) for result in valid),
            template_id=template_id,
        )
        counts = {
            "rows_written": processed.rows_written,
            "rows_skipped": processed.rows_skipped,
            "units": processed.units,
        }
        await step_done(
            self.session, order, "process-manifest", counts, actor=self.actor_id, job_id=job_id
        )
        return processed

    async def clear_rows(self, order_id: uuid.UUID) -> int:
        """Undo process-manifest: every ManifestRow goes (refused once items exist)."""
        staged = await self.stage(order_id)
        order, manifest = staged.order, staged.manifest
        items = await self.items.count_of_order(order.id)
        if items:
            raise Conflict(
                f"Order {order.number}: {items} items were created from its manifest rows "
                "(create-items); purge-delete removes them with the order, the rows stay until then."
            )
        cleared = await self.manifests.delete_rows(order.id)
        manifest.standardized_at = manifest.matched_at = manifest.priced_at = None
        manifest.finalized_at = manifest.items_created_at = None
        await self.manifests.flush()
        await step_done(
            self.session, order, "clear-manifest-rows", {"cleared": cleared}, actor=self.actor_id
        )
        return cleared

    # -- suggestions -----------------------------------------------------------------------

    async def suggest(self, order_id: uuid.UUID, *, use_ai: bool) -> dict[str, Any]:
        staged = await self.stage(order_id, lock=False)
        headers = staged.manifest.headers
        fallback = suggest_from_headers(headers)
        source, mappings = "headers", fallback
        if use_ai and self.provider is not None:
            asked = await self._ask_ai(headers, staged.manifest.preview[:5])
            if asked:
                source, mappings = "ai", {**fallback, **asked}
        ordered = {
            column.name: mappings[column.name]
            for column in STANDARD_COLUMNS
            if column.name in mappings
        }
        return {
            "source": source,
            "mappings": ordered,
            "unmapped": [column.name for column in STANDARD_COLUMNS if column.name not in ordered],
        }

    async def _ask_ai(
        self, headers: Sequence[str], sample: Sequence[Sequence[str]]
    ) -> dict[str, str]:
        """The provider's mappings, each kept only if it compiles; {} when it fails (the
        deterministic suggestion stands). One bounded call: AI_SUGGEST_TIMEOUT_SECONDS."""
        provider = self.provider
        if provider is None:
            return {}
        prompt = json.dumps(
            {"headers": list(headers), "sample_rows": [list(row) for row in sample]}
        )
        try:
            answer = await asyncio.wait_for(
                provider.complete(
                    model=provider.default_model,
                    system=SUGGEST_SYSTEM,
                    messages=[Message("user", prompt)],
                    max_tokens=800,
                    timeout=self.suggest_timeout,
                ),
                timeout=self.suggest_timeout,
            )
        except (ProviderError, TimeoutError):
            return {}
        proposed = _json_object(answer.content)
        kept: dict[str, str] = {}
        for name, chain in proposed.items():
            if name in COLUMNS and isinstance(chain, str) and len(chain) <= 2000:
                try:
                    compile_mappings(
                        {"title": "[" + headers[0].replace("]", "]]") + "]", name: chain}, headers
                    )
                except MappingError:
                    continue
                kept[name] = chain
        return kept

    # -- helpers ---------------------------------------------------------------------------

    def _storage(self) -> Storage:
        if self.storage is None:
            raise RuntimeError("uploading needs the storage")
        return self.storage

    async def _template(self, manifest: Manifest) -> ManifestTemplate | None:
        if manifest.template_id is None:
            return None
        return await self.templates.templates.get(manifest.template_id)

    async def _mapping(self, manifest: Manifest, wanted: Mapping[str, str] | None) -> Mapping_:
        mappings = wanted
        if mappings is None:
            template = await self._template(manifest)
            mappings = template.mappings if template else manifest.mappings
        if not mappings:
            raise Unprocessable(
                [{"field": "mappings", "loc": ["body", "mappings"], "type": "value_error",
                  "msg": "No mappings: send them (suggest-formulas proposes some) or save a template."}]
            )  # fmt: skip
        try:
            return compile_mappings(mappings, manifest.headers)
        except MappingError as exc:
            raise Unprocessable(exc.problems) from None

    async def _standardise_all(self, manifest: Manifest, mapping: Mapping_) -> list[Standardised]:
        rows = await self.manifests.raw_rows(manifest.id)
        return [standardise(number, cells, mapping) for number, cells in rows]

    async def _replaceable(self, order: PurchaseOrder, manifest: Manifest) -> None:
        """Standardising again replaces the rows, unless later work depends on them."""
        if manifest.items_created_at is not None or await self.items.count_of_order(order.id):
            raise Conflict(f"Order {order.number}: items exist; its rows can no longer change.")
        if manifest.priced_at is not None or manifest.finalized_at is not None:
            raise must_undo_first(order.number, "clear-pricing", "its rows are priced")
        if manifest.matched_at is not None:
            raise must_undo_first(order.number, "undo-product-matching", "its rows are matched")
        if await self.manifests.row_count(order.id, ai_cleaned_at__not=None):
            raise must_undo_first(order.number, "cancel-ai-cleanup", "its rows were cleaned by AI")


SUGGEST_SYSTEM = (
    "You map the columns of a vendor's CSV manifest to standard columns. Answer with one JSON "
    "object and nothing else: standard column name -> function chain. Standard columns: "
    + ", ".join(f"{column.name} ({column.description})" for column in STANDARD_COLUMNS)
    + ". A chain references a column as [Header Name] and may pipe it through functions: "
    + "; ".join(f"{item['signature']}: {item['description']}" for item in catalogue())
    + '. Example: {"title": "[Item Description] | trim", "unit_cost": "[Cost] | money"}.'
)


def _json_object(answer: str) -> dict[str, Any]:
    found = re.search(r"\{.*\}", answer, re.DOTALL)
    if found is None:
        return {}
    try:
        value = json.loads(found.group(0))
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _filename(given: str | None, file_type: str) -> str:
    base = PurePath(given or "manifest").name[:200] or "manifest"
    suffix = f".{file_type}"
    return base if base.lower().endswith(suffix) else f"{PurePath(base).stem or 'manifest'}{suffix}"


def _shown(result: Standardised) -> dict[str, Any]:
    return {
        "row_no": result.row_no,
        "values": {name: (text(value) if not isinstance(value, int | str) else value)
                   for name, value in result.values.items() if value is not None},
        "specs": result.specs,
        "errors": result.errors,
    }  # fmt: skip


def _row_values(order_id: uuid.UUID, result: Standardised) -> dict[str, Any]:
    values = result.values
    return {
        "order_id": order_id,
        "row_no": result.row_no,
        "title": values["title"],
        "brand": values["brand"],
        "model": values["model"],
        "upc": values["upc"],
        "vendor_sku": values["vendor_sku"],
        "quantity": values["quantity"],
        "unit_cost": values["unit_cost"],
        "retail_price": values["retail_price"],
        "condition": values["condition"],
        "category": values["category"],
        "description": values["description"],
        "specs": result.specs,
        "search_text": result.searchable(),
        "match_candidates": [],
        "pricing_stage": "unpriced",
    }


def row_shape(row: ManifestRow) -> dict[str, Any]:
    """A standardised row as the pipeline's answers show it."""
    return {
        "id": row.id,
        "row_no": row.row_no,
        "title": row.title,
        "brand": row.brand,
        "model": row.model,
        "upc": row.upc,
        "vendor_sku": row.vendor_sku,
        "quantity": row.quantity,
        "unit_cost": row.unit_cost,
        "retail_price": row.retail_price,
        "condition": row.condition,
        "category": row.category,
        "specs": row.specs,
        "ai_title": row.ai_title,
    }
