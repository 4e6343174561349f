"""Render the app icon from squeeze-assistant.svg into the PNG and ICO files the builds use.

Run once after editing the SVG (the outputs are committed):  python packaging/icons/make_icons.py
Uses Qt's SVG renderer from the app's own PySide6, so no extra tool is needed. macOS .icns is
made on the Mac runner from the PNG (packaging/macos/build_macos.sh, with sips + iconutil).
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SVG = HERE / "squeeze-assistant.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def write_ico(path: Path, images: list[QImage]) -> None:
    """An ICO whose entries are PNG streams (accepted by Windows Vista and later, Inno Setup)."""
    blobs = [png_bytes(image) for image in images]
    header = struct.pack("<HHH", 0, 1, len(blobs))
    offset = len(header) + 16 * len(blobs)
    entries, payload = b"", b""
    for image, blob in zip(images, blobs, strict=True):
        side = image.width() if image.width() < 256 else 0
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        payload += blob
    path.write_bytes(header + entries + payload)


def main() -> int:
    _app = QGuiApplication([*sys.argv[:1], "-platform", "offscreen"])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"cannot read {SVG}", file=sys.stderr)
        return 1
    for size in (48, 512):
        render(renderer, size).save(str(HERE / f"squeeze-assistant-{size}.png"))
    render(renderer, 256).save(str(HERE / "squeeze-assistant.png"))
    write_ico(HERE / "squeeze-assistant.ico", [render(renderer, s) for s in ICO_SIZES])
    print("wrote", ", ".join(sorted(p.name for p in HERE.glob("squeeze-assistant*.*"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
