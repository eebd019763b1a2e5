"""Conversions between the sources' weight conventions: round trips and equal outputs."""
import numpy as np
import pytest

import bpcore
from bpcore import notation
from bpcore.activations import sigmoid

NET = bpcore.Network.random([4, 3, 2], ["tanh", "sigmoid"], seed=11)
NET = NET.replace(biases=[np.array([0.1, -0.2, 0.3]), np.array([0.5, -0.5])])
X = np.random.default_rng(0).normal(size=(4, 5))


def test_row_layout_round_trip_and_same_outputs():
    Ws, bs = notation.to_row_layout(NET)
    assert [W.shape for W in Ws] == [(4, 3), (3, 2)] and bs[0].shape == (1, 3)
    # the short note's O = f2(f1(I W1) W2), with biases added as rows
    I = X.T
    O = sigmoid(np.tanh(I @ Ws[0] + bs[0]) @ Ws[1] + bs[1])
    np.testing.assert_allclose(O, bpcore.forward(NET, X).output.T, rtol=1e-14)
    back = notation.from_row_layout(Ws, bs, NET.activations)
    for a, b in zip(back.weights + back.biases, NET.weights + NET.biases):
        np.testing.assert_array_equal(a, b)


def test_from_to_round_trip_and_feng_sums():
    Wft = notation.to_from_to(NET)
    # Feng's (3): m_j = sum_i w_ij z_i, with w_ij from i to j
    a0 = X[:, 0]
    m = np.array([sum(Wft[0][i, j] * a0[i] for i in range(4)) for j in range(3)]) + NET.biases[0]
    np.testing.assert_allclose(m, bpcore.forward(NET, a0).zs[0], rtol=1e-14)
    back = notation.from_from_to(Wft, NET.biases, NET.activations)
    np.testing.assert_array_equal(back.weights[1], NET.weights[1])


@pytest.mark.parametrize("position", ["first", "last"])
def test_folded_bias_round_trip_and_same_outputs(position):
    W, b = NET.weights[0], NET.biases[0]
    W_aug = notation.fold_bias(W, b, position)
    assert W_aug.shape == (3, 5)
    np.testing.assert_allclose(W_aug @ notation.append_ones(X, position),
                               bpcore.forward(NET, X).zs[0], rtol=1e-14)
    W2, b2 = notation.unfold_bias(W_aug, position)
    np.testing.assert_array_equal(W2, W)
    np.testing.assert_array_equal(b2, b)


def test_folded_bias_gradient_is_the_bias_gradient():
    # the gradient with respect to the weight on the constant input 1 is BP3's dC/db
    y = np.full((2, 5), 0.5)
    g = bpcore.backprop(NET, X, y)
    fp = bpcore.forward(NET, X)
    deltas = bpcore.hidden_deltas(NET, fp, bpcore.output_delta(NET, fp, y))
    grad_aug = deltas[0] @ notation.append_ones(X).T / X.shape[1]
    W_grad, b_grad = notation.unfold_bias(grad_aug)
    np.testing.assert_allclose(W_grad, g.weights[0], rtol=1e-13)
    np.testing.assert_allclose(b_grad, g.biases[0], rtol=1e-13)


def test_matmul_shape_finds_the_slips():
    # Feng (21): Delta W^L = (z^{L-1})^T delta^L with column vectors does not chain
    with pytest.raises(ValueError, match=r"\(z\^\{L-1\}\)\^T has shape \(1, 3\) but delta\^L has "
                                         r"shape \(2, 1\); 3 != 2"):
        notation.matmul_shape((1, 3), (2, 1), names=["(z^{L-1})^T", "delta^L"])
    # the book's BP4: delta^l (a^{l-1})^T has the shape of W^l
    assert notation.matmul_shape((2, 1), (1, 3)) == (2, 3)


def test_conversion_errors():
    with pytest.raises(ValueError, match=r"b must have shape \(3,\) to match W of shape \(3, 4\)"):
        notation.fold_bias(NET.weights[0], np.zeros(2))
    with pytest.raises(ValueError, match="position must be 'first' or 'last', got 'end'"):
        notation.append_ones(X, "end")
    with pytest.raises(TypeError, match="expected a bpcore.Network, got list"):
        notation.to_row_layout([NET.weights[0]])
    with pytest.raises(ValueError, match=r"biases\[0\] in row layout must have shape \(1, n\)"):
        notation.from_row_layout([np.zeros((4, 3))], [np.zeros((3, 1))], "sigmoid")
    with pytest.raises(ValueError, match="every shape must be 2-D"):
        notation.matmul_shape((3,), (3, 1))


def test_every_source_names_the_same_quantities():
    keys = set(notation.SYMBOLS["book"])
    for source, table in notation.SYMBOLS.items():
        assert set(table) == keys, source
