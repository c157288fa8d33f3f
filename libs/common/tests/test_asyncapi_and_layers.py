"""The event catalog is generated from contracts and catches a consumer reading a field its
publisher never promised; the layer check finds circles and upward imports."""

from __future__ import annotations

import sys
import textwrap
import uuid
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from common.events.asyncapi import consumer_gaps, fragment, markdown, matches, merge, replace_block
from common.events.consumer import subscribe
from common.events.contracts import Consumed, Event, Published
from common.money import Amount
from common.testing.layers import import_problems


class ItemSold(Published, subjects=("shop.item.sold",)):
    """One line of a sale left the shelf."""

    sale_id: uuid.UUID
    sku: str
    price: Amount
    note: str | None = None


class SoldCopy(Consumed):
    sale_id: uuid.UUID
    price: str
    colour: str  # the publisher never sends it


async def on_sold(session: AsyncSession, event: Event[SoldCopy]) -> None:
    return None


def test_catalog_lists_channels_messages_and_what_consumers_read() -> None:
    shop = fragment("shop", [ItemSold], [])
    till = fragment("till", [], [subscribe("sold", "shop.item.*", SoldCopy, on_sold)])
    document = merge([shop, till])
    assert document["channels"]["shop_item_sold"]["address"] == "shop.item.sold"
    assert document["operations"]["shop__sends__shop_item_sold"]["action"] == "send"
    receive = document["operations"]["till__sold__shop_item_sold"]
    assert receive["x-reads"]["required"] == ["colour", "price", "sale_id"]
    schema = document["components"]["schemas"]["shop.ItemSold"]
    assert set(schema["required"]) == {"sale_id", "sku", "price", "note"}  # always on the wire
    assert schema["properties"]["price"]["type"] == "string"
    assert consumer_gaps(document, "till") == [
        "till__sold__shop_item_sold: shop.item.sold has no field 'colour'"
    ]
    table = markdown(shop)
    assert "#### `shop.item.sold`" in table and "| `price` | string | yes |" in table
    assert "One line of a sale left the shelf." in table


def test_generated_block_is_replaced_in_place() -> None:
    shop = fragment("shop", [ItemSold], [])
    document = "# Events\n\n## shop\n\nprose\n"
    once = replace_block(document, shop)
    assert once.count("generated from the contracts of shop") == 1
    assert replace_block(once + "\n## later\n", shop) == once + "\n## later\n"


@pytest.mark.parametrize(
    ("pattern", "subject", "expected"),
    [
        ("auth.user.*", "auth.user.created", True),
        ("auth.user.*", "auth.user", False),
        ("auth.>", "auth.user.created", True),
        ("auth.user.created", "auth.user.updated", False),
    ],
)
def test_nats_wildcards(pattern: str, subject: str, expected: bool) -> None:
    assert matches(pattern, subject) is expected


def _package(root: Path, name: str, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / name / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def test_layer_check_finds_circles_and_upward_imports(tmp_path: Path) -> None:
    name = f"shop_{uuid.uuid4().hex[:6]}"
    _package(
        tmp_path,
        name,
        {
            "__init__.py": "",
            "main.py": f"from {name}.carts import router\n",
            "carts/__init__.py": "",
            "carts/router.py": f"from {name}.carts import service\n",
            "carts/service.py": f"from {name}.carts import repository\nfrom {name}.safe import service\n",
            "carts/repository.py": f"from {name}.carts import service\n",
            "safe/__init__.py": "",
            "safe/service.py": f"from {name}.carts import models\n",
            "carts/models.py": "",
        },
    )
    sys.path.insert(0, str(tmp_path))
    try:
        problems = import_problems(name)
    finally:
        sys.path.remove(str(tmp_path))
    assert f"import circle: {name}.carts.repository ↔ {name}.carts.service" in problems
    assert "domain circle: carts ↔ safe" in problems
    assert (
        f"{name}.carts.repository imports {name}.carts.service: a lower layer may not import a higher one"
        in problems
    )


class ItemReturned(Published, subjects=("shop.item.returned",)):
    """A sold item came back to the shelf, its price refunded
    (the second line of the paragraph).

    Further paragraphs are not the summary."""

    sale_id: uuid.UUID


def test_a_docstring_s_first_paragraph_is_one_line_without_its_indentation() -> None:
    sent = fragment("shop", [ItemReturned], [])["publishes"]["shop.item.returned"]
    assert sent["summary"] == (
        "A sold item came back to the shelf, its price refunded (the second line of the paragraph)."
    )
