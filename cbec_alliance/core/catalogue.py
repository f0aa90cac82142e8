"""The message catalogue: extract the msgids from the source, merge them into the .po files,
compile the .mo files the app loads (`flask translations update`, `flask translations
compile`; the same as the pybabel commands in the README)."""

from __future__ import annotations

from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from flask import Flask

from cbec_alliance.core.i18n import LOCALES, TRANSLATIONS

PACKAGE = Path(__file__).resolve().parent.parent
# Besides gettext's own: the error helpers and marshmallow's error take a msgid literal
# (`conflict("...")`, `invalid(field, "...")`, `Waiting("coordinator", "publish the round")`).
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "not_found": None,
    "forbidden": None,
    "conflict": None,
    "invalid": (2,),
    "invalid_fields": None,
    "wrong_step": None,
    "waiting_on": None,
    "ValidationError": None,
    "problem_response": (2,),
    "Waiting": (2,),
    "org": (2,),
}
CATALOGUES = [lang for lang in LOCALES.values() if lang != "en"]


def po_path(locale: str) -> Path:
    """Where a locale's .po lives (its .mo sits beside it)."""
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def extract() -> Catalog:
    """Every msgid the package's source marks, with where it occurs."""
    template = Catalog(project="cbec-alliance", charset="utf-8")
    for filename, lineno, message, comments, _context in extract_from_dir(
        str(PACKAGE),
        # The console's Jinja templates mark their text with `_()` as the Python does.
        method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")],
        options_map={"**/templates/**.html": {"extensions": "jinja2.ext.do"}},
        keywords=KEYWORDS,
    ):
        if isinstance(message, str):  # (singular, plural) tuples are not used here
            template.add(message, None, [(filename, lineno)], auto_comments=comments)
    return template


def read(locale: str) -> Catalog:
    """A locale's catalogue as the .po has it."""
    with po_path(locale).open("rb") as fh:
        return read_po(fh, locale=locale)


def update(locale: str) -> Catalog:
    """Merge the extracted msgids into the locale's .po (new ones untranslated, gone ones
    dropped) and write it back."""
    path = po_path(locale)
    catalog = read(locale) if path.exists() else Catalog(locale=locale, charset="utf-8")
    catalog.update(extract(), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.project, catalog.fuzzy = "cbec-alliance", False
    catalog.header_comment = f"# {locale} messages of the CBEC Alliance API (see README)."
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, sort_output=True, include_lineno=False)
    return catalog


def compile_mo(locale: str) -> Path:
    """Write the locale's .mo from its .po (what Flask-Babel loads)."""
    catalog = read(locale)
    target = po_path(locale).with_suffix(".mo")
    with target.open("wb") as fh:
        write_mo(fh, catalog)
    return target


def register_commands(app: Flask) -> None:
    """`flask translations update|compile`."""
    group = click.Group("translations", help="Extract, merge and compile the catalogues.")

    @group.command("update")
    def _update():
        """Extract the msgids and merge them into every .po."""
        for locale in CATALOGUES:
            catalog = update(locale)
            missing = sum(1 for m in catalog if m.id and not m.string)
            click.echo(f"{po_path(locale)}: {len(catalog)} messages, {missing} untranslated")

    @group.command("compile")
    def _compile():
        """Compile every .po into the .mo the app loads."""
        for locale in CATALOGUES:
            click.echo(compile_mo(locale))

    app.cli.add_command(group)
