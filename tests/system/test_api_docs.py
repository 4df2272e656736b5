"""/api/v1/docs in Chromium: Swagger UI reads today's openapi.json without a parser error and
lists the operations (issue 14 item 8: a duplicated "200" key once made it show only
"Parser error: duplicated mapping key")."""

from __future__ import annotations

import json

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_docs_page_shows_every_operation_and_no_parser_error(steps, site, client):
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    operations = sum(
        1 for item in schema["paths"].values() for method in item if method in {"get", "post", "put", "patch", "delete"}
    )
    steps.go("/api/v1/docs")
    # Swagger UI shows either the operations or its error box (a parser error leaves no operations).
    steps.page.wait_for_selector("#swagger-ui .opblock, #swagger-ui .errors-wrapper", timeout=30_000)
    steps.shot("api-docs")
    text = steps.page.locator("#swagger-ui").inner_text()
    assert "Parser error" not in text, text[:2000]
    assert steps.page.locator("#swagger-ui .errors-wrapper").count() == 0, text[:2000]
    assert steps.page.locator(".opblock").count() == operations
    pdf = steps.page.locator(".opblock", has_text="/api/v1/declarations/{declaration_id}/pdf")
    assert pdf.count() == 1
    pdf.locator(".opblock-summary").click()
    steps.page.wait_for_selector(".opblock.is-open .responses-wrapper")
    assert "application/pdf" in steps.page.locator(".opblock.is-open").inner_text()
