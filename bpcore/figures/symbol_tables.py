"""Chapter 11's dictionary: how each source writes the book's symbols, as Markdown tables.

The tables are generated from :data:`bpcore.notation.SYMBOLS`, one row per source and one
column per quantity.  An entry such as ``"w^l_{jk} (to j, from k)"`` mixes math and words;
:func:`as_markdown` puts the math tokens in ``$...$`` and leaves the words as text.

>>> as_markdown("w^l_{jk} (to j, from k)")
'$w^l_{jk}$ (to $j$, from $k$)'
"""
from __future__ import annotations

import re

from IPython.display import Markdown

from ..notation import SYMBOLS

__all__ = ["as_markdown", "symbol_table"]

MISSING = "—"   # the cell of a source that has no symbol for the quantity

# A token: opening brackets, its core, closing punctuation.
_TOKEN = re.compile(r"(\(*)(.*?)([),;.]*)")
# A core with one of these characters is math.
_MATH = re.compile(r"[\\^_{}=/+]")


def _is_math(core):
    """Math: a core with TeX characters, or one letter other than the word "a"."""
    return bool(_MATH.search(core)) or (len(core) == 1 and core.isalpha() and core != "a")


def as_markdown(entry):
    """One SYMBOLS entry (a string, or None) as Markdown: math tokens in ``$...$``, words as
    text, neighbouring math tokens joined into one ``$...$``; None becomes an em dash.

    >>> as_markdown("W^l, (n_l, n_{l-1})")
    '$W^l$, ($n_l$, $n_{l-1}$)'
    >>> as_markdown("b^\\\\ell, only in (33)-(34), not in (3)")
    '$b^\\\\ell$, only in (33)-(34), not in (3)'
    >>> as_markdown(None)
    '—'
    """
    if entry is None:
        return MISSING
    out, open_math = [], False   # open_math: out[-1] is math to extend
    for token in entry.split(" "):
        lead, core, trail = _TOKEN.fullmatch(token).groups()
        is_math = _is_math(core)
        if is_math and open_math and not lead:
            out[-1] = f"{out[-1][:-1]} {core}${trail}"   # extend it
        else:
            out.append(f"{lead}${core}${trail}" if is_math else token)
        open_math = is_math and not trail
    return " ".join(out)


def symbol_table(columns, symbols=None):
    """A Markdown table: one row per source of ``symbols`` (default
    :data:`bpcore.notation.SYMBOLS`), one column per quantity in ``columns``.

    Raises ValueError for a quantity that the sources do not record.

    >>> print(symbol_table(["cost"], {"book": {"cost": "C"}, "note": {"cost": None}}).data)
    | source | cost |
    |---|---|
    | book | $C$ |
    | note | — |
    """
    symbols = SYMBOLS if symbols is None else symbols
    columns = list(columns)
    known = set.intersection(*(set(row) for row in symbols.values()))
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise ValueError(f"expected quantities that every source records, one of "
                         f"{sorted(known)}; got {unknown}")
    header = "| source | " + " | ".join(columns) + " |"
    rule = "|---" * (len(columns) + 1) + "|"
    rows = [f"| {source} | " + " | ".join(as_markdown(row[c]) for c in columns) + " |"
            for source, row in symbols.items()]
    return Markdown("\n".join([header, rule] + rows))
