"""Routes of the six taxonomy resources, one router per ``Resource``, with the seed's
permissions: read public (units and qualities: signed in), writes ``system_admin``.

No ``from __future__ import annotations`` here: the routes' annotations name each
resource's own types, which FastAPI must see as objects, not strings."""

import inspect
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from catalog.deps import taxonomy_service
from catalog.taxonomy.resources import RESOURCES, Resource
from catalog.taxonomy.service import TaxonomyService
from common.openapi import described
from common.pagination import Page, PageDep
from common.roles import Role
from common.routing import put_and_patch
from common.security import current_user, require_roles

ADMIN = Depends(require_roles(Role.system_admin))


def _filters(resource: Resource) -> Callable[..., Coroutine[Any, Any, dict[str, str | None]]]:
    """A dependency reading the resource's ``?<parent>=<slug>`` filters, declared in OpenAPI."""

    async def read(**values: str | None) -> dict[str, str | None]:
        return values

    read.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                default=None,
                annotation=Annotated[str | None, Query(description=f"{name.capitalize()} slug")],
            )
            for name in resource.filters
        ]
    )
    return read


def resource_router(resource: Resource) -> APIRouter:
    Service = Annotated[TaxonomyService, Depends(taxonomy_service(resource))]
    Reader = Annotated[TaxonomyService, Depends(taxonomy_service(resource, reads_only=True))]
    Filters = Annotated[dict[str, str | None], Depends(_filters(resource))]
    readers = [] if resource.public_read else [Depends(current_user)]
    router = APIRouter(prefix=resource.path, tags=[resource.tag])
    missing = described(r404=f"No such {resource.name}")
    out = resource.out
    ordering_help = ", ".join(resource.ordering) + "; '-' for descending"

    @router.get(
        "",
        dependencies=readers,
        summary=f"List {resource.tag}",
        response_model=Page[out],  # type: ignore[valid-type]
    )
    async def list_rows(
        service: Reader,
        page: PageDep,
        filters: Filters,
        search: Annotated[
            str | None, Query(description="Case-insensitive match on the name")
        ] = None,
        ordering: Annotated[str | None, Query(description=ordering_help)] = None,
    ) -> Any:
        return await service.list(page, filters=filters, search=search, ordering=ordering)

    @router.post(
        "",
        status_code=201,
        dependencies=[ADMIN],
        summary=f"Create a {resource.name} (system_admin); its slug is made from the name",
        responses=described(r409="Duplicate"),
        response_model=out,
    )
    async def create_row(body: resource.create, service: Service) -> Any:  # type: ignore[name-defined]
        return out.model_validate(await service.create(body))

    @router.get(
        "/{key}",
        dependencies=readers,
        summary=f"Retrieve a {resource.name} by {resource.key}",
        responses=missing,
        response_model=out,
    )
    async def get_row(key: str, service: Reader) -> Any:
        return out.model_validate(await service.get(key))

    async def update_row(key: str, body: resource.update, service: Service) -> Any:  # type: ignore[name-defined]
        return out.model_validate(await service.update(key, body))

    put_and_patch(
        router,
        "/{key}",
        update_row,
        dependencies=[ADMIN],
        summary=f"Update a {resource.name}'s fields (those sent; the slug never changes)",
        responses={
            **missing,
            **described(r409="Clashes with another row, or would strand products"),
        },
        response_model=out,
    )

    @router.delete(
        "/{key}",
        status_code=204,
        dependencies=[ADMIN],
        summary=f"Delete a {resource.name}; 409 while anything refers to it",
        responses={**missing, **described(r409="Still referred to")},
    )
    async def delete_row(key: str, service: Service) -> Response:
        await service.delete(key)
        return Response(status_code=204)

    return router


routers = [resource_router(resource) for resource in RESOURCES]
