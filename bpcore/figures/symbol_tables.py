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
# An equation number or a range of them, "(3)", "(15)/(17)," or "(33)-(34)": text.
_EQUATION_NUMBERS = re.compile(r"\(\d+\)(?:[-/]\(\d+\))*[,;.]?")


def _core(token):
    return _TOKEN.fullmatch(token).group(2)


def _is_math(core):
    """Math: a core with TeX characters, or one letter other than the word "a"."""
    return bool(_MATH.search(core)) or (len(core) == 1 and core.isalpha() and core != "a")


def _starts_formula(token):
    return not _EQUATION_NUMBERS.fullmatch(token) and _is_math(_core(token))


def _continues_formula(token, previous):
    """A math token or a number right after a formula token that ends without , ; ."""
    core = _core(token)
    return (not previous.endswith((",", ";", ".")) and not token.startswith("(")
            and not _EQUATION_NUMBERS.fullmatch(token) and (_is_math(core) or core.isdigit())
            ) or (_starts_formula(token) and previous == "=")


def _dollars(formula):
    """``$formula$``, with unmatched outer brackets and closing punctuation left outside."""
    head = tail = ""
    while formula.endswith((",", ";", ".")) or formula.count(")") > formula.count("("):
        formula, tail = formula[:-1], formula[-1] + tail
    while formula.startswith("(") and formula.count("(") > formula.count(")"):
        formula, head = formula[1:], head + "("
    return f"{head}${formula}${tail}"


def as_markdown(entry):
    """One SYMBOLS entry (a string, or None) as Markdown: math in ``$...$``, words as text;
    None becomes an em dash.

    A formula starts at a token with TeX characters (or a single letter other than the word
    "a") and takes in the math tokens and numbers that follow it, and everything up to the
    bracket it opens is closed, so a shape reads ``$(n_l, n_{l-1})$``.  Equation numbers
    such as ``(15)/(17)`` stay text.

    >>> as_markdown("w^l_{jk} (to j, from k)")
    '$w^l_{jk}$ (to $j$, from $k$)'
    >>> as_markdown("W^l, (n_l, n_{l-1})")
    '$W^l$, $(n_l, n_{l-1})$'
    >>> as_markdown("(N_k, M_k) = (n_k, n_{k-1} + 1)")
    '$(N_k, M_k) = (n_k, n_{k-1} + 1)$'
    >>> as_markdown("b, used as in (15)/(17), not in (3)")
    '$b$, used as in (15)/(17), not in (3)'
    >>> as_markdown(None)
    '—'
    """
    if entry is None:
        return MISSING
    tokens, out, i = entry.split(" "), [], 0
    while i < len(tokens):
        if not _starts_formula(tokens[i]):
            out.append(tokens[i])
            i += 1
            continue
        formula, depth = [tokens[i]], tokens[i].count("(") - tokens[i].count(")")
        i += 1
        while i < len(tokens) and depth >= 0 and (
                depth > 0 or _continues_formula(tokens[i], formula[-1])):
            formula.append(tokens[i])
            depth += tokens[i].count("(") - tokens[i].count(")")
            i += 1
        out.append(_dollars(" ".join(formula)))
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
