"""Backpropagation done by sympy: the cost of a small network as one formula, and its
derivatives taken by ``sympy.diff``, an oracle that shares no code with :mod:`bpcore.engine`.

Symbols use the book's notation, so they print as the book writes them:

* ``w^{l}_{jk}``: the weight to neuron j of layer l from neuron k of layer l-1 (1-based;
  written ``w^{l}_{j,k}`` when a layer has more than nine neurons);
* ``b^{l}_{j}``, the biases; ``x_{k}``, the inputs (a^0 = x); ``y_{j}``, the targets;
* ``z^{l}_{j}`` and ``a^{l}_{j}``, the pre-activations and activations, as plain symbols for
  compact formulas (:meth:`SymbolicNetwork.compact`) and as full expressions in x, W, b
  (:meth:`SymbolicNetwork.z`, :meth:`SymbolicNetwork.a`).

The sigmoid is the sympy function :class:`sigma`, whose derivative rule is
sigma' = sigma (1 - sigma), so derivatives stay short; :func:`to_exp` writes it out as
1 / (1 + e^{-z}) for checking.

>>> sym = SymbolicNetwork((1, 1), "sigmoid", "mse")
>>> sym.cost
(-y_{1} + sigma(b^{1}_{1} + w^{1}_{11}*x_{1}))**2/2
>>> sym.compact(sym.grad_W(1))
Matrix([[a^{1}_{1}*x_{1}*(1 - a^{1}_{1})*(a^{1}_{1} - y_{1})]])
>>> print(latex(sigma(sympy.Symbol("z")).diff()))
\\left(1 - \\sigma\\left(z\\right)\\right) \\sigma\\left(z\\right)
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy

from . import _validate as v
from . import activations, losses
from .activations import relu as _relu_numpy
from .activations import sigmoid as _sigmoid_numpy
from .engine import Gradients, Layers
from .network import Network
from .sympy_functions import relu, sigma, softmax

__all__ = ["SymbolicNetwork", "Evaluation", "Identity", "sigma", "relu", "softmax", "latex",
           "to_exp", "sigmoid_prime_identity", "softmax_jacobian", "chain_rule_example",
           "MAX_PARAMETERS"]

# Above this many weights and biases sympy's formulas grow too large to be useful or fast.
MAX_PARAMETERS = 40


# ---------------------------------------------------------------------------------------
# Numbers for lambdify.

def _softmax_numpy(j, *z):
    z = np.array(np.broadcast_arrays(*[np.asarray(zk, dtype=float) for zk in z]))
    e = np.exp(z - z.max(axis=0))
    return e[int(j) - 1] / e.sum(axis=0)


# Numeric stand-ins for the functions lambdify cannot find in numpy by name.
_NUMPY_NAMES = {"sigma": _sigmoid_numpy, "relu": _relu_numpy, "softmax": _softmax_numpy}


def _activate(name, z):
    """f(z) for a column of expressions z (a list), the activation record's sympy form;
    softmax couples the whole column."""
    return activations.get(name).sympy_column(z)


def _loss(name, y, a):
    """The loss of one sample, the loss record's sympy form (mse carries the 1/2)."""
    return losses.get(name).sympy(y, a)


# ---------------------------------------------------------------------------------------
# Display.

def to_exp(expr):
    """``expr`` with every sigma(z) written as 1 / (1 + e^{-z}), softmax(j, z_1, ..., z_n) as
    e^{z_j} / sum_k e^{z_k} and relu(z) as max(0, z).

    Use it to check a compact formula against one written out by hand, or to hand it to
    ``sympy.simplify``.  Works on expressions and matrices.

    >>> z = sympy.Symbol("z")
    >>> to_exp(sigma(z))
    1/(1 + exp(-z))
    """
    expr = sympy.sympify(expr)
    expr = expr.replace(sigma, lambda z: 1 / (1 + sympy.exp(-z)))
    expr = expr.replace(softmax, lambda j, *z: softmax(j, *z).rewrite(sympy.exp))
    return expr.replace(relu, lambda z: sympy.Max(0, z))


