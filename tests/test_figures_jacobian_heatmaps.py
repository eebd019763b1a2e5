"""Chapter 10's Jacobian heat maps: the values written in, the scale centred on zero."""
import numpy as np
import pytest

from bpcore import jacobians
from bpcore.figures.jacobian_heatmaps import annotated_heatmap
from _helpers import ax  # noqa: F401  (the fixture)

Z = np.array([2.0, 1.0, 0.1, -1.0, 0.5])
J = jacobians.activation_jacobian("softmax", Z)
A = np.exp(Z) / np.exp(Z).sum()          # the oracle: J = diag(a) - a a^T



def test_each_value_in_its_cell(ax):
    annotated_heatmap(ax, J, "softmax", [f"a{i}" for i in range(5)], [f"z{j}" for j in range(5)])
    written = {tuple(t.get_position()): t.get_text() for t in ax.texts}
    oracle = np.diag(A) - np.outer(A, A)
    for (i, j), value in np.ndenumerate(oracle):
        assert written[(j, i)] == f"{value:.3f}"        # column j across, row i down


def test_scale_is_symmetric_and_ink_follows_size(ax):
    vmax = 0.5
    image = annotated_heatmap(ax, J, "softmax", list("abcde"), list("vwxyz"), vmax=vmax,
                              fontsize=8)
    assert image.get_clim() == (-vmax, vmax)
    for t, value in zip(ax.texts, J.ravel()):
        assert t.get_color() == ("white" if abs(value) > 0.6 * vmax else "black")
        assert t.get_fontsize() == 8
    assert [t.get_text() for t in ax.get_xticklabels()] == list("vwxyz")
    assert [t.get_text() for t in ax.get_yticklabels()] == list("abcde")


def test_default_scale_is_the_largest_value(ax):
    image = annotated_heatmap(ax, np.array([[0.1, -0.3]]), "M", ["r"], ["c1", "c2"])
    assert image.get_clim() == (-0.3, 0.3)
    assert [t.get_color() for t in ax.texts] == ["black", "white"]


def test_labels_must_match(ax):
    with pytest.raises(ValueError, match=r"one label per row and per column, got M of shape "
                                         r"\(5, 5\), 4 row and 5 column labels"):
        annotated_heatmap(ax, J, "J", list("abcd"), list("vwxyz"))
