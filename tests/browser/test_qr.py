"""The QR code on a document page, as Chromium draws it, scans to the page's own address: the
pixels of a screenshot go to a decoder (zxing-cpp's reader), as a phone's camera would."""
from __future__ import annotations

import struct
import zlib

import zxingcpp

DOCS = ("doc/lanshanqufczzf/2021-0000566/", "elder/doc/lanshanqufczzf/2022-0000008/")
BASE = "https://example.gov.cn/xxgk/"  # config.yml's base_url: what the code must hold


def gray(png: bytes) -> tuple[int, int, bytes]:
    """A Chromium screenshot (8-bit RGB or RGBA PNG, not interlaced) as one byte a pixel."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, data = 8, b""
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _c, _f, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color in (2, 6) and interlace == 0
        elif kind == b"IDAT":
            data += body
        pos += 12 + length
    channels = 3 if color == 2 else 4
    raw, stride = zlib.decompress(data), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line[x * channels] for x in range(width)))  # red is enough: black on white
        previous = line
    return width, height, b"".join(rows)


def test_the_qr_code_scans_to_the_page_address(browser, sample_site):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    try:
        for doc in DOCS:
            page.goto(sample_site + doc)
            code = page.locator("svg.qr")
            assert code.is_visible()
            width, height, pixels = gray(code.screenshot())
            found = zxingcpp.read_barcode(memoryview(pixels).cast("B", (height, width)),
                                          formats=zxingcpp.BarcodeFormat.QRCode)
            assert found is not None, doc
            # The 长者模式 twin's code leads to the page's address, as its canonical link does.
            assert found.text == BASE + doc.removeprefix("elder/") and found.ec_level == "M"
    finally:
        page.close()
