"""Numbers and symbols written as TeX and as plain text, the way the steppers show them.

Pure string helpers with no plotting or widget imports, shared by the steppers, the
activation and loss registries (each record writes its own formula with these) and the
pictures.  Math for an HTML page goes through :func:`inline` or :func:`display`, which
escape ``&``, ``<`` and ``>``.

>>> sym("w", 2, 1, 3), key("w", 2, 1, 3)
('w^{2}_{13}', 'w^2_13')
>>> number(0.15), factor(-0.1), signed_sum([1.0, -2.0, 0.5])
('0.1500', '(-0.1000)', '1.0000 - 2.0000 + 0.5000')
"""
from __future__ import annotations

import html
import math

import numpy as np

__all__ = ["format_number", "plain", "number", "factor", "signed_sum", "sym", "key",
           "column", "matrix", "aligned", "inline", "display", "paragraph", "superscript",
           "ascii_text", "MINUS"]

MINUS = "\u2212"


def format_number(value, latex=False):
    """``value`` the way every stepper and picture prints numbers: four decimal places.

    Numbers from 0.001 to 1000 in size get exactly four decimals, so that numbers side by
    side line up (0.0500 beside 0.9900); exact zero prints as 0.  Smaller and larger
    numbers use four significant digits and a power of ten, ``\\times 10^{k}`` in LaTeX
    and ``e-06`` style in plain text.

    >>> [format_number(v) for v in (0.05, 0.99, -0.1, 12.3456, 0.0, 3e-7)]
    ['0.0500', '0.9900', '-0.1000', '12.3456', '0', '3.000e-07']
    >>> format_number(2.5e12, latex=True)
    '2.500 \\\\times 10^{12}'
    """
    value = float(value)
    if value == 0.0:
        return "0"
    if not math.isfinite(value):
        return {True: r"\infty", False: "inf"}[latex] if value > 0 else \
            {True: r"-\infty", False: "-inf"}[latex]
    if 0.001 <= abs(value) < 1000:
        return f"{value:.4f}"
    mantissa, exponent = f"{value:.3e}".split("e")
    if latex:
        return rf"{mantissa} \times 10^{{{int(exponent)}}}"
    return f"{mantissa}e{exponent}"


def plain(value):
    """A number for a picture: four significant digits and a typographic minus sign.

    >>> plain(-0.25)
    '\u22120.2500'
    """
    return format_number(value).replace("-", MINUS)


def number(value):
    """A number in LaTeX, four significant digits."""
    return format_number(value, latex=True)


def factor(value):
    """A number as a factor in a product: negative numbers in parentheses."""
    text = number(value)
    return f"({text})" if value < 0 else text


def signed_sum(values):
    """v1 + v2 - |v3| ...: a sum of numbers with their signs written as operators."""
    out = number(values[0])
    for value in values[1:]:
        out += f" - {number(-value)}" if value < 0 else f" + {number(value)}"
    return out


def sym(name, l, *idx):
    """A symbol with a layer superscript and 1-based neuron subscripts, e.g. w^{2}_{13}."""
    sub = "".join(str(i) for i in idx)
    return f"{name}^{{{l}}}_{{{sub}}}" if sub else f"{name}^{{{l}}}"


def key(name, l, *idx):
    """The ASCII key of a value in a stepper's ``values``, e.g. 'w^2_13'."""
    sub = "".join(str(i) for i in idx)
    return f"{name}^{l}_{sub}" if sub else f"{name}^{l}"


def column(values):
    """A column vector of numbers as a pmatrix."""
    return r"\begin{pmatrix} " + r" \\ ".join(number(x) for x in values) + r" \end{pmatrix}"


def matrix(values):
    """A matrix (or one row) of numbers as a pmatrix."""
    rows = [" & ".join(number(x) for x in row) for row in np.atleast_2d(values)]
    return r"\begin{pmatrix} " + r" \\ ".join(rows) + r" \end{pmatrix}"


def aligned(lines):
    r"""Several equations, one per line, aligned at their first = sign."""
    return r"\begin{aligned} " + r" \\ ".join(line.replace(" = ", " &= ", 1) for line in lines) \
        + r" \end{aligned}"


def inline(tex):
    """Inline math for an HTML page: $...$, with &, < and > escaped."""
    return "$" + html.escape(tex, quote=False) + "$"


def display(tex):
    """Display math for an HTML page: $$...$$, with &, < and > escaped."""
    return "$$" + html.escape(tex, quote=False) + "$$"


def paragraph(text):
    """A paragraph of a stepper's text."""
    return f'<p style="margin:0.3em 0">{text}</p>'


_SUPERSCRIPTS = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079"
_SUP = str.maketrans("0123456789", _SUPERSCRIPTS)
_ASCII = {"\u2202": "d", "\u03b4": "delta", "\u2212": "-", "\u00b7": ";",
          "\u221d": "proportional to", "\u2032": "'", "\u03b7": "eta", "\u0394": "Delta "}
_ASCII.update({sup: f"^{d}" for d, sup in zip("0123456789", _SUPERSCRIPTS)})


def superscript(name, l):
    """A symbol with its layer as a Unicode superscript, for pictures: a\u00b2, \u03b4\u00b9.

    >>> superscript("a", 2)
    'a\u00b2'
    """
    return f"{name}{str(l).translate(_SUP)}"


def ascii_text(text):
    """Picture text made plain for a description: \u03b4\u00b2 -> delta^2, \u2212 -> -.

    >>> ascii_text("\u2202C/\u2202\u03b4\u00b2")
    'dC/ddelta^2'
    """
    return "".join(_ASCII.get(c, c) for c in text)
