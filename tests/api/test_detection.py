"""The probe every platform's detection uses, and the address helpers."""

from __future__ import annotations

import aiohttp
import pytest
from yarl import URL

from custom_components.cloud_status.api import InvalidUrlError, base_url_string
from custom_components.cloud_status.api.detection import (
    Probe,
    detection_base_url,
    html_title,
    url_key,
)

from ..scripted_server import ScriptedServer


@pytest.mark.parametrize(
    ("pasted", "base"),
    [
        ("status.example.com", "https://status.example.com"),
        ("https://status.example.com/", "https://status.example.com"),
        ("https://status.example.com/summary.json", "https://status.example.com"),
        ("https://status.example.com/index.json", "https://status.example.com"),
        ("https://status.example.com/v2/components.json", "https://status.example.com"),
        (
            "https://status.example.com/api/v1/endpoints/statuses",
            "https://status.example.com",
        ),
        ("https://example.com/status/main", "https://example.com/status/main"),
        ("http://127.0.0.1:3001/status/x/", "http://127.0.0.1:3001/status/x"),
        ("https://example.com/apis", "https://example.com/apis"),
    ],
)
def test_detection_base_url_drops_api_paths(pasted: str, base: str) -> None:
    """What people paste after a page's address is dropped; other paths are kept."""
    assert base_url_string(detection_base_url(pasted)) == base


def test_detection_base_url_refuses_what_cannot_be_a_page() -> None:
    """The address rules are those of every form."""
    with pytest.raises(InvalidUrlError):
        detection_base_url("ftp://example.com")


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://status.example.com", "status.example.com"),
        ("https://status.example.com/", "status.example.com"),
        ("http://127.0.0.1:8099/gatus", "127.0.0.1:8099/gatus"),
        ("https://example.com:443/a/b/", "example.com/a/b"),
    ],
)
def test_url_key(url: str, key: str) -> None:
    """The key names host, explicit port and path, without a trailing slash."""
    assert url_key(URL(url)) == key


@pytest.mark.parametrize(
    ("html", "title"),
    [
        ("<html><head><title>Acme Status</title></head></html>", "Acme Status"),
        ("<TITLE lang='en'>\n  Acme &amp; Co\n  Status </TITLE>", "Acme & Co Status"),
        ("<title>It&#39;s &quot;up&quot;</title>", 'It\'s "up"'),
        ("<title>   </title>", None),
        ("<html>no title</html>", None),
    ],
)
def test_html_title(html: str, title: str | None) -> None:
    """The page's title, unescaped and with its white space collapsed."""
    assert html_title(html) == title


async def test_probe_reads_the_page_html_once(
    scripted_server: ScriptedServer,
) -> None:
    """Every platform that looks in the page's HTML shares one request."""
    scripted_server.text("/page", "<title>Page</title>")
    async with aiohttp.ClientSession() as session:
        probe = Probe(session, "x", URL(f"{scripted_server.url}/page"))
        assert await probe.page_html() == "<title>Page</title>"
        assert await probe.page_html() == "<title>Page</title>"
    assert scripted_server.seen == ["/page"]
    assert "text/html" in scripted_server.headers[0]["Accept"]
    assert probe.requests == 1


async def test_probe_without_page_html(scripted_server: ScriptedServer) -> None:
    """A page whose address answers 404 has no HTML to look in."""
    async with aiohttp.ClientSession() as session:
        probe = Probe(session, "x", URL(scripted_server.url))
        assert await probe.page_html() is None
        assert await probe.page_html() is None
    assert len(scripted_server.seen) == 1


async def test_probe_text_json_and_paths(scripted_server: ScriptedServer) -> None:
    """Paths join the base, queries are kept, absolute URLs are used as they are."""
    scripted_server.text("/base/ping", "Pong!", content_type="text/plain")
    scripted_server.json("/base/list?page=2", [1, 2])
    scripted_server.text("/base/html", "<html></html>")
    scripted_server.redirect("/base/moved", "/elsewhere")
    scripted_server.text("/elsewhere", "Pong!", content_type="text/plain")
    async with aiohttp.ClientSession() as session:
        probe = Probe(session, "x", URL(f"{scripted_server.url}/base"))
        assert probe.url("") == probe.base_url
        assert await probe.get_text("ping") == "Pong!"
        assert await probe.get_json("list?page=2") == [1, 2]
        assert await probe.get_json("html") is None
        assert await probe.get_text("moved") is None
        assert await probe.get_json("moved") is None
        assert await probe.get_json(URL(f"{scripted_server.url}/base/list?page=2")) == [
            1,
            2,
        ]
    assert probe.requests == 6
    assert probe.refused == probe.failed == 0
