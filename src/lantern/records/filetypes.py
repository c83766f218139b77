"""What a file really is, from its content (magic bytes), not from its name or the browser's word.

Pure Python: no Django. Accepted: PDF, JPEG, PNG and plain UTF-8 text. Anything else — and a file whose
content does not match the end of its name (an HTML page or a program renamed ".pdf") — is refused.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    id: str
    media_type: str
    extensions: tuple[str, ...]


PDF = FileType("pdf", "application/pdf", (".pdf",))
JPEG = FileType("jpeg", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("png", "image/png", (".png",))
TEXT = FileType("text", "text/plain", (".txt",))
ACCEPTED = (PDF, JPEG, PNG, TEXT)
BY_EXTENSION = {ext: kind for kind in ACCEPTED for ext in kind.extensions}

# Recognised only to say what a refused file is.
REFUSED_SIGNATURES = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"MZ", "program"),
    (b"\x7fELF", "program"),
    (b"\xca\xfe\xba\xbe", "program"),
    (b"\xcf\xfa\xed\xfe", "program"),
    (b"#!", "program"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "office"),
    (b"Rar!", "archive"),
    (b"7z\xbc\xaf", "archive"),
    (b"\x1f\x8b", "archive"),
    (b"GIF8", "image"),
    (b"RIFF", "media"),
)
# What browsers treat as a web page or a script (WHATWG MIME sniffing, and SVG/XML).
MARKUP = re.compile(
    rb"^\s*<(!doctype\s+html|html|head|body|script|iframe|h1|div|font|table|a\s|style|title|b\s|br|p[\s>]|"
    rb"!--|\?xml|svg|object|embed|meta|link|img|form)",
    re.IGNORECASE,
)
TEXT_CONTROLS = set(range(32)) - {9, 10, 12, 13}


def extension_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def _plain_text(content: bytes) -> bool:
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8) :]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(ch) in TEXT_CONTROLS or ord(ch) == 127 for ch in text)


def detect(content: bytes) -> FileType | str:
    """The accepted type of `content`, or a word for what it is instead ("html", "zip", "program", …,
    "unknown")."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    for signature, what in REFUSED_SIGNATURES:
        if content.startswith(signature):
            return what
    head = content[:1024].removeprefix(codecs.BOM_UTF8)
    if MARKUP.match(head) or head.lstrip().startswith(b"<"):
        return "html"
    if _plain_text(content):
        return TEXT
    return "unknown"


@dataclass(frozen=True)
class Verdict:
    kind: FileType | None
    problem: str = ""  # "empty", "too_big", "not_accepted", "mismatch"
    found: str = ""  # what the content is, when refused


def check(name: str, content: bytes, *, max_bytes: int) -> Verdict:
    """Accept the file, or say why not. The name's extension must be allowed and agree with the content."""
    if not content:
        return Verdict(None, "empty")
    if len(content) > max_bytes:
        return Verdict(None, "too_big")
    claimed = BY_EXTENSION.get(extension_of(name))
    found = detect(content)
    if isinstance(found, FileType):
        if claimed is None:
            return Verdict(None, "not_accepted", found.id)
        if claimed != found:
            return Verdict(None, "mismatch", found.id)
        return Verdict(found)
    if claimed is None:
        return Verdict(None, "not_accepted", found)
    return Verdict(None, "mismatch", found)
