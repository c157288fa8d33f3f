"""The permission rows of the intake routes (seed 002 "Purchase Orders" pipeline steps, Batch
Groups, Vendor Product Refs, Categories, Products, CSV Templates, and AI): Staff, that is
``advisor`` and up, every one; the order's, batch group's store is the caller's. Part of
``tests.test_permissions.MATRIX``; ``tests.intake.test_permissions`` runs them."""

from __future__ import annotations

from common.testing.permissions import Row

ORDER = "/api/inventory/orders/{order_id}"
GROUP = "/api/inventory/batch-groups/{group_id}"

# Pipeline steps that are POSTs and write nothing: an allowed caller changes no row.
READ_ONLY_POSTS = frozenset(
    {f"{ORDER}/preview-standardize", f"{ORDER}/suggest-formulas", "/api/ai/chat"}
)

STAFF_READ = (401, 403, 403, 200, 200, 200)
STAFF_CREATE = (401, 403, 403, 201, 201, 201)
STAFF_DELETE = (401, 403, 403, 204, 204, 204)
STAFF_QUEUE = (401, 403, 403, 202, 202, 202)


def _crud(collection: str, placeholder: str) -> list[Row]:
    one = f"{collection}/{{{placeholder}}}"
    return [
        Row("GET", collection, *STAFF_READ),
        Row("POST", collection, *STAFF_CREATE),
        Row("GET", one, *STAFF_READ),
        Row("PUT", one, *STAFF_READ),
        Row("PATCH", one, *STAFF_READ),
        Row("DELETE", one, *STAFF_DELETE),
    ]


INTAKE_ROWS: list[Row] = [
    # 002 Purchase Orders, the intake pipeline under /api/inventory/orders/:id/.
    Row("POST", f"{ORDER}/upload-manifest", *STAFF_READ),
    Row("GET", f"{ORDER}/manifest-rows", *STAFF_READ),
    Row("POST", f"{ORDER}/preview-standardize", *STAFF_READ),
    Row("POST", f"{ORDER}/process-manifest", *STAFF_READ),
    Row("POST", f"{ORDER}/update-manifest-pricing", *STAFF_READ),
    Row("POST", f"{ORDER}/suggest-formulas", *STAFF_READ),
    Row("POST", f"{ORDER}/ai-cleanup-rows", *STAFF_QUEUE),
    Row("GET", f"{ORDER}/ai-cleanup-status", *STAFF_READ),
    Row("GET", f"{ORDER}/job-status", *STAFF_READ),  # a large manifest's step job
    Row("POST", f"{ORDER}/cancel-ai-cleanup", *STAFF_READ),
    Row("POST", f"{ORDER}/clear-manifest-rows", *STAFF_READ),
    Row("POST", f"{ORDER}/undo-product-matching", *STAFF_READ),
    Row("POST", f"{ORDER}/clear-pricing", *STAFF_READ),
    Row("POST", f"{ORDER}/match-products", *STAFF_READ),
    Row("GET", f"{ORDER}/match-results", *STAFF_READ),
    Row("POST", f"{ORDER}/review-matches", *STAFF_READ),
    Row("POST", f"{ORDER}/finalize-rows", *STAFF_READ),
    Row("POST", f"{ORDER}/create-items", *STAFF_READ),
    Row("POST", f"{ORDER}/check-in-items", *STAFF_READ),
    Row("GET", f"{ORDER}/delete-preview", *STAFF_READ),
    Row("POST", f"{ORDER}/purge-delete", *STAFF_READ),
    # 002 Batch Groups.
    Row("GET", "/api/inventory/batch-groups", *STAFF_READ),
    Row("GET", GROUP, *STAFF_READ),
    Row("POST", f"{GROUP}/process", *STAFF_READ),
    Row("POST", f"{GROUP}/check-in", *STAFF_READ),
    Row("POST", f"{GROUP}/detach", *STAFF_READ),
    # 002 Vendor Product Refs, Categories, Products, CSV Templates: CRUD, Staff.
    *_crud("/api/inventory/product-refs", "ref_id"),
    *_crud("/api/inventory/categories", "category_id"),
    *_crud("/api/inventory/products", "product_id"),
    *_crud("/api/inventory/templates", "template_id"),
    # 002 AI: Staff.
    Row("POST", "/api/ai/chat", *STAFF_READ),
    Row("GET", "/api/ai/models", *STAFF_READ),
]
