"""Static files that cost one request in a lifetime, and pages that do not linger.

Every ``url_for('static', ...)`` gets a fingerprint of the file's content (``?v=1a2b3c``);
a fingerprinted file is sent with ``Cache-Control: public, max-age=31536000, immutable``,
so a warm page is a single request. Pages are ``private, no-cache``: a browser may keep
one for back/forward but must ask again before showing it, and logging out clears it all
(``Clear-Site-Data``). Pages are compressed on the fly (Flask-Compress: Brotli or gzip);
static text files once per version at the highest level (Brotli 11 makes htmx 2 KB
smaller than the on-the-fly level, and would take 150 ms a request).
"""

import base64
import gzip
import hashlib
import struct
import zlib
from functools import cache
from pathlib import Path

import brotli
from flask import request
from flask.sessions import SecureCookieSessionInterface
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
    elif endpoint == "home.icon" and "size" in values and "v" not in values:
        values["v"] = icon_fingerprint(int(values["size"]))


def cache_control(fingerprinted: bool) -> str:
    """Kept for a year under a fingerprinted URL; asked again each time under a bare one."""
    return IMMUTABLE if fingerprinted else "no-cache"


TEXT_FILES = (".css", ".js", ".svg", ".json", ".webmanifest", ".txt")


@cache
def compressed(filename: str, mtime_ns: int, encoding: str) -> bytes:
    """A static file compressed at the highest level (cached per file version)."""
    data = (STATIC / filename).read_bytes()
    if encoding == "br":
        return brotli.compress(data, quality=11)
    return gzip.compress(data, compresslevel=9, mtime=0)


def _precompressed(response) -> None:
    """Send a static text file compressed once at the highest level, not on every request."""
    filename = (request.view_args or {}).get("filename", "")
    if response.status_code != 200 or "Content-Encoding" in response.headers:
        return
    if not filename.endswith(TEXT_FILES):
        return
    path = STATIC / filename  # send_from_directory answered 200: a file inside STATIC
    accepted = request.accept_encodings
    encoding = "br" if accepted["br"] else "gzip" if accepted["gzip"] else None
    if encoding is None or path.stat().st_size < 500:
        return
    mtime_ns = path.stat().st_mtime_ns
    body = compressed(filename, mtime_ns, encoding)
    response.close()  # the open file send_from_directory would have streamed
    response.direct_passthrough = False
    response.set_data(body)
    response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    response.set_etag(f"{fingerprint(filename, mtime_ns)}-{encoding}")


def _cache_headers(response):
    if request.endpoint == "static":
        filename = (request.view_args or {}).get("filename", "")
        fresh = response.status_code in (200, 304) and request.args.get("v") == fingerprint(
            filename, (STATIC / filename).stat().st_mtime_ns
        )
        response.headers["Cache-Control"] = cache_control(fresh)
        _precompressed(response)
    return response


# Files that are the same for everyone: no session cookie is written with them and they do
# not vary by cookie. Otherwise every login, and the session's once-a-minute refresh, would
# make the browser fetch its cached copies again (Vary: Cookie), and a cache between would
# be handed someone's Set-Cookie with a public file.
FILES = {"static", "home.icon", "home.manifest", "home.service_worker"}


class _Sessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, saving nothing with a file.

    Flask builds its signing serializer (and derives its key) twice per request; it is
    kept per secret key here, which is about 5 % of a plain page's time.
    """

    def __init__(self):
        self._serializers: dict = {}

    def get_signing_serializer(self, app):
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        kept = self._serializers
        if key not in kept:
            kept = {key: super().get_signing_serializer(app)}
            self._serializers = kept  # replaced whole: a thread never sees half of it
        return kept[key]

    def save_session(self, app, session, response) -> None:
        if request.endpoint in FILES:
            return None
        return super().save_session(app, session, response)


class TokenPage:
    """A page that is the same for everyone but for one token (the plain login page).

    Rendered once; each request puts its own CSRF token in. Sent gzipped, it is compressed
    once too: each stretch between the tokens is a raw deflate stream flushed with
    Z_FULL_FLUSH (byte-aligned, not final, no reference back), so the stretches, the token
    compressed on its own and a gzip header and trailer make one valid gzip member. No
    library splices deflate streams; compressing the page per request was a fifth of its
    time (Brotli, which browsers prefer, twice that). The stretches cannot refer back to
    each other and each has its own code tables: the login page is 1,744 bytes instead of
    1,364 (2,701 unpacked), still one round trip on a slow phone.
    """

    def __init__(self, html: str, token: str):
        self.parts = html.split(token)
        raw = [part.encode() for part in self.parts]
        self.deflated = [_deflate(part, last=n == len(raw) - 1) for n, part in enumerate(raw)]

    def html(self, token: str) -> str:
        return token.join(self.parts)

    def gzipped(self, token: str) -> bytes:
        data = token.encode()
        middle = _deflate(data, last=False)
        body = [GZIP_HEADER]
        for n, part in enumerate(self.deflated):
            body.append(part if n == 0 else middle + part)
        size = sum(len(p.encode()) for p in self.parts) + len(data) * (len(self.parts) - 1)
        whole_crc = zlib.crc32(self.html(token).encode())
        body.append(struct.pack("<II", whole_crc, size & 0xFFFFFFFF))
        return b"".join(body)


# A gzip member header: magic, deflate, no flags, no time, no extra flags, unknown OS.
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"


def _deflate(data: bytes, last: bool) -> bytes:
    z = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return z.compress(data) + z.flush(zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH)


def init_app(app) -> None:
    app.session_interface = _Sessions()
    app.config.setdefault("COMPRESS_MIMETYPES", [
        "text/html", "text/css", "text/plain", "text/javascript", "application/javascript",
        "application/json", "application/manifest+json", "image/svg+xml", "text/calendar",
    ])  # fmt: skip
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)  # a page: 4 % smaller than 4, in 1.3 ms
    compress.init_app(app)
    app.add_template_global(favicon)
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


@cache
def icon_fingerprint(size: int) -> str:
    return hashlib.sha256(icon_png(size)).hexdigest()[:10]


@cache
def favicon() -> str:
    """The tab icon as a data: URI (176 bytes in the page).

    A linked icon costs a request on every page: Chromium downloads it past the HTTP cache
    for each new page, so a warm page would be two requests instead of one.
    """
    return "data:image/png;base64," + base64.b64encode(icon_png(48)).decode()
