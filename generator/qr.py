"""The QR code of a page's address, as inline SVG.

zxing-cpp encodes it (C++: a tenth of a millisecond, where segno in Python took one and a half,
the largest single cost of a document's page), choosing the best of the eight masks as the
standard describes; this module draws its modules as one path, a stroke per run of dark modules
(the shape segno wrote), inside the four-module quiet zone readers need.
"""
from __future__ import annotations

from html import escape

import zxingcpp

QUIET = 4  # modules of light margin on each side (ISO/IEC 18004)
SCALE = 3  # pixels a module


def modules(address: str) -> list[bytes]:
    """The symbol's rows, error correction level M: one byte a module, 0 for dark."""
    code = zxingcpp.create_barcode(address, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(code.to_image(scale=1, add_quiet_zones=False))
    size = image.shape[1]
    data = image.tobytes()
    return [data[row * size:(row + 1) * size] for row in range(image.shape[0])]


def svg(address: str, title: str) -> str:
    rows = modules(address)
    side = len(rows) + 2 * QUIET
    strokes, x, y = [], None, None  # the pen after the last stroke
    for r, row in enumerate(rows):
        c, width = 0, len(row)
        while c < width:
            if row[c]:
                c += 1
                continue
            start = c
            while c < width and not row[c]:
                c += 1
            sx, sy = start + QUIET, r + QUIET
            strokes.append(f"M{sx} {sy}.5h{c - start}" if x is None else f"m{sx - x} {sy - y}h{c - start}")
            x, y = c + QUIET, sy
    pixels = side * SCALE
    return (f'<svg role="img" focusable="false" width="{pixels}" height="{pixels}" class="qr">'
            f'<title>{escape(title, quote=False)}</title><g transform="scale({SCALE})">'
            f'<path fill="#fff" d="M0 0h{side}v{side}h-{side}z"/>'
            f'<path class="qrline" stroke="#000" d="{"".join(strokes)}"/></g></svg>')