def latex(expr, expand=False, **settings):
    """LaTeX for ``expr`` in the book's symbols, sigma printed as \\sigma.

    ``expand=True`` first writes the sigmoid out as 1 / (1 + e^{-z}) (see :func:`to_exp`).
    Further keyword arguments go to ``sympy.latex``.  No dollar signs are added: wrap the
    result in ``$...$`` or pass it to ``IPython.display.Math``.

    >>> w, x = sympy.Symbol("w^{1}_{11}"), sympy.Symbol("x_{1}")
    >>> latex(sigma(w * x))
    '\\\\sigma\\\\left(w^{1}_{11} x_{1}\\\\right)'
    >>> latex(sigma(w * x), expand=True)
    '\\\\frac{1}{1 + e^{- w^{1}_{11} x_{1}}}'
    """
    if expand:
        expr = to_exp(expr)
    return sympy.latex(expr, **settings)


# ---------------------------------------------------------------------------------------
# Claimed identities that sympy checks.

@dataclass(frozen=True)
class Identity:
    """A claimed equation ``lhs = rhs`` and whether sympy proved it.

    ``lhs`` is what sympy computed by differentiating; ``rhs`` is the textbook form, which may
    use abbreviations (a symbol a_i standing for softmax(z)_i, say) listed in ``definitions``
    (symbol -> expression, outermost first).  ``holds`` is True when
    ``simplify(lhs - rhs)`` is 0 after the definitions are substituted and the sigmoid is
    written with exp.  ``variables`` are the symbols both sides depend on, in the order
    :meth:`evaluate` takes their values.  ``factors`` lists (LaTeX label, expression) pairs
    when ``rhs`` is a chain-rule product.
    """
    lhs: object
    rhs: object
    holds: bool
    variables: tuple
    definitions: dict = field(default_factory=dict)
    factors: tuple = ()

    def unfolded_rhs(self):
        """``rhs`` with the definitions substituted: a formula in ``variables`` only."""
        return _unfold(self.rhs, self.definitions)

    def evaluate(self, *values):
        """The numeric value of ``lhs`` at ``variables = values``, as a float or an array."""
        if len(values) != len(self.variables):
            raise ValueError(f"expected {len(self.variables)} values, one for each of "
                             f"{', '.join(str(s) for s in self.variables)}; got {len(values)}")
        f = sympy.lambdify(self.variables, self.lhs, modules=[_NUMPY_NAMES, "numpy"])
        out = np.asarray(f(*values), dtype=float)
        return float(out) if out.ndim == 0 else out

    def latex(self, expand=False):
        """``lhs = rhs`` in LaTeX."""
        return f"{latex(self.lhs, expand)} = {latex(self.rhs, expand)}"

    def _repr_latex_(self):
        return f"$\\displaystyle {self.latex()}$"


def _unfold(expr, definitions):
    for symbol, value in definitions.items():
        expr = expr.xreplace({symbol: value})
    return expr


def _proved(lhs, rhs, definitions):
    diff = to_exp(sympy.sympify(lhs) - _unfold(sympy.sympify(rhs), definitions))
    simplified = sympy.simplify(diff)
    return bool(simplified.is_zero_matrix if isinstance(simplified, sympy.MatrixBase)
                else simplified == 0)


def sigmoid_prime_identity():
    """sigma'(z) = sigma(z) (1 - sigma(z)), derived by sympy from sigma(z) = 1 / (1 + e^{-z}).

    ``lhs`` is ``sympy.diff`` of the exp form, e^{-z} / (1 + e^{-z})^2; ``rhs`` is
    sigma(z) (1 - sigma(z)); ``holds`` says their difference simplifies to 0.

    >>> ident = sigmoid_prime_identity()
    >>> ident.lhs
    exp(-z)/(1 + exp(-z))**2
    >>> ident.rhs, ident.holds
    ((1 - sigma(z))*sigma(z), True)
    >>> ident.evaluate(0.0)
    0.25
    """
    z = sympy.Symbol("z", real=True)
    lhs = sympy.diff(1 / (1 + sympy.exp(-z)), z)
    rhs = sigma(z) * (1 - sigma(z))
    return Identity(lhs, rhs, _proved(lhs, rhs, {}), (z,))


