"""Keeping spreadsheet formulas out of the CSV files Basewatch writes.

Incident text comes from hostile sources. A CSV cell starting with = + - @, a tab
or a carriage return is run as a formula when the file is opened in a spreadsheet
(OWASP "CSV injection"), so free-text cells get a leading apostrophe, which
spreadsheets read as "this is text" and do not show. Numeric cells are left alone:
a negative longitude is not a formula.

``unguarded`` undoes it for files read back (the ACLED importer), so an export
imports unchanged: a cell that is an apostrophe followed by a formula start is
taken to be guarded. A file that meant a literal apostrophe there loses it on
import and gets it back on export, byte for byte.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guarded(value) -> str:
    """The cell as text, with an apostrophe in front if a spreadsheet would run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def unguarded(text: str) -> str:
    """A cell read back from a guarded file, as it was before ``guarded``."""
    guarded_formula = text.startswith("'") and text[1:2] in FORMULA_STARTS
    return text[1:] if guarded_formula else text
