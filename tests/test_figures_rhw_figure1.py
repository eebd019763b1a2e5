"""Chapter 12's Figure 1: each weight written on its own line, dashed when negative."""
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402

from bpcore.figures.rhw_figure1 import (HIDDEN, INPUTS, OUTPUT,  # noqa: E402
                                        UNIT_COLOURS, draw_figure1)

# A Figure-1-like solution, as the experiment saves it (nested lists)
W1 = [[9.84, -4.95, 2.48, -2.49, 4.95, -9.84], [-9.84, 4.95, -2.48, 2.49, -4.95, 9.84]]
b1, W2, b2 = [-1.91, -1.92], [[-12.29, -12.3]], [5.38]


def label(value):
    return f"{value:.2f}".replace("-", "\u2212")


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    draw_figure1(ax, W1, b1, W2, b2)
    yield ax
    plt.close(fig)


def test_each_weight_sits_on_its_line(ax):
    lines, texts = ax.lines, ax.texts
    assert len(lines) == 12 + 2
    pairs = [(INPUTS[i], HIDDEN[h], W1[h][i], (0.24, 0.5)[h]) for h in range(2)
             for i in range(6)]
    pairs += [(HIDDEN[h], OUTPUT, W2[0][h], 0.5) for h in range(2)]
    for line, text, (p, q, w, t) in zip(lines, texts, pairs):
        np.testing.assert_allclose(line.get_xydata(), [p, q])
        # the label: the weight, a fraction t of the way from p to q
        np.testing.assert_allclose(text.get_position(), np.add(p, t * np.subtract(q, p)))
        assert text.get_text() == label(w)
        assert (line.get_linestyle() == "-") == (w >= 0)
        assert line.get_linewidth() == pytest.approx(0.9 + 2.0 * min(abs(w) / 12, 1))


def test_colours_name_the_hidden_unit(ax):
    colours = [to_rgba(line.get_color()) for line in ax.lines]
    assert colours[:6] == [to_rgba(UNIT_COLOURS[0])] * 6
    assert colours[6:12] == [to_rgba(UNIT_COLOURS[1])] * 6
    assert colours[12] == colours[13] != colours[0]


def test_biases_inside_the_units(ax):
    at = {tuple(np.round(t.get_position(), 6)): t.get_text() for t in ax.texts}
    for unit, bias in zip(HIDDEN + [OUTPUT], b1 + b2):
        assert at[unit] == label(bias)
    assert [t.get_text() for t in ax.texts if t.get_text().startswith("bit")] == \
        [f"bit {i}" for i in range(1, 7)]
    assert {"hidden 1", "hidden 2", "output"} <= set(at.values())
    assert len(ax.patches) == 6 + 3


def test_a_network_of_another_shape_is_refused():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match=r"expected a 6-2-1 network: W1 \(2, 6\), b1 \(2,\), "
                                         r"W2 \(1, 2\), b2 \(1,\); got \(2, 5\)"):
        draw_figure1(ax, np.zeros((2, 5)), b1, W2, b2)
    plt.close(fig)
