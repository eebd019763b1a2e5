"""The Network and the helpers that speak the book's 1-based notation: W(l), b(l),
with_weight(l, j, k, value), ForwardPass.z(l) / .a(l), Layers.at(l), Gradients.W(l) / .b(l)."""
import numpy as np
import pytest

import bpcore

NET = bpcore.Network.random([2, 3, 2], ["tanh", "sigmoid"], seed=7)
X = np.array([[0.2, -0.4], [0.9, 0.1]])
Y = np.array([[0.3, 0.8], [0.6, 0.1]])


def test_layer_accessors_are_the_arrays_at_l_minus_1():
    for l in (1, 2):
        assert NET.W(l) is NET.weights[l - 1] and NET.b(l) is NET.biases[l - 1]
    fp = bpcore.forward(NET, X)
    assert fp.a(0) is fp.activations[0] and fp.a(2) is fp.output
    assert all(fp.z(l) is fp.zs[l - 1] for l in (1, 2))
    deltas = bpcore.hidden_deltas(NET, fp, bpcore.output_delta(NET, fp, Y))
    assert isinstance(deltas, bpcore.Layers) and deltas.at(1) is deltas[0]
    grads = bpcore.backprop(NET, X, Y)
    assert grads.W(2) is grads.weights[1] and grads.b(1) is grads.biases[0]
    np.testing.assert_array_equal(bpcore.weight_gradients(fp, deltas).at(2), grads.W(2))
    np.testing.assert_array_equal(bpcore.bias_gradients(deltas).at(1), grads.b(1))


@pytest.mark.parametrize("call, l", [(lambda l: NET.W(l), 0), (lambda l: NET.b(l), 3),
                                      (lambda l: bpcore.forward(NET, X).z(l), 0),
                                      (lambda l: bpcore.forward(NET, X).a(l), 3)])
def test_a_layer_outside_the_network_is_refused(call, l):
    with pytest.raises(ValueError, match=f"l = {l} is not a layer of this network"):
        call(l)


def test_layer_numbers_must_be_ints():
    with pytest.raises(TypeError, match="layer number, an int"):
        NET.W(1.0)
    with pytest.raises(TypeError, match="layer number, an int"):
        NET.W(True)


def test_with_weight_changes_one_entry_and_nothing_else():
    new = NET.with_weight(2, 1, 3, 0.25)
    assert new.W(2)[0, 2] == 0.25
    changed = np.argwhere(new.W(2) != NET.W(2))
    assert changed.tolist() == ([[0, 2]] if NET.W(2)[0, 2] != 0.25 else [])
    assert np.array_equal(new.W(1), NET.W(1)) and new.activations == NET.activations
    assert NET.W(2)[0, 2] != 0.25            # the original network is unchanged


def test_with_weight_moves_the_cost_as_the_gradient_predicts():
    # the cost with one weight changed, against dC/dw^2_13 from backprop (first order)
    w, dw = NET.W(2)[0, 2], 1e-5
    measured = (bpcore.cost(NET.with_weight(2, 1, 3, w + dw), X, Y)
                - bpcore.cost(NET.with_weight(2, 1, 3, w - dw), X, Y)) / (2 * dw)
    assert measured == pytest.approx(bpcore.backprop(NET, X, Y).W(2)[0, 2], rel=1e-7)


@pytest.mark.parametrize("l, j, k, match", [
    (2, 3, 1, r"no weight w\^2_31: W\^2 has shape \(2, 3\), so j runs from 1 to 2"),
    (1, 1, 0, r"no weight w\^1_10"),
    (3, 1, 1, "l = 3 is not a layer"),
])
def test_with_weight_refuses_indices_outside_the_matrix(l, j, k, match):
    with pytest.raises(ValueError, match=match):
        NET.with_weight(l, j, k, 0.0)


def test_with_weight_refuses_arrays_and_nan():
    with pytest.raises(ValueError, match="must be one number"):
        NET.with_weight(1, 1, 1, [0.1, 0.2])
    with pytest.raises(ValueError, match="NaN or inf"):
        NET.with_weight(1, 1, 1, float("nan"))
    with pytest.raises(TypeError, match="neuron numbers"):
        NET.with_weight(1, 1.5, 1, 0.0)


def test_network_is_read_only_and_copies_its_inputs():
    W = np.ones((1, 2))
    net = bpcore.Network([W], [np.zeros(1)], "identity")
    W[0, 0] = 5.0
    assert net.W(1)[0, 0] == 1.0
    with pytest.raises(ValueError, match="read-only"):
        net.W(1)[0, 0] = 2.0


def test_random_uses_lecun_scaling_and_he_for_relu():
    wide = bpcore.Network.random([400, 300, 300], ["sigmoid", "relu"], seed=0)
    assert np.var(wide.W(1)) == pytest.approx(1 / 400, rel=0.05)
    assert np.var(wide.W(2)) == pytest.approx(2 / 300, rel=0.05)
    assert all(np.all(b == 0) for b in wide.biases)


def test_w_reads_one_weight_in_the_book_numbering():
    assert NET.w(2, 1, 3) == NET.W(2)[0, 2]
    assert NET.with_weight(1, 3, 2, -0.5).w(1, 3, 2) == -0.5
    with pytest.raises(ValueError, match=r"no weight w\^1_41"):
        NET.w(1, 4, 1)
