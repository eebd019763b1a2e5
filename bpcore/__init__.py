"""bpcore: backpropagation computed, checked and steppable.

Notation, used verbatim in the code and in the book
----------------------------------------------------
* Layers are numbered l = 0, 1, ..., L.  Layer 0 is the input; layer L is the output.
  Layer l has n_l neurons.
* A batch is stored as columns: x = a^0 has shape (n_0, m), one column per sample.
* W^l has shape (n_l, n_{l-1}); w^l_jk is the weight *to* neuron j of layer l *from*
  neuron k of layer l-1 (Nielsen's convention).  b^l has shape (n_l,).
* z^l = W^l a^{l-1} + b^l is the pre-activation, a^l = f^l(z^l) the activation.
* delta^l_x = dC_x/dz^l is one sample's error, C_x its loss; a batch's delta^l has one
  column per sample, each the sample's own delta^l_x, so delta^l has the shape of z^l.
* The cost C is the mean over the m samples of the per-sample loss C_x; the quadratic loss
  carries the 1/2: C = (1/m) sum_x 1/2 ||y - a^L||^2.  So dC/dz^l_x = delta^l_x / m: the
  1/m enters in BP3 and BP4, the means over the columns.

In code, ``net.W(l)`` (``net.weights[l-1]``) is W^l, ``net.b(l)`` is b^l, ``fp.z(l)``
(``fp.zs[l-1]``) is z^l, ``fp.a(l)`` (``fp.activations[l]``) is a^l, ``deltas.at(l)`` is
delta^l, ``grads.W(l)`` is dC/dW^l and ``net.with_weight(l, j, k, value)`` changes w^l_jk:
the helpers take the book's 1-based l, j and k.  The index ``i = l - 1`` always counts from
the input side.

The four equations
------------------
* BP1  delta^L = dC_x/da^L (.) f'(z^L)               :func:`output_delta`
* BP2  delta^l = ((W^{l+1})^T delta^{l+1}) (.) f'(z^l) :func:`hidden_deltas`
* BP3  dC/db^l = delta^l (mean over samples)           :func:`bias_gradients`
* BP4  dC/dW^l = delta^l (a^{l-1})^T (mean over samples) :func:`weight_gradients`

Modules
-------
``activations`` and ``losses`` (registries: one record per activation or cost, with its
derivative, TeX and sympy form; adding one is one ``register`` call), ``datasets`` (XOR,
mirror symmetry, 8x8 digits), ``examples`` (the running example, Mazur's network, the
data namespaces the exercises share), ``notation`` (converting between the sources'
conventions), ``jacobians`` (the matrix view), ``checkpointing`` (backpropagation that keeps
every k-th activation and recomputes the rest), ``exercises`` and ``quiz`` (self-study),
``autodiff`` (the book's reverse-mode automatic differentiation: ``Value``, ``Tensor``,
``gradients``, forward mode; chapter 13),
``tex`` (numbers and symbols in TeX), ``dom`` (the class names shared with the page's
scripts), and, imported on demand because they load matplotlib or ipywidgets:
``steppers`` (a package, one module per stepper), ``diagrams``, ``figures`` (the chapters'
figure code) and ``symbolic``; also on demand, ``rhw`` (chapter 12's mirror-symmetry
replication and its saved results), ``conv`` and ``cnn`` (convolution and pooling layers,
forwards and backwards, and chapter 16's small convolutional network), ``rnn`` and
``rnn_training`` (a recurrent network and backpropagation through time; chapter 17),
``formula`` (questions whose answer is an expression, checked in the page) and
``playground`` (the running example, live in the page).

>>> import numpy as np, bpcore
>>> net = bpcore.Network.random([2, 3, 1], activations="sigmoid", seed=0)
>>> x = np.array([[0.0, 1.0], [1.0, 1.0]]); y = np.array([[1.0, 0.0]])
>>> g = bpcore.backprop(net, x, y)
>>> bpcore.relative_error(g, bpcore.numerical_gradients(net, x, y)) < 1e-8
True
"""
# Before the imports: modules such as rhw record it in their results.
__version__ = "0.1.0"

from . import activations, datasets, examples, jacobians, losses, notation
from .engine import (ForwardPass, Gradients, Layers, backprop, bias_gradients, cost, forward,
                     hidden_deltas, output_delta, weight_gradients)
from .gradcheck import numerical_gradients, relative_error
from .network import Network
from .training import TrainingResult, accuracy, train
from . import autodiff  # records graphs; reads the registries above
from . import checkpointing

# Last: the exercise catalog builds its reference answers with the API above.
from . import exercises, quiz  # noqa: E402


__all__ = [
    "Network", "ForwardPass", "Gradients", "Layers", "forward", "output_delta", "hidden_deltas",
    "weight_gradients", "bias_gradients", "backprop", "cost", "numerical_gradients",
    "relative_error", "train", "TrainingResult", "accuracy", "activations", "losses",
    "datasets", "examples", "exercises", "quiz", "notation", "jacobians", "autodiff",
    "checkpointing",
]
