"""Purchase order attachments: type checked by content, size capped, EXIF stripped,
stored under a server-made name, downloaded through the API only."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from common.roles import Role
from inventory.config import InventorySettings
from tests.conftest import STORE_B, Shop
from tests.procurement import order, vendor


def stored_files(settings: InventorySettings) -> list[Path]:
    folder = Path(settings.attachments_dir)
    return list(folder.iterdir()) if folder.exists() else []


@pytest.fixture
async def po(shop: Shop) -> dict[str, Any]:
    supplier = await vendor(shop.client, shop.admin)
    return await order(shop.client, shop.admin, supplier["id"], [])


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (8, 8), "red")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


async def test_upload_list_download_delete(
    shop: Shop, po: dict[str, Any], settings: InventorySettings
) -> None:
    url = f"/api/inventory/purchase-orders/{po['id']}/attachments"
    pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
    uploaded = await shop.client.post(
        url, files={"file": ("../../quote Q-55 é.pdf", pdf, "image/png")}, headers=shop.admin
    )
    assert uploaded.status_code == 201, uploaded.text
    body = uploaded.json()
    assert (body["filename"], body["content_type"], body["size"]) == (
        "quote Q-55 é.pdf",
        "application/pdf",
        len(pdf),
    )
    stored = stored_files(settings)
    assert len(stored) == 1 and stored[0].name.endswith(".pdf") and "quote" not in stored[0].name
    photo = await shop.client.post(
        url, files={"file": ("box.jpg", jpeg_with_exif(), "image/jpeg")}, headers=shop.admin
    )
    assert photo.status_code == 201 and photo.json()["content_type"] == "image/jpeg"
    listed = await shop.client.get(url, headers=shop.admin)
    assert [a["filename"] for a in listed.json()] == ["quote Q-55 é.pdf", "box.jpg"]
    download = await shop.client.get(f"{url}/{photo.json()['id']}", headers=shop.admin)
    assert download.status_code == 200 and download.headers["content-type"] == "image/jpeg"
    assert "attachment" in download.headers["content-disposition"]
    with Image.open(io.BytesIO(download.content)) as image:
        assert image.getexif().get(0x010F) is None, "EXIF is stripped"
    assert (await shop.client.delete(f"{url}/{body['id']}", headers=shop.admin)).status_code == 204
    assert len(stored_files(settings)) == 1
    assert (await shop.client.get(f"{url}/{body['id']}", headers=shop.admin)).status_code == 404


async def test_refused_uploads(
    shop: Shop, po: dict[str, Any], staff: Any, settings: InventorySettings
) -> None:
    url = f"/api/inventory/purchase-orders/{po['id']}/attachments"
    cases = [
        (("x.exe", b"MZ\x90\x00\x03", "application/pdf"), 415),
        (("big.pdf", b"%PDF-" + b"0" * (64 * 1024), "application/pdf"), 413),
        (("empty.pdf", b"", "application/pdf"), 415),
    ]
    for file, status in cases:
        response = await shop.client.post(url, files={"file": file}, headers=shop.admin)
        assert response.status_code == status, (file[0], response.text)
        assert isinstance(response.json()["detail"], str)
    missing = await shop.client.post(url, headers=shop.admin)
    assert missing.status_code == 422 and missing.json()["detail"][0]["field"] == "file"
    outsider = staff(Role.advisor, STORE_B)
    foreign = await shop.client.post(
        url, files={"file": ("a.txt", b"hello", "text/plain")}, headers=outsider
    )
    assert foreign.status_code == 403
    assert stored_files(settings) == []


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"\n  <!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(out, format="PNG")
    return out.getvalue()


async def test_markup_disguised_as_an_image_is_refused(
    shop: Shop, po: dict[str, Any], settings: InventorySettings
) -> None:
    """SVG and HTML are not on the list, whatever name and type the client gives them."""
    url = f"/api/inventory/purchase-orders/{po['id']}/attachments"
    for name, data in (
        ("logo.png", SVG),
        ("logo.svg", SVG),
        ("photo.png", HTML),
        ("page.html", HTML),
        ("page.txt", b"<html><p>hi</p></html>"),
    ):
        response = await shop.client.post(
            url, files={"file": (name, data, "image/png")}, headers=shop.admin
        )
        assert response.status_code == 415, (name, response.text)
        assert "HTML, SVG or XML" in response.json()["detail"]
    assert stored_files(settings) == []
    assert (await shop.client.get(url, headers=shop.admin)).json() == []


async def test_a_file_is_named_and_stored_as_what_it_really_is(
    shop: Shop, po: dict[str, Any], settings: InventorySettings
) -> None:
    url = f"/api/inventory/purchase-orders/{po['id']}/attachments"
    text = await shop.client.post(
        url, files={"file": ("scan.png", b"Delivery note 8812\n", "image/png")}, headers=shop.admin
    )
    assert text.status_code == 201, text.text
    assert (text.json()["filename"], text.json()["content_type"]) == ("scan.txt", "text/plain")
    image = await shop.client.post(
        url, files={"file": ("photo.html", png(), "text/html")}, headers=shop.admin
    )
    assert image.status_code == 201, image.text
    assert (image.json()["filename"], image.json()["content_type"]) == ("photo.png", "image/png")
    csv = await shop.client.post(
        url, files={"file": ("lines.csv", b"sku,qty\nCASE-1,2\n", "text/csv")}, headers=shop.admin
    )
    assert (csv.json()["filename"], csv.json()["content_type"]) == ("lines.csv", "text/csv")
    assert sorted(path.suffix for path in stored_files(settings)) == [".csv", ".png", ".txt"]
    download = await shop.client.get(f"{url}/{text.json()['id']}", headers=shop.admin)
    assert download.headers["content-type"].startswith("text/plain")
    assert "scan.txt" in download.headers["content-disposition"]
