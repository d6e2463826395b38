"""Make the brand variants in custom_components/cloud_status/brand from its icon.png.

    .venv/bin/python scripts/brand_images.py

Sizes follow Home Assistant's brand rules: icon 256x256 and icon@2x 512x512 (square),
logo with a shortest side of 128-256 px and logo@2x of 256-512 px, trimmed, on a
transparent background. The dark_ variants are for dark themes: the icon's white ring
round the check badge becomes a transparent gap, and the logo's word mark is light.
The word mark uses Pillow's bundled font, so the result does not depend on the machine.
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BRAND = (
    Path(__file__).resolve().parents[1] / "custom_components" / "cloud_status" / "brand"
)
WORD_MARK = "Cloud Status"
LIGHT_TEXT = (33, 33, 33, 255)
DARK_TEXT = (236, 236, 236, 255)


def _badge(icon: Image.Image) -> tuple[float, float, float]:
    """Return the green check badge's centre and radius."""
    pixels = icon.load()
    if pixels is None:  # pragma: no cover - Pillow loads a PNG's pixels
        raise SystemExit("cannot read the icon")
    green = [
        (x, y)
        for y in range(icon.height)
        for x in range(icon.width)
        if (pixel := pixels[x, y])[3] > 200  # type: ignore[index]
        and pixel[1] > 150  # type: ignore[index]
        and pixel[0] < 120  # type: ignore[index]
        and pixel[2] < 120  # type: ignore[index]
    ]
    xs = [x for x, _ in green]
    ys = [y for _, y in green]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2, (max(xs) - min(xs)) / 2


def dark_icon(icon: Image.Image) -> Image.Image:
    """Return the icon with its white ring round the badge made transparent."""
    result = icon.copy()
    pixels = result.load()
    if pixels is None:  # pragma: no cover
        raise SystemExit("cannot read the icon")
    cx, cy, radius = _badge(icon)
    for y in range(result.height):
        for x in range(result.width):
            red, green, blue, alpha = pixels[x, y]  # type: ignore[misc]
            if alpha and min(red, green, blue) > 200:
                distance = math.hypot(x - cx, y - cy)
                if radius - 3 <= distance <= radius + 16:
                    pixels[x, y] = (red, green, blue, 0)
    return result


def logo(icon: Image.Image, height: int, text_colour: tuple[int, ...]) -> Image.Image:
    """Return the icon and the word mark side by side, `height` px high, trimmed."""
    box = icon.getbbox()
    if box is None:
        raise SystemExit("the icon is empty")
    trimmed = icon.crop(box)
    width = round(trimmed.width * height / trimmed.height)
    mark = trimmed.resize((width, height), Image.Resampling.LANCZOS)
    font = ImageFont.load_default(size=round(height * 0.42))
    probe = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    left, top, right, bottom = probe.textbbox((0, 0), WORD_MARK, font=font)
    gap = round(height * 0.12)
    canvas = Image.new("RGBA", (width + gap + right - left, height), (0, 0, 0, 0))
    canvas.alpha_composite(mark)
    draw = ImageDraw.Draw(canvas)
    draw.text(
        (width + gap - left, (height - (bottom - top)) / 2 - top),
        WORD_MARK,
        font=font,
        fill=text_colour,
    )
    return canvas.crop(canvas.getbbox())


def main() -> None:
    icon = Image.open(BRAND / "icon.png").convert("RGBA")
    if icon.size != (256, 256):
        raise SystemExit(f"icon.png is {icon.size}, not 256x256")
    dark = dark_icon(icon)
    images = {
        "icon@2x.png": icon.resize((512, 512), Image.Resampling.LANCZOS),
        "dark_icon.png": dark,
        "dark_icon@2x.png": dark.resize((512, 512), Image.Resampling.LANCZOS),
        "logo.png": logo(icon, 128, LIGHT_TEXT),
        "logo@2x.png": logo(icon, 256, LIGHT_TEXT),
        "dark_logo.png": logo(dark, 128, DARK_TEXT),
        "dark_logo@2x.png": logo(dark, 256, DARK_TEXT),
    }
    for name, image in images.items():
        image.save(BRAND / name, optimize=True)
        print(f"{name}: {image.width}x{image.height}")


if __name__ == "__main__":
    main()
