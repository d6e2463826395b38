"""Release metadata: one version everywhere, the license and the brand images."""

from __future__ import annotations

import json
from pathlib import Path
import re
import tomllib

ROOT = Path(__file__).resolve().parents[1]


def _manifest_version() -> str:
    manifest = json.loads(
        (ROOT / "custom_components" / "cloud_status" / "manifest.json").read_text(
            encoding="utf-8"
        )
    )
    version: str = manifest["version"]
    return version


def test_pyproject_has_the_manifest_version() -> None:
    """pyproject.toml and manifest.json name the same release."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["version"] == _manifest_version()


def test_version_is_semantic() -> None:
    """Home Assistant and HACS compare versions: major.minor.patch."""
    assert re.fullmatch(r"\d+\.\d+\.\d+", _manifest_version())


def test_license_is_mit() -> None:
    """HACS wants a license file at the repository root."""
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")


def test_brand_images_follow_the_size_rules() -> None:
    """Home Assistant's brand rules: square icons, logos within their size range."""
    from PIL import Image  # noqa: PLC0415

    brand = ROOT / "custom_components" / "cloud_status" / "brand"
    sizes = {}
    for path in sorted(brand.glob("*.png")):
        with Image.open(path) as image:
            assert image.mode == "RGBA", path.name  # a transparent background
            sizes[path.name] = image.size
    for prefix in ("", "dark_"):
        assert sizes[f"{prefix}icon.png"] == (256, 256)
        assert sizes[f"{prefix}icon@2x.png"] == (512, 512)
        assert 128 <= min(sizes[f"{prefix}logo.png"]) <= 256
        assert 256 <= min(sizes[f"{prefix}logo@2x.png"]) <= 512
    assert len(sizes) == 8