def softmax_jacobian(n):
    """The n x n softmax Jacobian J_ij = da_i/dz_j, derived by sympy, against a_i (delta_ij - a_j).

    ``lhs`` is the matrix of ``sympy.diff(a_i, z_j)`` with a_i = e^{z_i} / sum_k e^{z_k}
    written out; ``rhs`` is the textbook form in the symbols a_i, defined in ``definitions``.
    ``evaluate(z_1, ..., z_n)`` gives the numbers, to compare with
    :func:`bpcore.activations.softmax_jacobian`.

    >>> J = softmax_jacobian(2)
    >>> J.rhs
    Matrix([
    [a_{1}*(1 - a_{1}),     -a_{1}*a_{2}],
    [    -a_{1}*a_{2}, a_{2}*(1 - a_{2})]])
    >>> J.holds, J.evaluate(0.0, 0.0).tolist()
    (True, [[0.25, -0.25], [-0.25, 0.25]])
    """
    n = v.positive_int(n, "n")
    if n > 6:
        raise ValueError(f"softmax_jacobian(n) is meant for small n (at most 6), got {n}; "
                         "use bpcore.activations.softmax_jacobian for numbers")
    z = [sympy.Symbol(f"z_{{{i + 1}}}", real=True) for i in range(n)]
    a = [sympy.Symbol(f"a_{{{i + 1}}}", positive=True) for i in range(n)]
    total = sympy.Add(*[sympy.exp(zk) for zk in z])
    written_out = [sympy.exp(zi) / total for zi in z]
    lhs = sympy.Matrix(n, n, lambda i, j: sympy.diff(written_out[i], z[j]))
    rhs = sympy.Matrix(n, n, lambda i, j: a[i] * (sympy.KroneckerDelta(i, j) - a[j]))
    definitions = dict(zip(a, written_out))
    return Identity(lhs, rhs, _proved(lhs, rhs, definitions), tuple(z), definitions)


def chain_rule_example(activation="sigmoid"):
    """The chain rule through two layers, checked: a 1-1-1 network with the quadratic cost.

    For x -> z^1 = w^1_11 x_1 + b^1_1 -> a^1 = f(z^1) -> z^2 = w^2_11 a^1 + b^2_1 -> a^2 = f(z^2)
    -> C = 1/2 (y_1 - a^2)^2, the product

        dC/dw^1_11 = dC/da^2 * da^2/dz^2 * dz^2/da^1 * da^1/dz^1 * dz^1/dw^1_11,

    each factor differentiated by sympy on its own, equals ``sympy.diff`` of the whole
    composed cost.  ``lhs`` is that direct derivative, ``rhs`` the product in the symbols
    z^l_1 and a^l_1 (see ``definitions``), ``factors`` the five labelled factors.

    >>> ex = chain_rule_example()
    >>> ex.holds
    True
    >>> print(ex.factors[1][0])
    \\frac{\\partial a^{2}_{1}}{\\partial z^{2}_{1}}
    >>> ex.rhs
    a^{1}_{1}*a^{2}_{1}*w^{2}_{11}*x_{1}*(1 - a^{1}_{1})*(1 - a^{2}_{1})*(a^{2}_{1} - y_{1})
    """
    record = activations.get(activation)
    if not record.elementwise:
        elementwise = [n for n, a in activations.ACTIVATIONS.items() if a.elementwise]
        raise ValueError(f"chain_rule_example needs an element-wise activation, one of "
                         f"{', '.join(repr(n) for n in elementwise)}; got {activation!r}")
    sym = SymbolicNetwork((1, 1, 1), activation, "mse")
    w1, w2 = sym.W(1)[0, 0], sym.W(2)[0, 0]
    z1, z2 = sym.z_symbols(1)[0], sym.z_symbols(2)[0]
    a1, a2 = sym.a_symbols(1)[0], sym.a_symbols(2)[0]
    x1, y1 = sym.x[0], sym.y[0]
    f = record.sympy
    # Each factor is differentiated locally, then written with the layer symbols a and z.
    local = [
        (r"\frac{\partial C}{\partial a^{2}_{1}}", sympy.diff((y1 - a2) ** 2 / 2, a2)),
        (r"\frac{\partial a^{2}_{1}}{\partial z^{2}_{1}}", sympy.diff(f(z2), z2)),
        (r"\frac{\partial z^{2}_{1}}{\partial a^{1}_{1}}", sympy.diff(w2 * a1 + sym.b(2)[0], a1)),
        (r"\frac{\partial a^{1}_{1}}{\partial z^{1}_{1}}", sympy.diff(f(z1), z1)),
        (r"\frac{\partial z^{1}_{1}}{\partial w^{1}_{11}}", sympy.diff(w1 * x1 + sym.b(1)[0], w1)),
    ]
    factors = tuple((label, sym.compact(expr)) for label, expr in local)
    rhs = sympy.Mul(*[expr for _, expr in factors])
    lhs = sym.grad_W(1)[0, 0]
    variables = (w1, sym.b(1)[0], w2, sym.b(2)[0], x1, y1)
    return Identity(lhs, rhs, _proved(lhs, rhs, sym.definitions), variables,
                    sym.definitions, factors)


