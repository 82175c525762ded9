#!/usr/bin/env python3
"""Draws the Storyboard icon (three storyboard panels over a timeline with a playhead) and writes it
for each platform: linux/storyboard.png (256x256), windows/storyboard.ico, mac/storyboard.icns.

    /usr/bin/python3 installer/src/jpackage/make_icons.py     # needs Pillow (python3-pil)

The generated files are committed; rerun only to change the design.
"""
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
S = 1024  # drawn at 4x, downsampled for smooth edges


def draw() -> Image.Image:
    img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.rounded_rectangle((40, 40, S - 40, S - 40), radius=200, fill=(32, 36, 52, 255))
    # three storyboard panels (sky, meadow, dusk), the middle one raised
    panels = [((120, 300, 380, 560), (86, 156, 214)), ((382, 250, 642, 510), (96, 178, 110)),
              ((644, 300, 904, 560), (236, 140, 72))]
    for (x0, y0, x1, y1), colour in panels:
        d.rounded_rectangle((x0 + 8, y0, x1 - 8, y1), radius=36, fill=colour + (255,),
                            outline=(245, 245, 250, 255), width=14)
    # a ball in the middle panel (the sample storyboard's bouncing ball)
    d.ellipse((470, 330, 554, 414), fill=(240, 70, 70, 255))
    # timeline with shot blocks and a playhead
    d.rounded_rectangle((120, 650, 904, 760), radius=28, fill=(58, 64, 86, 255))
    for x0, x1, colour in ((134, 372, (86, 156, 214)), (386, 636, (96, 178, 110)), (650, 890, (236, 140, 72))):
        d.rounded_rectangle((x0, 664, x1, 746), radius=18, fill=colour + (255,))
    d.rectangle((560, 610, 580, 800), fill=(250, 250, 250, 255))
    d.polygon([(530, 590), (610, 590), (570, 640)], fill=(250, 250, 250, 255))
    return img


def main() -> None:
    big = draw()
    png = big.resize((256, 256), Image.LANCZOS)
    png.save(HERE / "linux" / "storyboard.png", optimize=True)
    big.resize((256, 256), Image.LANCZOS).save(
        HERE / "windows" / "storyboard.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    big.resize((1024, 1024), Image.LANCZOS).save(HERE / "mac" / "storyboard.icns")


if __name__ == "__main__":
    main()
