"""Reading what a PDF made by `lantern.records.pdf` holds, for tests: its decompressed streams."""

from __future__ import annotations

import re
import zlib


def decompressed_streams(pdf: bytes) -> list[bytes]:
    """Every Flate stream of the PDF, decompressed (WeasyPrint keeps text, metadata and fonts in them).

    Everything up to `endstream` is handed to zlib, which stops at the stream's own end: the line break
    before `endstream` is then unused data. A compressed stream may itself end with a carriage return (about
    one in 256), which a pattern stripping an optional CR before `endstream` would cut off."""
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            streams.append(zlib.decompressobj().decompress(match.group(1)))
        except zlib.error:
            continue
    return streams
