"""Chapter 11's layout figure: every entry drawn in its cell, biases shaded, bad labels refused."""
import numpy as np
import pytest
from matplotlib.colors import to_rgba

import bpcore
from bpcore import notation
from bpcore.figures.weight_layouts import BIAS_FILL, draw_matrix
from _helpers import ax  # noqa: F401  (the fixture)

NET = bpcore.examples.running_example().net



def cell_texts(ax):
    """{(x, y) of the text: its string} for every text on the axes."""
    return {tuple(np.round(t.get_position(), 6)): t.get_text() for t in ax.texts}


def fills(ax):
    """{(x, y) of a cell's top left corner: its face colour}."""
    return {tuple(np.round(p.get_xy(), 6)): p.get_facecolor() for p in ax.patches}


def test_every_entry_in_its_cell_with_a_true_minus(ax):
    W_fold = notation.fold_bias(NET.W(1), NET.b(1))          # (3, 3), -0.10 and -0.20 in it
    draw_matrix(ax, W_fold, "article", ["to 1", "to 2", "to 3"],
                ["from 1", "from 2", "bias input 1"], shaded_cols=(2,))
    texts = cell_texts(ax)
    for (r, c), value in np.ndenumerate(W_fold):
        assert texts[(c + 0.5, -r - 0.5)] == f"{value:.2f}".replace("-", "\u2212")
    assert "\u22120.10" in texts.values() and "-0.10" not in texts.values()
    # only the bias column is shaded
    for (x, y), colour in fills(ax).items():
        expected = BIAS_FILL if x == 2 else "white"
        assert colour == to_rgba(expected)
    assert ax.get_title() == "article"


def test_bias_apart_and_shaded_rows(ax):
    W_rows, b_rows = notation.to_row_layout(NET)
    M = np.vstack([W_rows[0], b_rows[0]])                   # (3, 3), the bias as the last row
    draw_matrix(ax, M, "note", ["from 1", "from 2", "bias"], ["to 1", "to 2", "to 3"],
                shaded_rows=(2,))
    for (x, y), colour in fills(ax).items():
        assert colour == to_rgba(BIAS_FILL if y == -2 else "white")


def test_vector_apart_drawn_beside_the_grid(ax):
    draw_matrix(ax, NET.W(1), "book", ["to 1", "to 2", "to 3"], ["from 1", "from 2"],
                apart=NET.b(1))
    texts = cell_texts(ax)
    for r, value in enumerate(NET.b(1)):                    # one column to the right, 2 + 0.35
        assert texts[(2.85, -r - 0.5)] == f"{value:.2f}".replace("-", "\u2212")
        assert fills(ax)[(2.35, -r)] == to_rgba(BIAS_FILL)
    assert "bias" in texts.values()
    assert ax.get_xlim() == (-1.6, 3.4) and ax.get_ylim() == (-4.2, 1.2)


def test_labels_must_match_the_shape(ax):
    with pytest.raises(ValueError, match=r"expected 3 row labels and 2 column labels for M of "
                                         r"shape \(3, 2\), got 2 and 2"):
        draw_matrix(ax, NET.W(1), "book", ["to 1", "to 2"], ["from 1", "from 2"])
    with pytest.raises(ValueError, match=r"expected a vector apart of length 3, got 2"):
        draw_matrix(ax, NET.W(1), "book", ["a", "b", "c"], ["d", "e"], apart=[1.0, 2.0])
    with pytest.raises(ValueError, match=r"expected M as a 2-D matrix, got shape \(3,\)"):
        draw_matrix(ax, NET.b(1), "b", ["a"], ["b"])
