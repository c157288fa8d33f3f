"""One generic CRUD for the simple catalog resources (departments, categories, subcategories,
brands, units, qualities): create with a generated slug, read by slug (or id), update with the
slug immutable, delete refused with 409 while children point at the row.

Each resource is described by a ``Resource``; ``crud_router`` turns it into routes with the
seed's permissions (public or authenticated read, ``system_admin`` writes).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel
from sqlalchemy import Select, Table, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from catalog.slugs import refuse_slug_change, unique_slug
from common.db import SessionDep
from common.errors import Conflict, NotFound, field_error
from common.pagination import Page, PageDep, apply_ordering, apply_search, make_page, paginate
from common.roles import Role
from common.security import current_user, require_roles

MAX_ID = 2**31 - 1  # integer primary keys


@dataclass(frozen=True)
class Child:
    """A table whose rows refer to this resource; deleting while any exist is refused."""

    model: Any
    column: str
    label: str


@dataclass(frozen=True)
class ParentRef:
    """A body field naming the parent by slug (``department``), stored as its id."""

    field: str
    model: Any
    column: str


@dataclass(frozen=True)
class Resource:
    name: str  # "department"
    path: str  # "/api/departments"
    model: Any
    create: type[BaseModel]
    update: type[BaseModel]
    out: Callable[[Any], BaseModel]
    out_type: type[BaseModel]
    key: str = "slug"
    public_read: bool = True
    children: Sequence[Child] = ()
    parent: ParentRef | None = None
    filters: dict[str, tuple[Any, Any]] = field(
        default_factory=dict
    )  # query name → (join model, column)
    search: Sequence[str] = ("name",)
    ordering: Sequence[str] = ("name", "created_at")
    unique_fields: Sequence[str] = ()
    # Rows that also store this row's parent (products keep department and category): a move
    # to another parent is refused while any exist, or they would silently disagree with it.
    placed: Sequence[Child] = ()


async def _resolve_parent(session: AsyncSession, parent: ParentRef, value: Any) -> int:
    row = (
        await session.execute(select(parent.model.id).where(parent.model.slug == value))
    ).scalar_one_or_none()
    if row is None:
        raise field_error(parent.field, f"No {parent.field} with slug '{value}'.")
    return int(row)


class CrudService:
    def __init__(self, resource: Resource, session: AsyncSession) -> None:
        self.r = resource
        self.session = session

    async def get(self, key: str) -> Any:
        column = getattr(self.r.model, self.r.key)
        lookup: Any = key
        if self.r.key == "id":
            # ASCII digits within PostgreSQL's integer: "²" or a 20-digit id is a 404, not a 500.
            if not (key.isascii() and key.isdigit()) or int(key) > MAX_ID:
                raise NotFound(f"No {self.r.name} with id '{key}'.")
            lookup = int(key)
        row = (
            (await self.session.execute(select(self.r.model).where(column == lookup)))
            .unique()
            .scalar_one_or_none()
        )
        if row is None:
            raise NotFound(f"No {self.r.name} with {self.r.key} '{key}'.")
        return row

    async def _apply(self, row: Any, values: dict[str, Any]) -> None:
        if self.r.parent and self.r.parent.field in values:
            parent_id = await _resolve_parent(
                self.session, self.r.parent, values.pop(self.r.parent.field)
            )
            current = getattr(row, self.r.parent.column, None)
            if current is not None and parent_id != current:
                await self._refuse_move(row)
            values[self.r.parent.column] = parent_id
        for name in self.r.unique_fields:
            if name in values:
                column = getattr(self.r.model, name)
                clash = select(self.r.model.id).where(
                    func.lower(column) == str(values[name]).lower()
                )
                if getattr(row, "id", None) is not None:
                    clash = clash.where(self.r.model.id != row.id)
                if (await self.session.execute(clash)).first():
                    raise field_error(
                        name, f"A {self.r.name} with this {name} already exists.", status=Conflict
                    )
        for name, value in values.items():
            setattr(row, name, value)

    async def _refuse_move(self, row: Any) -> None:
        assert self.r.parent is not None
        for child in self.r.placed:
            column = getattr(child.model, child.column)
            count = (
                await self.session.execute(
                    select(func.count()).select_from(child.model).where(column == row.id)
                )
            ).scalar_one()
            if count:
                raise field_error(
                    self.r.parent.field,
                    f"Cannot move {self.r.name} '{row.slug}' to another {self.r.parent.field}: "
                    f"{count} {child.label} are placed in it. Move them first.",
                    status=Conflict,
                )

    async def create(self, body: BaseModel) -> Any:
        values = body.model_dump(exclude_unset=True, mode="json")
        values.pop("slug", None)
        row = self.r.model()
        await self._apply(row, values)
        row.slug = await unique_slug(self.session, self.r.model, values["name"])
        self.session.add(row)
        await self._flush()
        return await self.get(str(getattr(row, self.r.key)))

    async def update(self, key: str, body: BaseModel) -> Any:
        row = await self.get(key)
        values = {
            k: v
            for k, v in body.model_dump(exclude_unset=True, mode="json").items()
            if v is not None
        }
        refuse_slug_change(values, row.slug)
        await self._apply(row, values)
        await self._flush()
        await self.session.refresh(row)
        return await self.get(key)

    async def delete(self, key: str) -> None:
        row = await self.get(key)
        blocking = []
        for child in self.r.children:
            column = (
                child.model.c[child.column]
                if isinstance(child.model, Table)
                else getattr(child.model, child.column)
            )
            count = (
                await self.session.execute(
                    select(func.count()).select_from(child.model).where(column == row.id)
                )
            ).scalar_one()
            if count:
                blocking.append(f"{count} {child.label}")
        if blocking:
            raise Conflict(
                f"Cannot delete {self.r.name} '{key}': it still has {', '.join(blocking)}. Move or delete them first."
            )
        await self.session.delete(row)
        await self._flush()

    async def _flush(self) -> None:
        try:
            await self.session.flush()
        except IntegrityError as exc:
            raise Conflict(
                f"This {self.r.name} conflicts with an existing one: {exc.orig}"
            ) from exc

    def listing(self, request: Request, search: str | None, ordering: str | None) -> Select[Any]:
        statement: Select[Any] = select(self.r.model)
        for query_name, (join_model, column) in self.r.filters.items():
            value = request.query_params.get(query_name)
            if value:
                if join_model is None:
                    statement = statement.where(column == value)
                else:
                    statement = statement.join(join_model).where(column == value)
        statement = apply_search(
            statement, search, [getattr(self.r.model, name) for name in self.r.search]
        )
        allowed = {name: getattr(self.r.model, name) for name in self.r.ordering}
        return apply_ordering(statement, ordering, allowed, [self.r.model.id])


ADMIN = Depends(require_roles(Role.system_admin))


def crud_router(resource: Resource, tag: str) -> APIRouter:
    read_dependencies = [] if resource.public_read else [Depends(current_user)]
    router = APIRouter(prefix=resource.path, tags=[tag])
    out = resource.out
    errors: dict[int | str, dict[str, Any]] = {404: {"description": f"No such {resource.name}"}}

    @router.get(
        "",
        dependencies=read_dependencies,
        summary=f"List {tag}",
        response_model=Page[resource.out_type],  # type: ignore[name-defined]
    )
    async def list_rows(
        request: Request,
        session: SessionDep,
        page: PageDep,
        search: Annotated[
            str | None, Query(description="Case-insensitive match on the name")
        ] = None,
        ordering: Annotated[
            str | None, Query(description=", ".join(resource.ordering) + "; '-' for descending")
        ] = None,
    ) -> Any:
        service = CrudService(resource, session)
        count, rows = await paginate(session, service.listing(request, search, ordering), page)
        return make_page(count, [out(row) for row in rows], page)

    list_rows.__doc__ = (
        f"Filters: {', '.join('?' + name + '=' for name in resource.filters) or 'none'}."
    )

    @router.post(
        "",
        status_code=201,
        dependencies=[ADMIN],
        summary=f"Create a {resource.name} (system_admin)",
        responses={409: {"description": "Duplicate"}},
        response_model=resource.out_type,
    )
    async def create_row(body: resource.create, session: SessionDep) -> Any:  # type: ignore[name-defined]
        return out(await CrudService(resource, session).create(body))

    @router.get(
        "/{key}",
        dependencies=read_dependencies,
        summary=f"Retrieve a {resource.name} by {resource.key}",
        responses=errors,
        response_model=resource.out_type,
    )
    async def get_row(key: str, session: SessionDep) -> Any:
        return out(await CrudService(resource, session).get(key))

    async def update_row(key: str, body: resource.update, session: SessionDep) -> Any:  # type: ignore[name-defined]
        return out(await CrudService(resource, session).update(key, body))

    router.add_api_route(
        "/{key}",
        update_row,
        methods=["PATCH"],
        dependencies=[ADMIN],
        summary=f"Update a {resource.name} (slug immutable)",
        responses=errors,
        response_model=resource.out_type,
    )
    router.add_api_route(
        "/{key}",
        update_row,
        methods=["PUT"],
        dependencies=[ADMIN],
        summary=f"Replace a {resource.name}'s fields (slug immutable)",
        responses=errors,
        response_model=resource.out_type,
        operation_id=f"put_{resource.name}",
    )

    @router.delete(
        "/{key}",
        status_code=204,
        dependencies=[ADMIN],
        summary=f"Delete a {resource.name}; 409 while anything refers to it",
        responses={**errors, 409: {"description": "Still has children"}},
    )
    async def delete_row(key: str, session: SessionDep) -> Response:
        await CrudService(resource, session).delete(key)
        return Response(status_code=204)

    return router
