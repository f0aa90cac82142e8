"""Typeset PDFs with Chinese text: agreements, certificates, reports.

fpdf2 (pure Python, pip-only) with the Noto Sans CJK SC font file bundled by `mplfonts`
(the one the charts use, `core.exports.font_path`): embedded and subset, so a PDF opens with
its Chinese glyphs on any machine, none of whose fonts are assumed. `Document` adds what
every PDF here needs: a title, headings (listed in an optional table of contents), wrapped
paragraphs, tables, images (charts), a footer with page numbers, and an optional line of
small print on every page (the SHA-256 of an agreement's text, a verification code).
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Sequence

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from cbec_alliance.core.exports import font_path

FONT = "noto-cjk"
# fontTools logs every glyph it keeps at INFO when fpdf2 subsets the font: thousands of
# lines per PDF in a worker's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)


def sha256_hex(text: str) -> str:
    """The SHA-256 of `text` as UTF-8, in hex: what a signature or a PDF names as signed."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Document(FPDF):
    """An A4 PDF in the bundled CJK font, with page numbers and optional small print."""

    def __init__(self, title: str, *, small_print: str = "", lang: str = "zh") -> None:
        super().__init__(format="A4")
        self.doc_title = title
        self.small_print = small_print
        self.lang = lang
        self.set_title(title)
        self.set_creator("CBEC Alliance")
        self.add_font(FONT, fname=str(font_path()))
        self.set_font(FONT, size=11)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_margins(18, 18, 18)
        self.add_page()

    def footer(self) -> None:
        """Page numbers (第 n 页 / Page n) and the small print, on every page."""
        self.set_y(-14)
        self.set_font(FONT, size=8)
        page = f"第 {self.page_no()} 页" if self.lang == "zh" else f"Page {self.page_no()}"
        if self.small_print:
            self.cell(0, 5, self.small_print, align="L")
            self.set_x(self.l_margin)
        self.cell(0, 5, page, align="R")
        self.set_font(FONT, size=11)

    def title_block(self, subtitle: str = "") -> None:
        """The document's title, and a subtitle under it."""
        self.set_font(FONT, size=18)
        self.multi_cell(0, 10, self.doc_title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            self.set_font(FONT, size=11)
            self.multi_cell(0, 7, subtitle, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(4)
        self.set_font(FONT, size=11)

    def heading(self, text: str, level: int = 0) -> None:
        """A section heading, listed in the table of contents when there is one."""
        self.start_section(text, level=level)
        self.set_font(FONT, size=14 if level == 0 else 12)
        self.ln(2)
        self.multi_cell(0, 8, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, size=11)

    def paragraph(self, text: str, size: int = 11) -> None:
        """Wrapped text, left-aligned (Chinese lines break anywhere)."""
        self.set_font(FONT, size=size)
        self.multi_cell(0, 6.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)
        self.set_font(FONT, size=11)

    def table_rows(self, header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        """A table with a header row; cells are shown as text."""
        self.set_font(FONT, size=9)
        # The bundled font has one weight: headings are shaded, not bold.
        style = FontFace(emphasis="", fill_color=(230, 236, 245))
        with self.table(text_align="LEFT", line_height=6, headings_style=style) as table:
            row = table.row()
            for title in header:
                row.cell(str(title))
            for values in rows:
                row = table.row()
                for cell in values:
                    row.cell("" if cell is None else str(cell))
        self.ln(2)
        self.set_font(FONT, size=11)

    def image_png(self, data: bytes, width: float = 170) -> None:
        """A PNG (a chart) at `width` millimetres."""
        self.image(io.BytesIO(data), w=width)
        self.ln(2)

    def contents(self, title: str) -> None:
        """A table of contents on this page, filled in with every heading when the PDF is
        written; the next content starts on a new page."""

        def render(pdf: FPDF, outline) -> None:
            pdf.set_x(pdf.l_margin)
            pdf.set_font(FONT, size=14)
            pdf.multi_cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font(FONT, size=11)
            for section in outline:
                indent = "    " * section.level
                link = pdf.add_link(page=section.page_number)
                pdf.set_x(pdf.l_margin)
                pdf.cell(
                    0, 7, f"{indent}{section.name}", link=link, new_x=XPos.LEFT, new_y=YPos.TOP
                )
                pdf.cell(0, 7, str(section.page_number), align="R", link=link)
                pdf.ln(7)

        self.set_x(self.l_margin)
        self.insert_toc_placeholder(render, pages=1)

    def bytes(self) -> bytes:
        """The finished PDF."""
        return bytes(self.output())
