"""Geofences: a system admin manages them; a punch is located against them.

A store's fences are its active geofences plus catalog's circle (the store's coordinates and
``geofence_radius_m``, when catalog has them). A fix inside a fence whose radius is at least
the fix's accuracy is accepted; inside but less precise than the fence is ``low_accuracy``;
outside every fence is ``outside`` with the distance to the nearest. A store with no fence
at all has nothing to check a punch against: it is accepted and says so (``no_fence``).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from attendance.events.outbox import announce
from attendance.events.setup import GeofenceChanged
from attendance.geofences.geometry import Circle, Shape
from attendance.geofences.models import FenceKind, Geofence
from attendance.geofences.repository import GeofenceRepository
from attendance.geofences.schemas import GeofenceIn, GeofenceUpdate, shape_problem
from attendance.stores.models import Store
from attendance.stores.service import StoreService
from common.errors import NotFound, field_error
from common.updates import apply_changes

CATALOG_FENCE = "store location (catalog)"


class Fix(StrEnum):
    inside = "inside"
    low_accuracy = "low_accuracy"
    outside = "outside"
    no_fence = "no_fence"


@dataclass(frozen=True)
class Location:
    """Where a punch was, judged against the store's fences."""

    latitude: float
    longitude: float
    accuracy_m: float | None
    fix: Fix
    fence: str | None = None  # the fence it was judged by (inside, or the nearest)
    distance_m: float | None = None
    radius_m: float | None = None

    @property
    def accepted(self) -> bool:
        return self.fix in (Fix.inside, Fix.no_fence)


def locate(
    fences: Sequence[tuple[str, Shape]], latitude: float, longitude: float, accuracy_m: float | None
) -> Location:
    """Judge one fix against named fences (the rule of this module's docstring)."""
    if not fences:
        return Location(latitude, longitude, accuracy_m, Fix.no_fence)
    judged = [
        (name, shape, shape.contains(latitude, longitude), shape.distance_m(latitude, longitude))
        for name, shape in fences
    ]
    inside = [item for item in judged if item[2]]
    for name, shape, _, distance in inside:
        if accuracy_m is None or accuracy_m <= shape.radius_m:
            return Location(
                latitude, longitude, accuracy_m, Fix.inside, name, distance, shape.radius_m
            )
    if inside:
        name, shape, _, distance = max(inside, key=lambda item: item[1].radius_m)
        return Location(
            latitude, longitude, accuracy_m, Fix.low_accuracy, name, distance, shape.radius_m
        )
    name, shape, _, distance = min(judged, key=lambda item: _beyond(item[1], item[3]))
    return Location(latitude, longitude, accuracy_m, Fix.outside, name, distance, shape.radius_m)


def _beyond(shape: Shape, distance: float) -> float:
    """How far outside a fence a point is (a circle's distance is to its centre)."""
    return distance - shape.radius_m if isinstance(shape, Circle) else distance


class GeofenceService:
    def __init__(self, session: AsyncSession, *, actor: str | None = None) -> None:
        self.session = session
        self.actor = actor
        self.geofences = GeofenceRepository(session)

    def listing(self, *, store: uuid.UUID | None, active: bool | None) -> Select[Any]:
        return self.geofences.listing(store=store, active=active)

    async def get(self, geofence_id: uuid.UUID) -> Geofence:
        geofence = await self.geofences.get(geofence_id)
        if geofence is None:
            raise NotFound(f"Geofence {geofence_id} not found.")
        return geofence

    async def create(self, body: GeofenceIn) -> Geofence:
        await StoreService(self.session).known(body.store_id, "store_id")
        values = body.model_dump()
        _check_shape(values)
        geofence = await self.geofences.add(Geofence(**values))
        await announce(self.session, _event(geofence, []), "created", self.actor)
        return geofence

    async def update(self, geofence_id: uuid.UUID, body: GeofenceUpdate) -> Geofence:
        geofence = await self.get(geofence_id)
        changed = apply_changes(geofence, body)
        if "kind" in changed:  # the other shape's fields go, unless the body set them
            sent = body.model_fields_set
            if geofence.kind == FenceKind.polygon:
                for field in {"center_latitude", "center_longitude", "radius_m"} - sent:
                    if getattr(geofence, field) is not None:
                        setattr(geofence, field, None)
                        changed.add(field)
            elif "points" not in sent and geofence.points is not None:
                geofence.points = None
                changed.add("points")
        if changed:
            _check_shape(
                {
                    "kind": geofence.kind,
                    "center_latitude": geofence.center_latitude,
                    "center_longitude": geofence.center_longitude,
                    "radius_m": geofence.radius_m,
                    "points": geofence.points,
                }
            )
            await self.session.flush()
            await self.session.refresh(geofence)
            await announce(self.session, _event(geofence, sorted(changed)), "updated", self.actor)
        return geofence

    async def delete(self, geofence_id: uuid.UUID) -> None:
        geofence = await self.get(geofence_id)
        event = _event(geofence, [])
        await self.geofences.delete(geofence)
        await announce(self.session, event, "deleted", self.actor)

    async def has_fences(self, store: Store) -> bool:
        return bool(await self._fences(store))

    async def locate(
        self, store: Store, latitude: float, longitude: float, accuracy_m: float | None
    ) -> Location:
        """Judge a punch's fix against every fence of ``store``."""
        return locate(await self._fences(store), latitude, longitude, accuracy_m)

    async def _fences(self, store: Store) -> list[tuple[str, Shape]]:
        """The store's active geofences, and catalog's circle around its coordinates."""
        fences: list[tuple[str, Shape]] = [
            (fence.name, fence.shape()) for fence in await self.geofences.active_of(store.id)
        ]
        if store.latitude is not None and store.longitude is not None and store.geofence_radius_m:
            fences.append(
                (CATALOG_FENCE, Circle(store.latitude, store.longitude, store.geofence_radius_m))
            )
        return fences


def _event(geofence: Geofence, changed: list[str]) -> GeofenceChanged:
    return GeofenceChanged.of(geofence, geofence_id=geofence.id, changed=changed)


def _check_shape(values: dict[str, Any]) -> None:
    problem = shape_problem(
        values["kind"],
        values.get("center_latitude"),
        values.get("center_longitude"),
        values.get("radius_m"),
        values.get("points"),
    )
    if problem:
        raise field_error(*problem)
