"""Mini-batch gradient descent with momentum and weight decay."""
from __future__ import annotations

import sys
from dataclasses import dataclass, field

import numpy as np

from . import _validate as v
from .engine import _backprop, _cost, _evaluate, _forward, _inputs
from .network import Network

__all__ = ["train", "TrainingResult", "accuracy"]


@dataclass
class TrainingResult:
    """What :func:`train` returns.

    ``loss[e]`` is the cost on the whole training set after epoch e+1, and ``loss[0]`` is
    preceded by ``initial_loss``, the cost before any update.  ``accuracy`` follows
    :func:`accuracy`.  The ``val_*`` lists are filled when validation data is given.
    """
    network: Network
    initial_loss: float
    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    stopped_early: bool = False

    @property
    def epochs_run(self):
        """How many epochs (sweeps through the training set) ran."""
        return len(self.loss)


def _accuracy(a, y):
    if a.shape[0] == 1:  # one output unit: a yes/no answer at threshold 0.5
        return float(np.mean((a >= 0.5) == (y >= 0.5)))
    return float(np.mean(a.argmax(axis=0) == y.argmax(axis=0)))


def accuracy(net, x, y):
    """The fraction of samples classified correctly.

    With several output units the predicted class is the largest output, compared with the
    largest target; with one output unit, the output and the target are compared at 0.5.

    >>> from bpcore import datasets
    >>> x, y = datasets.xor()
    >>> net = Network([np.zeros((1, 2))], [np.zeros(1)], "sigmoid")   # outputs 0.5
    >>> accuracy(net, x, y)
    0.5
    """
    x2, y2, _ = _inputs(net, x, y, "mse")
    return _accuracy(_forward(net, x2)[1][net.n_layers], y2)


def _in_notebook():
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    ip = shell.get_ipython()
    return ip is not None and "IPKernelApp" in getattr(ip, "config", {})


