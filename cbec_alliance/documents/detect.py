"""What an uploaded file is, from its bytes only (never its name), against the allow-list.

Pure: reads a seekable binary file and answers a `Detected(type, content_type)` or raises
`Refused` with a catalogue message. Archives (zip, and OOXML/ODF, which are zips) are judged
by their central directory alone (`zipfile.infolist`): nothing is ever decompressed, so a zip
bomb costs no more to refuse than to read its directory.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import IO

from cbec_alliance.core.i18n import N_

CHUNK = 1024 * 1024
# Zip limits: the declared total once expanded, the overall compression ratio (checked past
# a megabyte: a few tiny files say nothing), and the number of entries.
ZIP_MAX_TOTAL = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR = 1024 * 1024
ZIP_MAX_ENTRIES = 10_000

# Archives inside an archive: the upload is the only level inspected (an inner one could
# only be judged by expanding it).
NESTED_ARCHIVES = (".zip", ".jar", ".war", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz")

PDF = ("pdf", "application/pdf")
IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
EXECUTABLES = (
    b"\x7fELF",  # Linux, BSD
    b"MZ",  # Windows PE (and DOS)
    b"\xfe\xed\xfa\xce",  # Mach-O 32
    b"\xfe\xed\xfa\xcf",  # Mach-O 64
    b"\xce\xfa\xed\xfe",  # Mach-O 32, little-endian
    b"\xcf\xfa\xed\xfe",  # Mach-O 64, little-endian
    b"\xca\xfe\xba\xbe",  # Mach-O universal (and Java classes)
    b"#!",  # scripts
    b"\x00asm",  # WebAssembly
)
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream that makes an OLE2 compound file a Word, Excel or PowerPoint file (an MSI
# installer is OLE2 too, and has none of them).
OLE2_STREAMS = (
    ("WordDocument", "application/msword"),
    ("Workbook", "application/vnd.ms-excel"),
    ("Book", "application/vnd.ms-excel"),
    ("PowerPoint Document", "application/vnd.ms-powerpoint"),
)
OOXML = (
    ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
)
ODF = (
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
)
TEXT = ("text", "text/plain; charset=utf-8")


@dataclass(frozen=True)
class Detected:
    """What the content is: one of the models' TYPES and the MIME type it is served as."""

    type: str
    content_type: str


@dataclass
class Refused(Exception):
    """The file is not accepted; `message` is a catalogue msgid, `params` its values."""

    message: str
    params: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message % self.params if self.params else self.message


def detect(fileobj: IO[bytes]) -> Detected:
    """The type of the seekable file's content, or Refused (empty, executable, a zip
    bomb, anything off the allow-list)."""
    fileobj.seek(0)
    head = fileobj.read(64)
    if not head:
        raise Refused(N_("The file is empty."))
    if head.startswith(b"%PDF-"):
        return Detected(*PDF)
    for magic, mime in IMAGES:
        if head.startswith(magic):
            return Detected("image", mime)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Detected("image", "image/webp")
    if head.startswith(EXECUTABLES):
        raise Refused(N_("Executable files and scripts are not accepted."))
    if head.startswith(OLE2):
        return _ole2(fileobj)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return inspect_zip(fileobj)
    if _is_utf8_text(fileobj):
        return Detected(*TEXT)
    raise Refused(
        N_(
            "This type of file is not accepted: PDF, images (PNG, JPEG, GIF, WebP), Office "
            "documents, zip archives and UTF-8 text are."
        )
    )


def _scan(fileobj: IO[bytes], needles: list[bytes]) -> set[bytes]:
    """The needles found anywhere in the file (chunks overlap by the longest needle)."""
    overlap = max(map(len, needles))
    found: set[bytes] = set()
    fileobj.seek(0)
    tail = b""
    while chunk := fileobj.read(CHUNK):
        window = tail + chunk
        found.update(n for n in needles if n in window)
        tail = window[-overlap:]
    return found


def _ole2(fileobj: IO[bytes]) -> Detected:
    # Directory entries name their streams in UTF-16LE, anywhere in the file.
    needles = [(name + "\x00").encode("utf-16-le") for name, _mime in OLE2_STREAMS]
    found = _scan(fileobj, needles)
    for (_name, mime), needle in zip(OLE2_STREAMS, needles, strict=True):
        if needle in found:
            return Detected("office", mime)
    raise Refused(N_("This compound file is not a Word, Excel or PowerPoint document."))


def _unsafe_name(name: str) -> bool:
    parts = re.split(r"[\\/]", name)
    return (
        name.startswith(("/", "\\"))
        or bool(re.match(r"^[A-Za-z]:", name))
        or ".." in parts
        or any(ord(c) < 32 for c in name)
    )


def inspect_zip(fileobj: IO[bytes]) -> Detected:
    """A zip judged by its central directory alone: Refused for a bomb (too large once
    expanded, too compressed, too many entries, overlapping entries), unsafe entry names
    or archives inside; else zip, or office for OOXML and ODF documents."""
    fileobj.seek(0, 2)
    archive_size = fileobj.tell()
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
            odf = _odf_mimetype(archive, infos)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, EOFError):
        raise Refused(N_("The zip archive cannot be read.")) from None
    if len(infos) > ZIP_MAX_ENTRIES:
        raise Refused(N_("The zip archive has more than %(n)s entries."), {"n": ZIP_MAX_ENTRIES})
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if total > ZIP_MAX_TOTAL:
        raise Refused(
            N_("The zip archive would expand to more than %(mib)s MiB."),
            {"mib": ZIP_MAX_TOTAL // (1024 * 1024)},
        )
    if total > ZIP_RATIO_FLOOR and total > ZIP_MAX_RATIO * max(packed, 1):
        raise Refused(
            N_("The zip archive is compressed more than %(ratio)s to 1."), {"ratio": ZIP_MAX_RATIO}
        )
    if packed > archive_size:
        # Entries sharing their compressed data (a "non-recursive" bomb).
        raise Refused(N_("The zip archive's entries overlap."))
    for info in infos:
        if _unsafe_name(info.filename):
            raise Refused(N_("The zip archive has an entry with an absolute or parent path."))
        if not info.is_dir() and info.filename.lower().endswith(NESTED_ARCHIVES):
            raise Refused(N_("The zip archive holds another archive."))
    if odf is not None:
        return Detected("office", odf)
    names = {info.filename for info in infos}
    if "[Content_Types].xml" in names:
        for prefix, mime in OOXML:
            if any(name.startswith(prefix) for name in names):
                return Detected("office", mime)
    return Detected("zip", "application/zip")


def _odf_mimetype(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> str | None:
    # An ODF document's first entry is `mimetype`, stored (not compressed), a few bytes long:
    # reading it expands nothing.
    if not infos or infos[0].filename != "mimetype":
        return None
    first = infos[0]
    if first.compress_type != zipfile.ZIP_STORED or first.file_size > 100:
        return None
    value = archive.read(first).decode("ascii", "replace").strip()
    return value if value in ODF else None


def _is_utf8_text(fileobj: IO[bytes]) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    fileobj.seek(0)
    try:
        while chunk := fileobj.read(CHUNK):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def plain_name(name: str | None, fallback: str = "file") -> str:
    """The client's file name as a plain base name: directories (/ or \\) and control
    characters gone, at most 255 characters (Chinese kept); `fallback` when nothing is left."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(c for c in base if unicodedata.category(c)[0] != "C").strip()
    if base in ("", ".", ".."):
        return fallback
    if len(base) > 255:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 254 - len(ext)] + dot + ext) if dot and len(ext) < 20 else base[:255]
    return base
