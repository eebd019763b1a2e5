"""Bad input gets a clear ValueError or TypeError saying what was expected and how to fix it."""
import numpy as np
import pytest

import bpcore

NET = bpcore.Network.random([3, 4, 2], "sigmoid", seed=0)
X = np.zeros((3, 5))
Y = np.full((2, 5), 0.5)


def test_samples_as_rows_suggest_transpose():
    with pytest.raises(ValueError, match=r"x has shape \(5, 3\).*should be \(3, 5\).*x\.T"):
        bpcore.forward(NET, X.T)
    with pytest.raises(ValueError, match=r"y has shape \(5, 2\).*y\.T"):
        bpcore.backprop(NET, X, Y.T)


def test_single_output_column_vs_row_trap():
    net = bpcore.Network.random([3, 1], seed=0)
    with pytest.raises(ValueError, match=r"y has shape \(5, 1\) but should be \(1, 5\).*y\.T"):
        bpcore.backprop(net, X, np.zeros((5, 1)))
    with pytest.raises(ValueError, match=r"y has shape \(5,\) but should be \(1, 5\).*reshape\(1, -1\)"):
        bpcore.backprop(net, X, np.zeros(5))


def test_wrong_number_of_inputs_or_samples():
    with pytest.raises(ValueError, match=r"x has shape \(4, 5\) but should be \(3, m\)"):
        bpcore.forward(NET, np.zeros((4, 5)))
    with pytest.raises(ValueError, match=r"y has shape \(2, 4\) but should be \(2, 5\)"):
        bpcore.backprop(NET, X, np.zeros((2, 4)))
    with pytest.raises(ValueError, match="3-D"):
        bpcore.forward(NET, np.zeros((3, 5, 1)))
    with pytest.raises(ValueError, match="no samples"):
        bpcore.forward(NET, np.zeros((3, 0)))


