"""hassfest's rules for translation strings, and every language shipped matching English.

hassfest refuses URLs (`http://`, `https://`, `www.`, any case: "use description
placeholders instead") and HTML-like tags, and wants a `data_description` for every
field of a config or options step. A language other than English must have exactly
the keys and, per string, the placeholders of `en.json`: a missing key shows raw, a
missing placeholder shows braces.
"""

from __future__ import annotations

from collections.abc import Iterator
import json
from pathlib import Path
import re
import string
from typing import Any

import pytest

TRANSLATIONS = (
    Path(__file__).parents[1] / "custom_components" / "cloud_status" / "translations"
)
LANGUAGES = sorted(path.stem for path in TRANSLATIONS.glob("*.json"))
_URL = re.compile(r"https?://|www\.", re.IGNORECASE)
_TAG = re.compile(r"<[a-zA-Z/][^>]*>")


def _load(language: str) -> dict[str, Any]:
    return json.loads((TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8"))


def _strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{path}.{key}" if path else key)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_english_is_shipped() -> None:
    """A custom integration reads translations/, never strings.json."""
    assert "en" in LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_urls_and_no_tags(language: str) -> None:
    """Addresses come through placeholders; no string looks like markup."""
    offenders = [
        (path, text)
        for path, text in _strings(_load(language))
        if _URL.search(text) or _TAG.search(text)
    ]
    assert not offenders


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_field_is_described(language: str) -> None:
    """Each field of every config and options step has its `data_description`."""
    strings = _load(language)
    missing = [
        f"{flow}.{step_id}.{field}"
        for flow in ("config", "options")
        for step_id, step in strings.get(flow, {}).get("step", {}).items()
        for field in step.get("data", {})
        if field not in step.get("data_description", {})
    ]
    assert not missing


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_language_matches_english(language: str) -> None:
    """The same keys, and per string the same placeholders, as en.json."""
    english = dict(_strings(_load("en")))
    other = dict(_strings(_load(language)))
    assert set(other) == set(english)
    assert {
        path: _placeholders(text)
        for path, text in other.items()
        if _placeholders(text) != _placeholders(english[path])
    } == {}