def train(net, x, y, *, epochs, learning_rate, loss="mse", batch_size=None, momentum=0.0,
          weight_decay=0.0, rng=0, x_val=None, y_val=None, until=None, progress=None):
    """Train ``net`` by mini-batch gradient descent and return a :class:`TrainingResult`.

    Each epoch shuffles the columns of (x, y) with ``rng`` and steps through them in
    batches of ``batch_size`` (None: the whole set, one full-batch sweep per epoch, which
    does not shuffle).  For every batch, with g = dC/dtheta from :func:`bpcore.backprop`:

        Delta(t) = -learning_rate * (g + weight_decay * W) + momentum * Delta(t-1)
        theta <- theta + Delta(t)

    the momentum rule of Rumelhart, Hinton & Williams (1986), with epsilon = learning_rate
    and alpha = momentum.  Weight decay (L2) applies to weights, not biases.

    Each epoch of mini-batches draws exactly one ``rng.permutation(m)``.

    ``until(net) -> bool`` is checked after every epoch; training stops as soon as it
    returns True.  It receives a read-only view of the network being trained, whose
    arrays change as training goes on: call ``net.replace()`` to keep a snapshot.

    ``progress``: True shows a tqdm progress bar, False hides it, None shows it only
    inside a Jupyter notebook.  ``rng`` is an int seed or a numpy Generator.
    The input network is never modified; the result holds a new one.

    >>> from bpcore import datasets
    >>> x, y = datasets.xor()
    >>> net = Network.random([2, 3, 1], "sigmoid", seed=2)
    >>> result = train(net, x, y, epochs=2000, learning_rate=2.0, momentum=0.9)
    >>> result.loss[-1] < 0.01 < result.initial_loss, result.accuracy[-1]
    (True, 1.0)
    """
    x2, y2, _ = _inputs(net, x, y, loss)
    epochs = v.positive_int(epochs, "epochs")
    learning_rate = v.positive_number(learning_rate, "learning_rate")
    momentum = v.nonnegative_number(momentum, "momentum", upper=1.0)
    weight_decay = v.nonnegative_number(weight_decay, "weight_decay")
    m = x2.shape[1]
    batch_size = m if batch_size is None else v.positive_int(batch_size, "batch_size")
    if batch_size > m:
        raise ValueError(f"batch_size={batch_size} is larger than the {m} training samples")
    if (x_val is None) != (y_val is None):
        raise ValueError("give both x_val and y_val, or neither")
    if x_val is not None:
        xv, yv, _ = _inputs(net, x_val, y_val, loss)
    if until is not None and not callable(until):
        raise TypeError(f"until must be a function of the network returning True to stop, "
                        f"got {type(until).__name__}")
    if not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(rng)

    work = Network._unchecked([np.array(p) for p in net.weights],
                              [np.array(p) for p in net.biases], net.activations, net.dtype)
    velocity = [(np.zeros_like(W), np.zeros_like(b)) for W, b in zip(work.weights, work.biases)]
    result = TrainingResult(network=net, initial_loss=_cost(work, x2, y2, loss))

    show = _in_notebook() if progress is None else bool(progress)
    bar = None
    if show:
        from tqdm.auto import tqdm
        bar = tqdm(total=epochs, desc="training", unit="epoch", mininterval=0.5)
    try:
        for _ in range(epochs):
            order = np.arange(m) if batch_size == m else rng.permutation(m)
            # Overflow in a diverging run is reported below as one clear error, not as a
            # stream of numpy warnings.
            with np.errstate(over="ignore", invalid="ignore"):
                _sgd_epoch(work, velocity, x2, y2, loss, order, batch_size, learning_rate,
                           momentum, weight_decay)
                cost, output = _evaluate(work, x2, y2, loss)
            if not np.isfinite(cost):
                raise FloatingPointError(
                    f"the cost became {cost} after epoch {len(result.loss) + 1}; "
                    f"learning_rate={learning_rate} is probably too large")
            result.loss.append(cost)
            result.accuracy.append(_accuracy(output, y2))
            if x_val is not None:
                val_cost, val_output = _evaluate(work, xv, yv, loss)
                result.val_loss.append(val_cost)
                result.val_accuracy.append(_accuracy(val_output, yv))
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{result.loss[-1]:.4g}", refresh=False)
            if until is not None and until(_readonly_view(work)):
                result.stopped_early = True
                break
    finally:
        if bar is not None:
            bar.close()
    result.network = net.replace(work.weights, work.biases)
    return result


def _readonly_view(work):
    """``work`` as a network whose arrays cannot be written through (they still change)."""
    def view(arr):
        out = arr.view()
        out.setflags(write=False)
        return out
    return Network._unchecked([view(W) for W in work.weights], [view(b) for b in work.biases],
                              work.activations, work.dtype)


def _sgd_epoch(work, velocity, x, y, loss, order, batch_size, learning_rate, momentum,
               weight_decay):
    """One sweep through the columns of (x, y) in ``order``, updating ``work`` in place.

    x and y were validated once by :func:`train`; every batch goes straight to the trusted
    ``_backprop``.
    """
    for start in range(0, x.shape[1], batch_size):
        cols = order[start:start + batch_size]
        g = _backprop(work, x[:, cols], y[:, cols], loss)
        for W, b, (vel_W, vel_b), grad_W, grad_b in zip(work.weights, work.biases, velocity,
                                                        g.weights, g.biases):
            # Delta(t) = -learning_rate * (g + weight_decay * W) + momentum * Delta(t-1),
            # computed in place: g is this batch's own new array, and work's arrays and the
            # velocities are this training run's private copies
            if weight_decay:
                grad_W += weight_decay * W
            grad_W *= learning_rate
            grad_b *= learning_rate
            vel_W *= momentum
            vel_W -= grad_W
            vel_b *= momentum
            vel_b -= grad_b
            W += vel_W
            b += vel_b
