"""Chapter 11's dictionary tables: generated from notation.SYMBOLS, math marked, nothing lost."""
import pytest

from bpcore import notation
from bpcore.figures.symbol_tables import MISSING, as_markdown, symbol_table

ENTRIES = [entry for row in notation.SYMBOLS.values() for entry in row.values()
           if entry is not None]


@pytest.mark.parametrize("entry", ENTRIES)
def test_marking_math_only_adds_dollars(entry):
    # the oracle: deleting the $ signs gives back the entry, and they pair up
    marked = as_markdown(entry)
    assert marked.replace("$", "") == entry
    assert marked.count("$") % 2 == 0


@pytest.mark.parametrize("entry, expected", [
    ("w^l_{jk} (to j, from k)", "$w^l_{jk}$ (to $j$, from $k$)"),
    # a shape is one formula, brackets included
    ("W^l, (n_l, n_{l-1})", "$W^l$, $(n_l, n_{l-1})$"),
    ("(N_k, M_k) = (n_k, n_{k-1} + 1)", "$(N_k, M_k) = (n_k, n_{k-1} + 1)$"),
    # equation numbers stay text, even with a slash or a dash between them
    ("used as (n_{l-1}, n_l) in (15)/(17), and (27)",
     "used as $(n_{l-1}, n_l)$ in (15)/(17), and (27)"),
    ("b^l, only in (33)-(34), not in (3)", "$b^l$, only in (33)-(34), not in (3)"),
    # a bracket opened by the words stays outside the formula
    ("(the book's (W^i)^T)", "(the book's $(W^i)^T$)"),
    # neighbouring math tokens make one formula; the word "a" stays a word
    ("\\partial E/\\partial x_j", "$\\partial E/\\partial x_j$"),
    ("a weight from an extra input fixed at 1", "a weight from an extra input fixed at 1"),
    ("columns", "columns"),
    (None, MISSING),
])
def test_as_markdown_examples(entry, expected):
    assert as_markdown(entry) == expected


def test_table_has_one_row_per_source_in_order():
    columns = ["pre-activation", "activation", "cost"]
    lines = symbol_table(columns).data.split("\n")
    assert lines[0] == "| source | pre-activation | activation | cost |"
    assert lines[1] == "|---|---|---|---|"
    assert [line.split(" | ")[0][2:] for line in lines[2:]] == list(notation.SYMBOLS)
    feng = lines[2 + list(notation.SYMBOLS).index("Feng (2020)")]
    assert feng == "| Feng (2020) | $m^\\ell$ | $z^\\ell$ | $Q$ |"


@pytest.mark.parametrize("entry", ENTRIES)
def test_no_formula_holds_only_equation_numbers(entry):
    # the slip of issue 11: "(15)/(17)" came out as "($15)/(17$)"
    for formula in as_markdown(entry).split("$")[1::2]:
        assert any(c.isalpha() for c in formula), (entry, formula)


def test_missing_symbol_is_a_dash():
    row = symbol_table(["error"]).data.split("\n")[2 + list(notation.SYMBOLS).index("short note")]
    assert row == f"| short note | {MISSING} |"


def test_unknown_quantity_is_refused():
    with pytest.raises(ValueError, match=r"expected quantities that every source records.*"
                                         r"got \['weights'\]"):
        symbol_table(["cost", "weights"])
