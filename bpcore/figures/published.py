"""Tables that set a source's published numbers beside bpcore's, digit for digit.

A published number is text such as ``"0.593269992"``; a computed value *reproduces* it when,
rounded to the decimals the text shows, it reads the same text.  Chapter 8 checks Matt
Mazur's worked example this way: :func:`markdown_table` for the walk-through and
:func:`comparison` for the closing numbers.

>>> reproduces(0.5932699921, "0.593269992"), reproduces(0.29102777, "0.291027924")
(True, False)
"""
from __future__ import annotations

__all__ = ["shown", "reproduces", "markdown_table", "comparison"]

HEADERS = ("quantity (Mazur)", "book", "published", "bpcore", "match")


def _decimals(text):
    if not isinstance(text, str) or text.count(".") != 1:
        raise ValueError(f"expected a published number as text with a decimal point, such as "
                         f"'0.3775', got {text!r}")
    return len(text.split(".")[1])


def shown(value, text):
    """``value`` rounded to as many decimals as the published ``text`` shows, as text.

    >>> shown(-0.01904911826, "-0.019049119")
    '-0.019049118'
    """
    return f"{value:.{_decimals(text)}f}"


def reproduces(value, text):
    """True if ``value``, rounded to the decimals of ``text``, reads exactly ``text``."""
    return shown(value, text) == text


def markdown_table(rows, headers=HEADERS):
    """A Markdown table of published numbers and computed values, and how many match.

    ``rows`` are ``(source's name, book's name, published text, value)``; each line of the
    table shows the value rounded like the text and a ✓ or ✗.  Returns
    ``(markdown, n_match)``.

    >>> table, n = markdown_table([("net_h1", "z¹₁", "0.3775", 0.3775)])
    >>> print(table)
    | quantity (Mazur) | book | published | bpcore | match |
    |---|---|---|---|---|
    | net_h1 | z¹₁ | 0.3775 | 0.3775 | ✓ |
    >>> n
    1
    """
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    n_match = 0
    for source_name, book_name, text, value in rows:
        match = reproduces(value, text)
        n_match += match
        lines.append(f"| {source_name} | {book_name} | {text} | {shown(value, text)} | "
                     f"{'✓' if match else '✗'} |")
    return "\n".join(lines), n_match


def comparison(rows, values, label):
    """Published numbers beside ``values`` as aligned text, one line each, ending in
    "match" or "differs".

    ``rows`` are ``(what, published text)``; ``values`` one number per row; ``label``
    heads the column of values.

    >>> print(comparison([("E, round 1", "0.291027924")], [0.291027774], "biases frozen"))
                             published  biases frozen
    E, round 1             0.291027924    0.291027774  differs
    """
    if len(rows) != len(values):
        raise ValueError(f"expected one value per published number, got {len(values)} values "
                         f"for {len(rows)} numbers")
    lines = [f"{'':21s}{'published':>13s}{label:>15s}"]
    for (what, text), value in zip(rows, values):
        verdict = "match" if reproduces(value, text) else "differs"
        lines.append(f"{what:21s}{text:>13s}{shown(value, text):>15s}  {verdict}")
    return "\n".join(lines)
