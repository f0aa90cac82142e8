"""PDFs typeset Chinese with the bundled font, number their pages and print small print."""

from __future__ import annotations

import pypdfium2

from cbec_alliance.core.pdf import Document, sha256_hex

TEXT = "甲方：广州跨境优品贸易有限公司\n乙方：广州商贸职业学院\n丙方：学生 王芳"


def _pages(data: bytes) -> list[str]:
    pdf = pypdfium2.PdfDocument(data)
    return [pdf[k].get_textpage().get_text_range() for k in range(len(pdf))]


def test_chinese_text_is_embedded_and_extractable():
    doc = Document("三方实习协议 Internship agreement", small_print="SHA-256 " + sha256_hex(TEXT))
    doc.title_block("广州跨境电商教育联盟")
    doc.heading("第一条 实习岗位")
    doc.paragraph(TEXT)
    doc.table_rows(["项目 item", "金额 amount"], [["实习补贴", "3000 元"], ["保险", None]])
    data = doc.bytes()
    assert data.startswith(b"%PDF")
    assert b"NotoSansCJK" in data  # the bundled font, embedded (subset), not a system one
    text = _pages(data)[0]
    for line in [
        "三方实习协议",
        "广州跨境优品贸易有限公司",
        "丙方：学生 王芳",
        "实习补贴",
        "3000 元",
    ]:
        assert line in text
    assert sha256_hex(TEXT) in text
    assert "第 1 页" in text


def test_contents_list_every_heading_with_its_page():
    doc = Document("年度报告 Annual report", lang="en")
    doc.title_block()
    doc.contents("Contents 目录")
    for k in range(3):
        doc.heading(f"第{k + 1}章 Chapter {k + 1}")
        doc.paragraph("内容 " * 2000)
    pages = _pages(doc.bytes())
    assert len(pages) > 4
    toc = pages[0]
    for k in range(3):
        assert f"Chapter {k + 1}" in toc
    assert "Page 2" in pages[1]


def test_the_hash_is_of_the_exact_utf8_text():
    assert sha256_hex("协议") == sha256_hex("协议")
    assert sha256_hex("协议") != sha256_hex("协议 ")
    assert len(sha256_hex("")) == 64
