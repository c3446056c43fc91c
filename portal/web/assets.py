"""Static files that cost one request in a lifetime, and pages that do not linger.

Every ``url_for('static', ...)`` gets a fingerprint of the file's content (``?v=1a2b3c``);
a fingerprinted file is sent with ``Cache-Control: public, max-age=31536000, immutable``,
so a warm page is a single request. Pages are ``private, no-cache``: a browser may keep
one for back/forward but must ask again before showing it, and logging out clears it all
(``Clear-Site-Data``). Responses are compressed (Flask-Compress: Brotli or gzip).
"""

import hashlib
import struct
import zlib
from functools import cache
from pathlib import Path

from flask import request
from flask_compress import Compress

STATIC = Path(__file__).resolve().parent.parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
compress = Compress()


@cache
def fingerprint(filename: str, mtime_ns: int) -> str:
    """A short hash of a static file's content (cached per file version)."""
    return hashlib.sha256((STATIC / filename).read_bytes()).hexdigest()[:10]


def _add_fingerprint(endpoint: str, values: dict) -> None:
    if endpoint == "static" and "filename" in values and "v" not in values:
        path = STATIC / values["filename"]
        if path.is_file():
            values["v"] = fingerprint(values["filename"], path.stat().st_mtime_ns)


def _cache_headers(response):
    if request.endpoint == "static":
        if request.args.get("v") and response.status_code == 200:
            response.headers["Cache-Control"] = IMMUTABLE
        else:
            response.headers["Cache-Control"] = "no-cache"
    return response


def init_app(app) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", [
        "text/html", "text/css", "text/plain", "text/javascript", "application/javascript",
        "application/json", "application/manifest+json", "image/svg+xml", "text/calendar",
    ])  # fmt: skip
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    compress.init_app(app)
    app.url_defaults(_add_fingerprint)
    app.after_request(_cache_headers)


# ---- the home-screen icon ----------------------------------------------------------------


@cache
def icon_png(size: int) -> bytes:
    """The portal's icon, drawn as a PNG: a white "L" on the portal's green.

    Written out by hand (a few lines of zlib and struct) because a picture this simple does
    not justify an imaging library as a dependency.
    """
    green, white = (11, 110, 79), (255, 255, 255)
    rows = []
    for y in range(size):
        row = bytearray([0])  # PNG filter byte: none
        for x in range(size):
            fx, fy = x / size, y / size
            stem = 0.30 <= fx <= 0.44 and 0.22 <= fy <= 0.78
            foot = 0.30 <= fx <= 0.70 and 0.64 <= fy <= 0.78
            row += bytes(white if stem or foot else green)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )
