"""Sample files for upload tests: real formats built in memory, and hostile ones."""

from __future__ import annotations

import io
import struct
import zipfile

from tests.documents.matrix import PDF

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
GIF = b"GIF89a" + b"\x00" * 40
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 100
PE = b"MZ\x90\x00\x03" + b"\x00" * 100
SCRIPT = b"#!/bin/sh\nrm -rf /\n"
TEXT = "实习周志：本周完成选品分析。\n".encode()
OLE2_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole2(stream: str) -> bytes:
    """An OLE2 compound file naming one stream (enough for detection)."""
    return OLE2_HEADER + b"\x00" * 504 + (stream + "\x00").encode("utf-16-le") + b"\x00" * 64


def zipped(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of the entries."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx() -> bytes:
    """The skeleton of a Word (OOXML) document."""
    return zipped(
        {
            "[Content_Types].xml": b"<Types/>",
            "_rels/.rels": b"<Relationships/>",
            "word/document.xml": "<w:document>实习协议</w:document>".encode(),
        }
    )


def odt() -> bytes:
    """The skeleton of an ODF text document (its `mimetype` entry stored first)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", b"<office:document-content/>", zipfile.ZIP_DEFLATED)
    return out.getvalue()


def zeros_bomb(mib: int = 300) -> bytes:
    """A zip of one entry of `mib` MiB of zeros (deflated to about a thousandth)."""
    out = io.BytesIO()
    block = b"\x00" * (1024 * 1024)
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("zeros.bin", "w", force_zip64=True) as entry,
    ):
        for _ in range(mib):
            entry.write(block)
    return out.getvalue()


def dense_zeros(mib: int = 50) -> bytes:
    """Under the size limit, but compressed far over 100:1."""
    return zeros_bomb(mib)


def crafted_sizes(claimed: int = 10 * 1024**3) -> bytes:
    """A small zip whose central directory claims its entry expands to `claimed` bytes."""
    data = bytearray(zipped({"report.csv": b"a,b\n1,2\n"}, zipfile.ZIP_STORED))
    cd = data.rfind(b"PK\x01\x02")
    # The central directory header's uncompressed size (offset 24, 4 bytes).
    struct.pack_into("<I", data, cd + 24, min(claimed, 0xFFFFFFFE))
    return bytes(data)


__all__ = ["PDF"]
