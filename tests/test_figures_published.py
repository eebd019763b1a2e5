"""bpcore.figures.published: a value reproduces a published number when it rounds to the
same text; checked on Mazur's published numbers, recomputed here with numpy alone."""
import numpy as np
import pytest

from bpcore.figures import published


def mazur_by_hand():
    """Mazur's forward pass with numpy alone: out_h1 and E_total."""
    x = np.array([0.05, 0.10])
    h = 1 / (1 + np.exp(-(np.array([[0.15, 0.20], [0.25, 0.30]]) @ x + 0.35)))
    out = 1 / (1 + np.exp(-(np.array([[0.40, 0.45], [0.50, 0.55]]) @ h + 0.60)))
    return h[0], float(np.sum(0.5 * (np.array([0.01, 0.99]) - out) ** 2))


def test_shown_rounds_to_the_published_decimals():
    out_h1, E = mazur_by_hand()
    assert published.shown(out_h1, "0.593269992") == "0.593269992"
    assert published.shown(E, "0.298371109") == "0.298371109"
    assert published.shown(-0.01904911826, "-0.019049119") == "-0.019049118"
    assert published.shown(0.5, "0.50") == "0.50"


def test_reproduces_is_digit_for_digit():
    out_h1, E = mazur_by_hand()
    assert published.reproduces(out_h1, "0.593269992")
    assert published.reproduces(E, "0.298371109")
    assert not published.reproduces(E, "0.298371108")
    assert not published.reproduces(0.291027774, "0.291027924")


def test_markdown_table_marks_and_counts():
    out_h1, E = mazur_by_hand()
    rows = [("out_h1", "a¹₁", "0.593269992", out_h1),
            ("E_total", "C", "0.298371109", E),
            ("E_total after", "C", "0.291027924", 0.291027774)]
    table, n = published.markdown_table(rows)
    lines = table.split("\n")
    assert lines[0] == "| quantity (Mazur) | book | published | bpcore | match |"
    assert lines[1] == "|---|---|---|---|---|"
    assert lines[2] == "| out_h1 | a¹₁ | 0.593269992 | 0.593269992 | ✓ |"
    assert lines[4] == "| E_total after | C | 0.291027924 | 0.291027774 | ✗ |"
    assert n == 2 and isinstance(n, int)


def test_comparison_lines_up_the_columns():
    text = published.comparison([("E, round 1", "0.291027924"),
                                 ("E, round 10,000", "0.0000351085")],
                                [0.2910279240001, 0.00003510849], "variant")
    head, first, second = text.split("\n")
    assert head == " " * 21 + "    published" + "        variant"
    assert first.endswith("0.291027924  match") and first.startswith("E, round 1 ")
    assert second.endswith("0.0000351085  match")
    assert len(first) == len(second)


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="with a decimal point, such as '0.3775', got '12'"):
        published.reproduces(12.0, "12")
    with pytest.raises(ValueError, match="got 1 values for 2 numbers"):
        published.comparison([("a", "0.1"), ("b", "0.2")], [0.1], "x")
