"""Property tests of the Google Cloud parsers and client: any body gives a snapshot or our error."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from yarl import URL

from custom_components.cloud_status.api.errors import CloudStatusError
from custom_components.cloud_status.api.google_cloud import (
    FEED_URL,
    GoogleCloudClient,
    build_snapshot,
    parse_incidents,
    parse_products,
)
from custom_components.cloud_status.api.models import PageInfo

from .conftest import (
    Answer,
    FakeSession,
    accepted,
    answers,
    bodies,
    check_result,
    fixture_json,
    json_values,
    mutated,
    ran,
    run,
)

GOOGLE_KEYS = (
    "id",
    "title",
    "products",
    "begin",
    "end",
    "created",
    "modified",
    "severity",
    "status_impact",
    "affected_products",
    "most_recent_update",
    "updates",
    "text",
    "status",
    "external_desc",
    "service_name",
    "uri",
)
PAGE = PageInfo(id="google_cloud", name="Google Cloud")
INCIDENTS = fixture_json("google_cloud/incidents.json")
PRODUCTS = fixture_json("google_cloud/products.json")


@given(payload=mutated(INCIDENTS) | json_values(GOOGLE_KEYS))
def test_incident_parser_never_fails_unexpectedly(payload: Any) -> None:
    """Mutated or arbitrary incidents parse into a sound snapshot or raise our error."""
    ran("google_cloud.parse_incidents")
    try:
        incidents = parse_incidents(payload, URL(FEED_URL))
    except CloudStatusError:
        return
    accepted("google_cloud.parse_incidents")
    for selected in (frozenset(), frozenset({"cmp1EngineAaaaaaaaaa"})):
        check_result(build_snapshot(incidents, {"p": "Product"}, selected, PAGE))


@given(payload=mutated(PRODUCTS) | json_values(GOOGLE_KEYS))
def test_product_parser_never_fails_unexpectedly(payload: Any) -> None:
    """Mutated or arbitrary product lists give {str: str} or raise our error."""
    ran("google_cloud.parse_products")
    try:
        products = parse_products(payload)
    except CloudStatusError:
        return
    accepted("google_cloud.parse_products")
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in products.items())


@given(
    incidents=answers(bodies(INCIDENTS, GOOGLE_KEYS)),
    products=answers(bodies(PRODUCTS, GOOGLE_KEYS)),
)
def test_client_never_fails_unexpectedly(incidents: Answer, products: Answer) -> None:
    """Any answers (statuses, faults, odd bodies) give a snapshot, None or our error."""
    ran("google_cloud.client")

    def router(method: str, url: URL) -> Answer:
        return products if url.path.endswith("products.json") else incidents

    async def poll() -> Any:
        client = GoogleCloudClient(FakeSession(router), FEED_URL)  # type: ignore[arg-type]
        first = await client.async_get_snapshot()
        await client.async_get_snapshot()
        return first

    try:
        result = run(poll())
    except CloudStatusError:
        return
    accepted("google_cloud.client")
    check_result(result)
