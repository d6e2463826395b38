"""The popular-services catalog: the shipped data, its loader and its cache."""

from __future__ import annotations

from collections import Counter
import json
from pathlib import Path
import threading
from typing import Any
from unittest.mock import patch

import pytest

from custom_components.cloud_status import catalog as catalog_module
from custom_components.cloud_status.api.detection import detection_base_url
from custom_components.cloud_status.api.statusio import claims as statusio_claims
from custom_components.cloud_status.api.statuspage import base_url_string
from custom_components.cloud_status.catalog import (
    CATALOG_PATH,
    CatalogError,
    CatalogService,
    async_get_catalog,
    load_catalog,
    parse_catalog,
)
from custom_components.cloud_status.providers import PROVIDERS
from homeassistant.core import HomeAssistant

# Vendor feeds found by their host; their providers are being added beside this one.
VENDOR_PLATFORMS = {"slack", "heroku", "google_cloud", "aws_health"}
KNOWN_PLATFORMS = set(PROVIDERS) | VENDOR_PLATFORMS
SOURCES_DOC = Path(__file__).resolve().parents[1] / "docs" / "catalog-sources.md"
MIN_ENTRIES = 60


def _raw() -> list[dict[str, Any]]:
    """Decode the shipped file, independently of the loader."""
    raw: list[dict[str, Any]] = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    return raw


def per_platform(entries: list[dict[str, Any]]) -> str:
    """Count the entries of each platform, most first: `statuspage 89, ...`."""
    counts = Counter(entry["platform"] for entry in entries)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{platform} {count}" for platform, count in ranked)


def test_the_catalog_has_enough_services() -> None:
    """At least 60 services (the count per platform is in the message)."""
    entries = _raw()
    assert len(entries) >= MIN_ENTRIES, (
        f"{len(entries)} entries: {per_platform(entries)}"
    )
    assert len(load_catalog()) == len(entries), per_platform(entries)


def test_every_entry_is_of_a_platform_cloud_status_reads() -> None:
    """A provider id of the registry or a vendor feed; never `other`."""
    unknown = [
        (entry["name"], entry["platform"])
        for entry in _raw()
        if entry["platform"] not in KNOWN_PLATFORMS
    ]
    assert unknown == [], per_platform(_raw())


def test_every_address_normalizes_and_is_stored_normalized() -> None:
    """Each address is one `status_page` accepts, spelled as detection stores it."""
    for entry in _raw():
        assert base_url_string(detection_base_url(entry["url"])) == entry["url"], entry


def test_no_two_entries_share_a_name_or_an_address() -> None:
    """Names and normalized addresses are unique, ignoring case."""
    entries = _raw()
    names = Counter(entry["name"].casefold() for entry in entries)
    addresses = Counter(
        str(detection_base_url(entry["url"])).casefold() for entry in entries
    )
    assert [name for name, count in names.items() if count > 1] == []
    assert [url for url, count in addresses.items() if count > 1] == []


def test_status_io_entries_name_their_page_id() -> None:
    """A Status.io entry is claimed by Status.io from its address (the id is in it)."""
    statusio = [entry for entry in _raw() if entry["platform"] == "statusio"]
    assert statusio
    for entry in statusio:
        assert statusio_claims(entry["url"]), entry


def test_every_entry_has_its_sources_for_maintainers() -> None:
    """docs/catalog-sources.md has a row for each entry, with its address and platform."""
    rows = {
        line.split(" | ")[0].removeprefix("| "): line
        for line in SOURCES_DOC.read_text(encoding="utf-8").splitlines()
        if line.startswith("| ")
    }
    for entry in _raw():
        row = rows.get(entry["name"])
        assert row is not None, f"{entry['name']} has no row in {SOURCES_DOC.name}"
        assert f" {entry['url']} " in row
        assert f"`{entry['platform']}`" in row


def test_the_shipped_file_has_only_the_user_facing_fields() -> None:
    """Sources stay out of the shipped file: name, address and platform only."""
    assert {tuple(sorted(entry)) for entry in _raw()} == {("name", "platform", "url")}


def test_lookup_by_name_ignores_case() -> None:
    """`get` and indexing find a service by its name, whatever its case."""
    catalog = load_catalog()
    github = CatalogService("GitHub", "https://www.githubstatus.com", "statuspage")

    assert catalog.get("GitHub") == github
    assert catalog["github"] == github
    assert catalog.get("No such service") is None
    with pytest.raises(KeyError):
        catalog["No such service"]


def _entry(name: str = "Example", url: str = "https://status.example.com") -> Any:
    return {"name": name, "url": url, "platform": "statuspage"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"services": []}, "non-empty list"),
        ([], "non-empty list"),
        (["GitHub"], "entry 0: expected exactly the keys"),
        ([{"name": "GitHub", "url": "https://x.example"}], "entry 0: expected"),
        ([{**_entry(), "source": "S1"}], "entry 0: expected exactly the keys"),
        ([{**_entry(), "platform": 1}], "entry 0: every field"),
        ([_entry(name=" Example")], "entry 0: every field"),
        ([_entry(name="")], "entry 0: every field"),
        ([_entry(url="https://user:pw@status.example.com")], "entry 0: not an"),
        ([_entry(url="not an address")], "entry 0: not an address"),
        ([_entry(), _entry(name="EXAMPLE", url="https://b.example")], "duplicate name"),
        (
            [_entry(), _entry(name="Other", url="HTTPS://Status.Example.com/")],
            "entry 1: duplicate address",
        ),
        (
            [
                _entry(),
                _entry(name="Other", url="status.example.com/api/v2/summary.json"),
            ],
            "entry 1: duplicate address",
        ),
    ],
)
def test_a_malformed_catalog_is_refused(raw: Any, message: str) -> None:
    """The loader names the first wrong entry; nothing half-valid is used."""
    with pytest.raises(CatalogError, match=message):
        parse_catalog(raw)


def test_the_credential_of_a_bad_address_is_not_quoted() -> None:
    """An address with a user name is refused without repeating it."""
    with pytest.raises(CatalogError) as err:
        parse_catalog([_entry(url="https://user:secret@status.example.com")])
    assert "secret" not in str(err.value)


@pytest.mark.parametrize("content", [b"[{", b"\xff\xfe not utf-8"])
def test_an_unreadable_file_is_refused(tmp_path: Path, content: bytes) -> None:
    """Broken JSON or bytes that are not UTF-8 are a CatalogError."""
    path = tmp_path / "catalog.json"
    path.write_bytes(content)
    with pytest.raises(CatalogError, match=r"cannot read catalog\.json"):
        load_catalog(path)


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    """A missing file is a CatalogError too."""
    with pytest.raises(CatalogError, match="cannot read"):
        load_catalog(tmp_path / "catalog.json")


async def test_read_once_per_instance_off_the_event_loop(hass: HomeAssistant) -> None:
    """The file is read in the executor the first time, then served from hass.data."""
    threads: list[threading.Thread] = []

    def load(path: Path) -> Any:
        threads.append(threading.current_thread())
        return load_catalog(path)

    with patch.object(catalog_module, "load_catalog", load):
        first = await async_get_catalog(hass)
        second = await async_get_catalog(hass)

    assert first is second
    assert len(first) == len(_raw())
    assert len(threads) == 1
    assert threads[0] is not threading.main_thread()