# ---------------------------------------------------------------------------------------
# The network.

@dataclass(frozen=True)
class Evaluation:
    """Numbers from the symbolic formulas: the cost, the gradients and the deltas.

    ``gradients`` is a :class:`bpcore.Gradients` shaped like ``net.weights`` and
    ``net.biases`` (averaged over the samples, like :func:`bpcore.backprop`); ``deltas[l-1]`` (``deltas.at(l)``)
    is delta^l per sample, (n_l, m), or (n_l,) for a 1-D x, like
    :func:`bpcore.hidden_deltas`; ``cost`` is the mean loss, like :func:`bpcore.cost`.
    """
    cost: float
    gradients: Gradients
    deltas: Layers


def _symbol_matrix(rows, cols, name):
    return sympy.Matrix(rows, cols, lambda j, k: sympy.Symbol(name(j + 1, k + 1), real=True))


class SymbolicNetwork:
    """A small network whose cost for one sample is a sympy formula, differentiated by sympy.

    Parameters
    ----------
    sizes : sequence of int
        (n_0, n_1, ..., n_L), as for :meth:`bpcore.Network.random`.
    activations : str or sequence of str
        One name for every layer or one per layer: ``"sigmoid"``, ``"tanh"``, ``"relu"``,
        ``"identity"``, or ``"softmax"`` in the output layer.
    loss : {"mse", "cross_entropy", "binary_cross_entropy"}
        As in :mod:`bpcore.losses`; the log losses need sigmoid or softmax outputs.
    max_parameters : int
        Refuse networks with more weights and biases than this (default 40): sympy's
        formulas grow with every parameter and soon stop being readable or fast.

    Every matrix is shaped as in the book: ``W(l)`` and ``grad_W(l)`` are (n_l, n_{l-1}),
    ``b(l)``, ``grad_b(l)``, ``z(l)``, ``a(l)`` and ``delta(l)`` are columns (n_l, 1), for
    l = 1..L (``a(0)`` is x).  Derivatives are taken the first time they are asked for
    and then kept.

    Raises ValueError for invalid sizes, names, loss/output pairs or too many parameters.

    >>> sym = SymbolicNetwork((2, 3, 2), "sigmoid", "mse")
    >>> sym.W(2)
    Matrix([
    [w^{2}_{11}, w^{2}_{12}, w^{2}_{13}],
    [w^{2}_{21}, w^{2}_{22}, w^{2}_{23}]])
    >>> sym.grad_W(1).shape, sym.grad_b(1).shape, sym.delta(2).shape
    ((3, 2), (3, 1), (2, 1))
    >>> sym.compact(sym.delta(2))[0]
    a^{2}_{1}*(1 - a^{2}_{1})*(a^{2}_{1} - y_{1})
    """

    def __init__(self, sizes, activations="sigmoid", loss="mse", *,
                 max_parameters=MAX_PARAMETERS):
        # Network.random checks sizes and activation names with the engine's own messages.
        probe = Network.random(sizes, activations, seed=0)
        v.check_loss(loss, probe.activations[-1])
        max_parameters = v.positive_int(max_parameters, "max_parameters")
        if probe.n_parameters > max_parameters:
            raise ValueError(
                f"a {'-'.join(map(str, probe.sizes))} network has {probe.n_parameters} weights "
                f"and biases, more than max_parameters={max_parameters}: sympy's formulas would "
                "be too large to read or differentiate quickly; use a smaller network "
                "(the running example is 2-3-2), or bpcore.backprop for numbers")
        self.sizes = probe.sizes
        self.activations = probe.activations
        self.loss = loss
        self.n_layers = probe.n_layers
        self.n_parameters = probe.n_parameters
        self._cache = {}

        wide = max(self.sizes) > 9
        sep = "," if wide else ""
        L = self.n_layers
        self._W = [_symbol_matrix(self.sizes[l], self.sizes[l - 1],
                                  lambda j, k, l=l: f"w^{{{l}}}_{{{j}{sep}{k}}}")
                   for l in range(1, L + 1)]
        self._b = [_symbol_matrix(self.sizes[l], 1, lambda j, k, l=l: f"b^{{{l}}}_{{{j}}}")
                   for l in range(1, L + 1)]
        self.x = _symbol_matrix(self.sizes[0], 1, lambda j, k: f"x_{{{j}}}")
        self.y = _symbol_matrix(self.sizes[-1], 1, lambda j, k: f"y_{{{j}}}")
        self._zsym = [_symbol_matrix(self.sizes[l], 1, lambda j, k, l=l: f"z^{{{l}}}_{{{j}}}")
                      for l in range(1, L + 1)]
        self._asym = [_symbol_matrix(self.sizes[l], 1, lambda j, k, l=l: f"a^{{{l}}}_{{{j}}}")
                      for l in range(1, L + 1)]

        # The forward pass as expressions in x, W and b.
        self._z, self._a = [], [self.x]
        for l in range(1, L + 1):
            z = self._W[l - 1] * self._a[l - 1] + self._b[l - 1]
            self._z.append(z)
            self._a.append(sympy.Matrix(_activate(self.activations[l - 1], list(z))))
        self.cost = _loss(loss, list(self.y), list(self._a[L]))

    def __repr__(self):
        return (f"SymbolicNetwork(sizes={self.sizes}, activations={self.activations}, "
                f"loss={self.loss!r})")

    # -- symbols and expressions ----------------------------------------------------------

    def _layer(self, l, lowest=1):
        if isinstance(l, bool) or not isinstance(l, (int, np.integer)) or not (
                lowest <= l <= self.n_layers):
            raise ValueError(f"layer l must be an integer from {lowest} to L = {self.n_layers} "
                             f"for this {'-'.join(map(str, self.sizes))} network, got {l!r}")
        return int(l)

    def W(self, l):
        """W^l as a matrix of symbols w^{l}_{jk}, shape (n_l, n_{l-1})."""
        return self._W[self._layer(l) - 1]

    def b(self, l):
        """b^l as a column of symbols b^{l}_{j}, shape (n_l, 1)."""
        return self._b[self._layer(l) - 1]

    def z(self, l):
        """z^l = W^l a^{l-1} + b^l written out in x, W and b, shape (n_l, 1)."""
        return self._z[self._layer(l) - 1]

    def a(self, l):
        """a^l = f(z^l) written out in x, W and b, shape (n_l, 1); ``a(0)`` is x."""
        return self._a[self._layer(l, lowest=0)]

    def z_symbols(self, l):
        """The plain symbols z^{l}_{j}, shape (n_l, 1), used by :meth:`compact`."""
        return self._zsym[self._layer(l) - 1]

    def a_symbols(self, l):
        """The plain symbols a^{l}_{j}, shape (n_l, 1), used by :meth:`compact`."""
        return self._asym[self._layer(l) - 1]

    @property
    def parameters(self):
        """Every weight and bias symbol, ordered like :meth:`bpcore.Gradients.flat`:
        W^1 row by row, b^1, W^2, b^2, ..."""
        out = []
        for W, b in zip(self._W, self._b):
            out += list(W) + list(b)
        return tuple(out)

    @property
    def definitions(self):
        """What the layer symbols stand for, output layer first: a^{l}_{j} = f(z^{l}_{j}) and
        z^{l}_{j} = sum_k w^{l}_{jk} a^{l-1}_{k} + b^{l}_{j}.  Substituting them in this order
        turns a :meth:`compact` formula back into one in x, W and b."""
        if "definitions" not in self._cache:
            defs = {}
            for l in range(self.n_layers, 0, -1):
                zs, As = self._zsym[l - 1], self._asym[l - 1]
                prev = self.x if l == 1 else self._asym[l - 2]
                fz = _activate(self.activations[l - 1], list(zs))
                defs.update(zip(As, fz))
                defs.update(zip(zs, self._W[l - 1] * prev + self._b[l - 1]))
            self._cache["definitions"] = defs
        return dict(self._cache["definitions"])

    # -- derivatives ----------------------------------------------------------------------

    def grad_W(self, l):
        """dC/dW^l by ``sympy.diff`` of the cost, entry (j, k) being dC/dw^l_jk.  Shape
        (n_l, n_{l-1}), like W^l."""
        l = self._layer(l)
        key = ("grad_W", l)
        if key not in self._cache:
            W = self._W[l - 1]
            self._cache[key] = W.applyfunc(lambda w: sympy.diff(self.cost, w))
        return self._cache[key]

    def grad_b(self, l):
        """dC/db^l by ``sympy.diff`` of the cost, shape (n_l, 1)."""
        l = self._layer(l)
        key = ("grad_b", l)
        if key not in self._cache:
            self._cache[key] = self._b[l - 1].applyfunc(lambda b: sympy.diff(self.cost, b))
        return self._cache[key]

    def delta(self, l):
        """delta^l = dC/dz^l, shape (n_l, 1), written out in x, y, W and b.

        Computed without BP1 or BP2: the cost is rebuilt from the symbols z^{l}_{j} forward
        to the output, differentiated with respect to them, and the z^l expressions are
        substituted back in.
        """
        l = self._layer(l)
        key = ("delta", l)
        if key not in self._cache:
            zs = self._zsym[l - 1]
            a = sympy.Matrix(_activate(self.activations[l - 1], list(zs)))
            for k in range(l + 1, self.n_layers + 1):
                z = self._W[k - 1] * a + self._b[k - 1]
                a = sympy.Matrix(_activate(self.activations[k - 1], list(z)))
            cost_of_z = _loss(self.loss, list(self.y), list(a))
            back = dict(zip(zs, self._z[l - 1]))
            self._cache[key] = zs.applyfunc(lambda s: sympy.diff(cost_of_z, s).xreplace(back))
        return self._cache[key]

    # -- display --------------------------------------------------------------------------

    def compact(self, expr):
        """``expr`` rewritten with the layer symbols z^{l}_{j} and a^{l}_{j} wherever the
        full expressions appear, e.g. sigma(z)(1 - sigma(z)) becomes a (1 - a).

        For display: it is exact (:attr:`definitions` undo it) but matches whole
        sub-expressions only, so a z that sympy merged into a larger sum (possible with the
        identity activation) stays written out.
        """
        expr = sympy.sympify(expr)
        for l in range(1, self.n_layers + 1):
            zs, As = self._zsym[l - 1], self._asym[l - 1]
            prev = self.x if l == 1 else self._asym[l - 2]
            z_folded = self._W[l - 1] * prev + self._b[l - 1]
            name = self.activations[l - 1]
            if name == "identity":  # a^l = z^l: name it a, the symbol the next layer uses
                expr = expr.xreplace(dict(zip(z_folded, As)))
                continue
            expr = expr.xreplace(dict(zip(z_folded, zs)))
            expr = expr.xreplace(dict(zip(_activate(name, list(zs)), As)))
        return expr

    def latex(self, expr, compact=False, expand=False):
        """LaTeX for ``expr``; ``compact=True`` applies :meth:`compact` first, ``expand=True``
        writes sigma out with exp (see :func:`latex`)."""
        if compact:
            expr = self.compact(expr)
        return latex(expr, expand)

    # -- numbers --------------------------------------------------------------------------

    def _check_net(self, net):
        if not isinstance(net, Network):
            raise TypeError(f"expected a bpcore.Network, got {type(net).__name__}")
        if net.sizes != self.sizes or net.activations != self.activations:
            raise ValueError(f"this SymbolicNetwork has sizes {self.sizes} and activations "
                             f"{self.activations}, but the network has sizes {net.sizes} and "
                             f"activations {net.activations}; build SymbolicNetwork("
                             f"{net.sizes}, {list(net.activations)}, {self.loss!r})")

    def _compiled(self):
        if "numeric" not in self._cache:
            L = self.n_layers
            outputs = [self.cost]
            for l in range(1, L + 1):
                outputs += list(self.grad_W(l)) + list(self.grad_b(l))
            for l in range(1, L + 1):
                outputs += list(self.delta(l))
            args = list(self.parameters) + list(self.x) + list(self.y)
            self._cache["numeric"] = sympy.lambdify(
                args, outputs, modules=[_NUMPY_NAMES, "numpy"], cse=True)
        return self._cache["numeric"]

    def _samples(self, net, x, y):
        self._check_net(net)
        x2, single = v.columns(x, "x", self.sizes[0], net.dtype)
        y2 = v.targets(y, self.sizes[-1], x2.shape[1], self.loss, self.activations[-1],
                       net.dtype)
        return x2.astype(float), y2.astype(float), single

    def numeric(self, net, x, y):
        """Evaluate the cost, every gradient and every delta at ``net``'s parameters.

        ``x`` is (n_0, m) and ``y`` is (n_L, m), one column per sample, or 1-D for one
        sample.  The formulas are turned into numpy code by ``sympy.lambdify`` once per
        SymbolicNetwork.  Returns an :class:`Evaluation` laid out like bpcore's results.

        >>> import bpcore
        >>> ex = bpcore.examples.running_example()
        >>> sym = SymbolicNetwork(ex.net.sizes, "sigmoid", ex.loss)
        >>> ev = sym.numeric(ex.net, ex.x, ex.y)
        >>> bpcore.relative_error(ev.gradients, bpcore.backprop(ex.net, ex.x, ex.y)) < 1e-12
        True
        >>> [d.shape for d in ev.deltas]
        [(3, 1), (2, 1)]
        """
        x2, y2, single = self._samples(net, x, y)
        m = x2.shape[1]
        params = []
        for W, b in zip(net.weights, net.biases):
            params += [float(p) for p in np.ravel(W)] + [float(p) for p in b]
        values = self._compiled()(*params, *x2, *y2)
        per_sample = [np.broadcast_to(np.asarray(val, dtype=float), (m,)) for val in values]

        cost = float(np.mean(per_sample[0]))
        pos = 1
        grad_W, grad_b = [], []
        for l in range(1, self.n_layers + 1):
            n_out, n_in = self.sizes[l], self.sizes[l - 1]
            block = np.array(per_sample[pos:pos + n_out * n_in]).mean(axis=1)
            grad_W.append(block.reshape(n_out, n_in))
            pos += n_out * n_in
            grad_b.append(np.array(per_sample[pos:pos + n_out]).mean(axis=1))
            pos += n_out
        deltas = []
        for l in range(1, self.n_layers + 1):
            d = np.array(per_sample[pos:pos + self.sizes[l]])
            deltas.append(d[:, 0] if single else d)
            pos += self.sizes[l]
        return Evaluation(cost, Gradients(tuple(grad_W), tuple(grad_b)), Layers(deltas))

    def values(self, net, x, y):
        """A dict symbol -> number for one sample: every w, b, x, y, and the z^{l}_{j} and
        a^{l}_{j} computed from the formulas.  ``expr.subs(sym.values(net, x, y))`` evaluates a
        formula, compact or written out, at the network's numbers.

        >>> import bpcore
        >>> ex = bpcore.examples.running_example()
        >>> sym = SymbolicNetwork(ex.net.sizes, "sigmoid", ex.loss)
        >>> vals = sym.values(ex.net, ex.x, ex.y)
        >>> round(float(vals[sym.z_symbols(1)[0]]), 4)   # 0.15*0.05 + 0.20*0.10 + 0.35
        0.3775
        """
        x2, y2, _ = self._samples(net, x, y)
        if x2.shape[1] != 1:
            raise ValueError(f"values() takes one sample, got x with {x2.shape[1]} columns; "
                             "pass x[:, [i]] and y[:, [i]]")
        out = {}
        for l in range(1, self.n_layers + 1):
            out.update(zip(self._W[l - 1], [sympy.Float(p) for p in np.ravel(net.weights[l - 1])]))
            out.update(zip(self._b[l - 1], [sympy.Float(p) for p in net.biases[l - 1]]))
        out.update(zip(self.x, [sympy.Float(p) for p in x2[:, 0]]))
        out.update(zip(self.y, [sympy.Float(p) for p in y2[:, 0]]))
        for l in range(1, self.n_layers + 1):
            out.update(zip(self._zsym[l - 1], [to_exp(e).subs(out).evalf()
                                               for e in self._z[l - 1]]))
            out.update(zip(self._asym[l - 1], [to_exp(e).subs(out).evalf()
                                               for e in self._a[l]]))
        return out