@pytest.mark.parametrize("where", ["x", "y", "W"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_and_inf_are_refused(where, bad):
    x, y = X.copy(), Y.copy()
    if where == "x":
        x[1, 2] = bad
        with pytest.raises(ValueError, match=r"x contains NaN or inf \(first at index \(1, 2\)\)"):
            bpcore.backprop(NET, x, y)
    elif where == "y":
        y[0, 0] = bad
        with pytest.raises(ValueError, match=r"y contains NaN or inf"):
            bpcore.backprop(NET, x, y)
    else:
        W = np.ones((2, 3))
        W[0, 1] = bad
        with pytest.raises(ValueError, match=r"weights\[0\] \(W\^1\) contains NaN or inf"):
            bpcore.Network([W], [np.zeros(2)], "sigmoid")


def test_non_numeric_input():
    with pytest.raises(TypeError, match="x must be a numeric array, got str"):
        bpcore.forward(NET, "abc")
    with pytest.raises(TypeError, match="x must be a numeric array"):
        bpcore.forward(NET, [[1, 2], [3]])
    with pytest.raises(TypeError, match="expected a bpcore.Network, got list"):
        bpcore.forward([np.zeros((2, 3))], X)


def test_unknown_activation_lists_valid_names():
    with pytest.raises(ValueError, match=r"unknown activation 'sigmod'; valid names are 'sigmoid', "
                                         r"'tanh', 'relu', 'identity', 'softmax'"):
        bpcore.Network([np.zeros((2, 3))], [np.zeros(2)], "sigmod")


def test_unknown_loss_lists_valid_names():
    with pytest.raises(ValueError, match=r"unknown loss 'mae'; valid names are 'mse', "
                                         r"'cross_entropy', 'binary_cross_entropy'"):
        bpcore.backprop(NET, X, Y, loss="mae")


def test_loss_needs_probability_outputs():
    net = bpcore.Network.random([3, 2], "identity", seed=0)
    with pytest.raises(ValueError, match=r"'cross_entropy' needs outputs in \(0, 1\).*'identity'"):
        bpcore.backprop(net, X, Y, loss="cross_entropy")


def test_layers_that_do_not_chain():
    with pytest.raises(ValueError, match=r"layer shapes do not chain: weights\[0\] has shape \(4, 3\).*"
                                         r"W\^2 must have shape \(2, 4\)"):
        bpcore.Network([np.zeros((4, 3)), np.zeros((2, 5))], [np.zeros(4), np.zeros(2)], "sigmoid")


def test_bias_of_the_wrong_size():
    with pytest.raises(ValueError, match=r"biases\[0\] \(b\^1\) must have shape \(4,\).*got \(3,\)"):
        bpcore.Network([np.zeros((4, 3))], [np.zeros(3)], "sigmoid")
    with pytest.raises(ValueError, match=r"got \(4, 1\) \(use b\.ravel\(\)\)"):
        bpcore.Network([np.zeros((4, 3))], [np.zeros((4, 1))], "sigmoid")


def test_activation_list_of_the_wrong_length():
    with pytest.raises(ValueError, match="got 3 activation names for 2 layers"):
        bpcore.Network([np.zeros((4, 3)), np.zeros((2, 4))], [np.zeros(4), np.zeros(2)],
                       ["relu", "relu", "sigmoid"])


def test_empty_network_and_mismatched_lists():
    with pytest.raises(ValueError, match="at least one layer; weights is empty"):
        bpcore.Network([], [], "sigmoid")
    with pytest.raises(ValueError, match="got 2 weight matrices but 1 bias vectors"):
        bpcore.Network([np.zeros((4, 3)), np.zeros((2, 4))], [np.zeros(4)], "sigmoid")
    with pytest.raises(TypeError, match="weights must be a list of 2-D arrays"):
        bpcore.Network(np.zeros((4, 3)), [np.zeros(4)], "sigmoid")
    with pytest.raises(ValueError, match="sizes must list at least two layer sizes"):
        bpcore.Network.random([3])


def test_softmax_only_in_the_output_layer():
    with pytest.raises(ValueError, match="softmax is allowed only in the output layer, but layer 1 of 2"):
        bpcore.Network.random([3, 4, 2], ["softmax", "sigmoid"])
    with pytest.raises(ValueError, match="softmax over a single output neuron is always 1"):
        bpcore.Network.random([3, 1], "softmax")


def test_targets_outside_the_loss_domain():
    with pytest.raises(ValueError, match=r"'binary_cross_entropy' needs targets in \[0, 1\], "
                                         r"got values from -1 to 0.5"):
        y = Y.copy()
        y[0, 0] = -1
        bpcore.backprop(NET, X, y, loss="binary_cross_entropy")
    soft = bpcore.Network.random([3, 2], "softmax", seed=0)
    with pytest.raises(ValueError, match="distribution summing to 1; column 0 sums to 0.5"):
        y = np.array([[0.5] + [1.0] * 4, [0.0] * 5])
        bpcore.backprop(soft, X, y, loss="cross_entropy")


@pytest.mark.parametrize("eps", [0, -1e-6, np.nan])
def test_non_positive_eps(eps):
    with pytest.raises(ValueError, match="eps must be a positive number"):
        bpcore.numerical_gradients(NET, X, Y, eps=eps)


def test_step_functions_check_their_inputs():
    fp = bpcore.forward(NET, X)
    with pytest.raises(ValueError, match=r"delta_L has shape \(5, 2\) but must match z\^L, shape "
                                         r"\(2, 5\).*did you transpose it"):
        bpcore.hidden_deltas(NET, fp, np.zeros((5, 2)))
    deltas = bpcore.hidden_deltas(NET, fp, np.zeros((2, 5)))
    with pytest.raises(ValueError, match=r"deltas\[0\] \(delta\^1\) has shape \(5, 4\) but z\^1 has "
                                         r"shape \(4, 5\)"):
        bpcore.weight_gradients(fp, [deltas[0].T, deltas[1]])
    with pytest.raises(ValueError, match="got 1 deltas for a forward pass with 2 layers"):
        bpcore.weight_gradients(fp, deltas[1:])
    other = bpcore.Network.random([3, 2], seed=0)
    with pytest.raises(ValueError, match="this forward pass has 1 layers but the network has 2"):
        bpcore.output_delta(NET, bpcore.forward(other, X), Y)
    with pytest.raises(TypeError, match="expected the ForwardPass returned by bpcore.forward"):
        bpcore.output_delta(NET, {"zs": []}, Y)


def test_training_arguments():
    x, y = bpcore.datasets.xor()
    net = bpcore.Network.random([2, 2, 1], seed=0)
    with pytest.raises(ValueError, match="learning_rate must be a positive number, got -0.1"):
        bpcore.train(net, x, y, epochs=1, learning_rate=-0.1)
    with pytest.raises(ValueError, match=r"momentum must be in \[0, 1\), got 1.5"):
        bpcore.train(net, x, y, epochs=1, learning_rate=0.1, momentum=1.5)
    with pytest.raises(ValueError, match="batch_size=8 is larger than the 4 training samples"):
        bpcore.train(net, x, y, epochs=1, learning_rate=0.1, batch_size=8)
    with pytest.raises(ValueError, match="epochs must be a positive integer, got 0"):
        bpcore.train(net, x, y, epochs=0, learning_rate=0.1)
    with pytest.raises(ValueError, match="give both x_val and y_val, or neither"):
        bpcore.train(net, x, y, epochs=1, learning_rate=0.1, x_val=x)
    with pytest.raises(FloatingPointError, match="learning_rate=.* is probably too large"):
        big = bpcore.Network.random([2, 4, 1], "identity", seed=0)
        bpcore.train(big, x, y * 1e3, epochs=200, learning_rate=50.0)
