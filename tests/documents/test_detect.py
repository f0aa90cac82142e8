"""The content detector and the plain name, as pure functions (unit and property tests)."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cbec_alliance.documents import detect as d
from tests.documents import files


def _detect(data: bytes) -> d.Detected:
    return d.detect(io.BytesIO(data))


def test_each_allowed_format_is_recognised():
    assert _detect(files.PDF).type == "pdf"
    assert _detect(files.WEBP) == d.Detected("image", "image/webp")
    assert _detect(files.ole2("PowerPoint Document")).content_type == (
        "application/vnd.ms-powerpoint"
    )
    xlsx = files.zipped({"[Content_Types].xml": b"<T/>", "xl/workbook.xml": b"<w/>"})
    assert _detect(xlsx).content_type.endswith("spreadsheetml.sheet")
    pptx = files.zipped({"[Content_Types].xml": b"<T/>", "ppt/presentation.xml": b"<p/>"})
    assert _detect(pptx).content_type.endswith("presentationml.presentation")
    # A zip with a [Content_Types].xml but no Office part is just a zip.
    assert _detect(files.zipped({"[Content_Types].xml": b"<T/>"})).type == "zip"
    assert _detect(b"PK\x05\x06" + b"\x00" * 18).type == "zip"  # the empty zip


@pytest.mark.parametrize("data", [files.ELF, files.PE, files.SCRIPT, b"\xca\xfe\xba\xbe\x00\x00"])
def test_executables_are_refused_as_such(data):
    with pytest.raises(d.Refused) as refused:
        _detect(data)
    assert "Executable" in str(refused.value)


def test_a_bomb_is_refused_from_its_directory_and_the_limits_are_named():
    with pytest.raises(d.Refused) as refused:
        _detect(files.crafted_sizes())
    assert str(refused.value) == "The zip archive would expand to more than 200 MiB."
    many = files.zipped({f"{i}.txt": b"" for i in range(d.ZIP_MAX_ENTRIES + 1)}, zipfile.ZIP_STORED)
    with pytest.raises(d.Refused, match="entries"):
        _detect(many)


def test_entries_sharing_their_data_are_refused():
    data = bytearray(files.zipped({"a.txt": b"x" * 1000, "b.txt": b"y" * 1000}))
    cd = data.rfind(b"PK\x01\x02")
    # Claim the second entry's compressed size is the whole archive again.
    data[cd + 20 : cd + 24] = len(data).to_bytes(4, "little")
    with pytest.raises(d.Refused):
        _detect(bytes(data))


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("C:\\Users\\王芳\\Desktop\\简历.pdf", "简历.pdf"),
        ("\\\\server\\share\\协议.docx", "协议.docx"),
        ("a/b\\c/实习周志.txt", "实习周志.txt"),
        ("简\u202e历.pdf", "简历.pdf"),  # a right-to-left override is a format character
        ("", "file"),
        (None, "file"),
        ("/", "file"),
    ],
)
def test_plain_names(name, plain):
    assert d.plain_name(name) == plain


@given(st.text(max_size=400))
def test_a_plain_name_is_never_a_path(name):
    plain = d.plain_name(name)
    assert plain
    assert "/" not in plain
    assert "\\" not in plain
    assert plain not in (".", "..")
    assert all(ord(c) >= 32 for c in plain)
    assert len(plain) <= 255


@given(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_characters="/\\"), min_size=1, max_size=60
    ).filter(lambda s: s.strip() not in ("", ".", ".."))
)
def test_a_plain_chinese_name_is_kept(name):
    if all(c.isprintable() for c in name) and name == name.strip():
        assert d.plain_name(name) == name


@settings(max_examples=200)
@given(st.binary(max_size=2048))
def test_any_bytes_are_detected_or_refused_never_an_error(data):
    try:
        found = _detect(data)
    except d.Refused as refused:
        message = str(refused)
        assert message
        return
    assert found.type in ("pdf", "image", "office", "zip", "text")


@given(st.binary(min_size=1, max_size=512))
def test_bytes_after_an_executable_magic_are_always_refused(tail):
    for magic in d.EXECUTABLES:
        with pytest.raises(d.Refused):
            _detect(magic + tail)


@given(st.text(min_size=1, max_size=500).filter(lambda t: "\x00" not in t))
def test_utf8_text_is_text_unless_it_starts_like_something_else(text):
    data = text.encode()
    try:
        found = _detect(data)
    except d.Refused:
        assert data.startswith(d.EXECUTABLES)
        return
    if not data.startswith((b"%PDF-", b"GIF8", b"PK", b"RIFF")):
        assert found.type == "text"
