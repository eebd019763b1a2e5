"""The :class:`Network`: weights, biases and one activation name per layer."""
from __future__ import annotations

import numbers
from collections.abc import Sequence

import numpy as np

from . import _validate as v
from . import activations as _activations

__all__ = ["Network"]

_DTYPES = {"float64": np.float64, "float32": np.float32}


def _readonly_copy(arr):
    out = np.array(arr, copy=True, order="C")
    out.setflags(write=False)
    return out


class Network:
    """A fully connected feed-forward network, layers 1..L.

    Parameters
    ----------
    weights : sequence of arrays
        ``weights[l-1]`` is W^l, of shape (n_l, n_{l-1}): row j holds the weights *into*
        neuron j of layer l, column k the weights *from* neuron k of layer l-1.
    biases : sequence of arrays
        ``biases[l-1]`` is b^l, of shape (n_l,).
    activations : str or sequence of str
        One name for every layer, or one per layer: ``"sigmoid"``, ``"tanh"``, ``"relu"``,
        ``"identity"`` or ``"softmax"`` (softmax only in the output layer).
    dtype : {"float64", "float32"}
        Precision of every array the network computes with.  float32 exists to show where
        gradient checks fail; use float64 otherwise.

    The parameters are copied and made read-only, so a network never changes after it is
    built and a caller's arrays are never modified.  Training returns new networks.

    >>> net = Network([np.zeros((3, 2)), np.zeros((1, 3))], [np.zeros(3), np.zeros(1)],
    ...               ["tanh", "sigmoid"])
    >>> net
    Network(sizes=(2, 3, 1), activations=('tanh', 'sigmoid'))
    >>> net.n_layers
    2
    """

    def __init__(self, weights, biases, activations, *, dtype="float64"):
        if dtype not in _DTYPES:
            raise ValueError(f"dtype must be 'float64' or 'float32', got {dtype!r}")
        self.dtype = _DTYPES[dtype]
        if isinstance(weights, np.ndarray) or not isinstance(weights, Sequence):
            raise TypeError("weights must be a list of 2-D arrays, one per layer "
                            f"(input side first), got {type(weights).__name__}")
        if isinstance(biases, np.ndarray) or not isinstance(biases, Sequence):
            raise TypeError("biases must be a list of 1-D arrays, one per layer, "
                            f"got {type(biases).__name__}")
        if len(weights) == 0:
            raise ValueError("a network needs at least one layer; weights is empty")
        if len(biases) != len(weights):
            raise ValueError(f"got {len(weights)} weight matrices but {len(biases)} bias vectors; "
                             "every layer needs one of each")
        Ws, bs = [], []
        for i, (W, b) in enumerate(zip(weights, biases)):
            l = i + 1
            W = v.as_float_array(W, f"weights[{i}] (W^{l})", self.dtype)
            b = v.as_float_array(b, f"biases[{i}] (b^{l})", self.dtype)
            if W.ndim != 2 or 0 in W.shape:
                raise ValueError(f"weights[{i}] (W^{l}) must be a non-empty 2-D array of shape "
                                 f"(n_out, n_in), got shape {W.shape}")
            if Ws and W.shape[1] != Ws[-1].shape[0]:
                raise ValueError(
                    f"layer shapes do not chain: weights[{i - 1}] has shape {Ws[-1].shape}, so "
                    f"layer {l - 1} has {Ws[-1].shape[0]} neurons, but weights[{i}] has shape "
                    f"{W.shape} and expects {W.shape[1]} inputs; W^{l} must have shape "
                    f"({W.shape[0]}, {Ws[-1].shape[0]})")
            if b.shape != (W.shape[0],):
                hint = " (use b.ravel())" if b.size == W.shape[0] else ""
                raise ValueError(f"biases[{i}] (b^{l}) must have shape ({W.shape[0]},) to match "
                                 f"weights[{i}] of shape {W.shape}, got {b.shape}{hint}")
            Ws.append(_readonly_copy(W))
            bs.append(_readonly_copy(b))
        L = len(Ws)
        if isinstance(activations, str):
            activations = [activations] * L
        elif not isinstance(activations, Sequence):
            raise TypeError("activations must be a name or a list of names, "
                            f"got {type(activations).__name__}")
        if len(activations) != L:
            raise ValueError(f"got {len(activations)} activation names for {L} layers; give one "
                             "name per layer, or a single name for all of them")
        for i, name in enumerate(activations):
            record = _activations.get(name)
            if record.output_only and i != L - 1:
                raise ValueError(f"{name} is allowed only in the output layer, but layer {i + 1} "
                                 f"of {L} uses it; use 'sigmoid', 'tanh' or 'relu' there")
            if Ws[i].shape[0] < record.min_outputs:
                raise ValueError(f"{name} over a single output neuron is always 1 and cannot "
                                 "learn; use 'sigmoid' for one output, or give the output "
                                 f"layer {record.min_outputs} or more neurons")
        self.weights = tuple(Ws)
        self.biases = tuple(bs)
        self.activations = tuple(activations)

    @classmethod
    def random(cls, sizes, activations="sigmoid", seed=0, *, dtype="float64"):
        """A network with layer sizes ``sizes = (n_0, n_1, ..., n_L)`` and random weights.

        Initialisation: every W^l has entries drawn from N(0, gain/n_{l-1}), with the gain of
        the layer's activation record: 1 (LeCun's scaling, the one Nielsen's book calls the
        improved initialisation), and 2 for ReLU (He et al., 2015), so that the
        pre-activations start with roughly unit variance.  Biases start at 0.  ``seed`` is an
        int or a ``numpy.random.Generator``.

        >>> Network.random([784, 30, 10], seed=1).sizes
        (784, 30, 10)
        """
        if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence) or len(sizes) < 2:
            raise ValueError("sizes must list at least two layer sizes (inputs and outputs), "
                             f"e.g. [2, 3, 1], got {sizes!r}")
        for n in sizes:
            v.positive_int(n, "every layer size")
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        L = len(sizes) - 1
        names = [activations] * L if isinstance(activations, str) else list(activations)
        if len(names) != L:
            raise ValueError(f"got {len(names)} activation names for {L} layers")
        weights, biases = [], []
        for i in range(L):
            n_in, n_out = sizes[i], sizes[i + 1]
            gain = _activations.get(names[i]).gain
            weights.append(rng.normal(0.0, np.sqrt(gain / n_in), size=(n_out, n_in)))
            biases.append(np.zeros(n_out))
        return cls(weights, biases, names, dtype=dtype)

    @classmethod
    def _unchecked(cls, weights, biases, activations, dtype):
        """Package-internal: wrap arrays that are already valid, without copying them.

        Training and gradient checking use this to update parameters in place on their own
        private copies; users get validated, read-only networks from the constructor.
        """
        net = object.__new__(cls)
        net.weights, net.biases = tuple(weights), tuple(biases)
        net.activations, net.dtype = tuple(activations), dtype
        return net

    @property
    def n_layers(self):
        """L, the number of layers with weights (the input layer 0 is not counted)."""
        return len(self.weights)

    @property
    def sizes(self):
        """(n_0, n_1, ..., n_L): the number of neurons in each layer, inputs first."""
        return (self.weights[0].shape[1],) + tuple(W.shape[0] for W in self.weights)

    @property
    def n_parameters(self):
        """The number of weights and biases."""
        return sum(W.size + b.size for W, b in zip(self.weights, self.biases))

    def W(self, l):
        """W^l, the weights into layer l = 1..L, shape (n_l, n_{l-1}) (read-only)."""
        return self.weights[v.layer(l, self.n_layers) - 1]

    def b(self, l):
        """b^l, the biases of layer l = 1..L, shape (n_l,) (read-only)."""
        return self.biases[v.layer(l, self.n_layers) - 1]

    def w(self, l, j, k):
        """w^l_jk, the weight into neuron j of layer l from neuron k of layer l-1 (1-based).

        >>> Network([np.array([[0.1, 0.2]])], [np.zeros(1)], "sigmoid").w(1, 1, 2)
        0.2
        """
        l, j, k = self._weight_index(l, j, k)
        return float(self.weights[l - 1][j - 1, k - 1])

    def _weight_index(self, l, j, k):
        l = v.layer(l, self.n_layers)
        n_out, n_in = self.weights[l - 1].shape
        for index in (j, k):
            if isinstance(index, bool) or not isinstance(index, numbers.Integral):
                raise TypeError(f"j and k are neuron numbers (ints counted from 1), got "
                                f"{type(index).__name__}")
        if not (1 <= j <= n_out and 1 <= k <= n_in):
            raise ValueError(f"there is no weight w^{l}_{j}{k}: W^{l} has shape ({n_out}, {n_in}), "
                             f"so j runs from 1 to {n_out} and k from 1 to {n_in} (1-based)")
        return l, int(j), int(k)

    def with_weight(self, l, j, k, value):
        """A new network with w^l_jk set to ``value``; l, j and k count from 1, like the book.

        w^l_jk is the weight into neuron j of layer l from neuron k of layer l-1, entry
        (j - 1, k - 1) of W^l.  Everything else is shared with this network.

        >>> net = Network([np.zeros((2, 3))], [np.zeros(2)], "sigmoid")
        >>> net.with_weight(1, 2, 3, 0.5).W(1)
        array([[0. , 0. , 0. ],
               [0. , 0. , 0.5]])
        >>> net.with_weight(1, 3, 1, 0.5)
        Traceback (most recent call last):
        ...
        ValueError: there is no weight w^1_31: W^1 has shape (2, 3), so j runs from 1 to 2 and k from 1 to 3 (1-based)
        """
        l, j, k = self._weight_index(l, j, k)
        value = v.as_float_array(value, f"the new value of w^{l}_{j}{k}", self.dtype)
        if value.ndim != 0:
            raise ValueError(f"the new value of w^{l}_{j}{k} must be one number, got an array "
                             f"of shape {value.shape}")
        W = np.array(self.weights[l - 1])
        W[j - 1, k - 1] = value
        weights = list(self.weights)
        weights[l - 1] = W
        return self.replace(weights=weights)

    def replace(self, weights=None, biases=None):
        """A new network with some parameters replaced (same activations and dtype).

        >>> net = Network.random([2, 1], seed=0)
        >>> net.replace(biases=[np.ones(1)]).biases[0]
        array([1.])
        """
        return Network(self.weights if weights is None else weights,
                       self.biases if biases is None else biases,
                       self.activations, dtype=np.dtype(self.dtype).name)

    def __repr__(self):
        return f"Network(sizes={self.sizes}, activations={self.activations})"
