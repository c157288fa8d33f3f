"""Pages that cannot overflow, a page size that is capped, and LIKE patterns that match literally."""

from __future__ import annotations

import pytest
from sqlalchemy import literal, select

from common.db import Database
from common.pagination import LIKE_ESCAPE, MAX_PAGE, contains_pattern, escape_like
from common.roles import Role
from common.testing.helpers import running_app


@pytest.mark.parametrize("page", ["99999999999999999999", str(MAX_PAGE + 1)])
async def test_a_page_past_the_maximum_is_a_422_naming_page_and_the_maximum(
    widgets_app, page: str
) -> None:
    async with running_app(widgets_app) as client:
        response = await client.get("/api/widgets", params={"page": page})
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["field"] == "page"
    assert f"{MAX_PAGE}" in error["msg"]


async def test_the_deepest_page_answers_an_empty_page(widgets_app) -> None:
    async with running_app(widgets_app) as client:
        response = await client.get("/api/widgets", params={"page": MAX_PAGE, "page_size": 10_000})
    assert response.status_code == 200, response.text
    assert response.json()["results"] == []
    assert "page_size=100" in response.json()["previous"]  # capped to PAGE_SIZE_MAX


@pytest.mark.parametrize("page_size", ["0", "-1", "ten"])
async def test_a_page_size_below_one_is_a_422(widgets_app, page_size: str) -> None:
    async with running_app(widgets_app) as client:
        response = await client.get("/api/widgets", params={"page_size": page_size})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "page_size"


def test_escape_like_takes_away_the_wildcards() -> None:
    assert escape_like("100%") == "100\\%"
    assert escape_like("a_b") == "a\\_b"
    assert escape_like("c:\\tmp") == "c:\\\\tmp"
    assert contains_pattern("50%_off") == "%50\\%\\_off%"


@pytest.mark.parametrize(
    ("term", "matches"),
    [("%", ["100%"]), ("_", ["a_b"]), ("\\", ["back\\slash"]), ("x", ["axb"])],
)
async def test_contains_pattern_matches_only_the_literal_text(
    widgets_settings, term: str, matches: list[str]
) -> None:
    names = ["100%", "a_b", "axb", "plain", "back\\slash"]
    database = Database(widgets_settings.database_url)
    try:
        async with database.session() as session:
            found = []
            for name in names:
                statement = select(literal(name).ilike(contains_pattern(term), escape=LIKE_ESCAPE))
                if (await session.execute(statement)).scalar_one():
                    found.append(name)
    finally:
        await database.dispose()
    assert found == matches


async def test_search_with_wildcards_finds_only_the_literal_text(widgets_app, auth_headers) -> None:
    admin = auth_headers(Role.system_admin)
    async with running_app(widgets_app) as client:
        for name in ("100% cotton", "a_b", "axb"):
            await client.post("/api/widgets", json={"name": name, "size": 1}, headers=admin)
        percent = (await client.get("/api/widgets", params={"search": "%"})).json()
        underscore = (await client.get("/api/widgets", params={"search": "_"})).json()
    assert [row["name"] for row in percent["results"]] == ["100% cotton"]
    assert [row["name"] for row in underscore["results"]] == ["a_b"]


async def test_paginate_counted_reads_the_page_and_its_total_in_one_statement(
    widgets_settings,
) -> None:
    """One statement built once serves every page and every filter value: its values are
    bound (in the rows and in the total alike), so SQLAlchemy compiles it once."""
    from sqlalchemy import bindparam, column, event, func, values
    from sqlalchemy.types import Integer

    from common.pagination import PageParams, counted_listing, paginate_counted

    numbers = values(column("n", Integer), name="numbers").data([(n,) for n in range(1, 46)])
    above = numbers.c.n > bindparam("floor")
    count = select(func.count()).select_from(numbers).where(above)
    listing = counted_listing(select(numbers.c.n).where(above).order_by(numbers.c.n), count)
    database = Database(widgets_settings.database_url)
    statements: list[str] = []
    event.listen(
        database.engine.sync_engine,
        "before_cursor_execute",
        lambda *args: statements.append(args[2]),
    )
    try:
        async with database.session() as session:

            async def page(number: int, floor: int = 0) -> tuple[int, list[dict[str, object]]]:
                params = PageParams(None, number, 20)  # type: ignore[arg-type]
                return await paginate_counted(session, listing, count, params, {"floor": floor})

            full, last, past = await page(1), await page(3), await page(4)
            filtered, filtered_past = await page(1, floor=40), await page(2, floor=40)
    finally:
        await database.dispose()
    assert full == (45, [{"n": n} for n in range(1, 21)])
    assert last == (45, [{"n": n} for n in range(41, 46)])
    assert past == (45, [])
    assert filtered == (5, [{"n": n} for n in range(41, 46)])
    assert filtered_past == (5, [])
    # A page with rows is one statement (the total rides along); past the end, the count too.
    assert len(statements) == 7
    assert len(set(statements)) == 2  # the same SQL every time, values bound


def test_a_page_link_is_the_request_url_with_page_and_size_moved_last() -> None:
    """What starlette's include_query_params answers, built without re-parsing the URL."""
    from starlette.requests import Request

    from common.pagination import PageParams

    scope = {
        "type": "http",
        "scheme": "https",
        "server": ("shop.example", 443),
        "path": "/api/products",
        "root_path": "",
        "query_string": b"page=2&search=caf%C3%A9+noir&page_size=5&tag=a&tag=b%26c",
        "headers": [(b"host", b"shop.example")],
    }
    request = Request(scope)
    params = PageParams(request, 2, 20)
    for number in (1, 3):
        expected = str(request.url.include_query_params(page=number, page_size=20))
        assert params.link(number) == expected
    assert params.link(3) == (
        "https://shop.example/api/products?search=caf%C3%A9+noir&tag=a&tag=b%26c"
        "&page=3&page_size=20"
    )


def test_an_ordering_key_names_each_field_once_and_refuses_unknown_ones() -> None:
    from common.errors import BadRequest
    from common.pagination import ordering_key

    allowed = {"name": object(), "price": object()}
    assert ordering_key(None, allowed) == ()
    assert ordering_key("", allowed) == ()
    assert ordering_key(" -price, name,price,-name", allowed) == ("-price", "name")
    with pytest.raises(BadRequest) as refused:
        ordering_key("name,secret", allowed)
    assert refused.value.detail == "Unknown ordering field 'secret'. Allowed: name, price."
    with pytest.raises(BadRequest, match="Unknown ordering field ''"):
        ordering_key("name,", allowed)


def test_read_json_reads_like_the_standard_library() -> None:
    import json

    from common.db import read_json

    documents = [
        b'{"warranty_months": 12, "grade": "A", "tags": ["x", null, true, 1.25]}',
        b"123456789012345678901234567890",  # past 64 bits: still an exact int
        b'{"imei": 3567890123456789012}',
        b"1e400",  # past a double: inf, as json.loads reads it
        b'"caf\\u00e9 \\u0000"',
    ]
    for document in documents:
        assert read_json(document) == json.loads(document)
        assert read_json(document.decode()) == json.loads(document)
    assert isinstance(read_json(b"123456789012345678901234567890"), int)
