"""Auto-checked exercises of chapter 13: reverse-mode automatic differentiation.

Accumulation in a scalar graph, the gradient the matrix engine leaves at a z node, how many
forward-mode passes a gradient costs, and two new operations to differentiate: a power by
a Value (which the book's engine refuses) and the log-sum-exp of each column.  References
and wrong answers are computed with bpcore (declared with bpcore.exercises.core).
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

import bpcore
from bpcore import autodiff
from bpcore.activations import softmax
from bpcore.autodiff import Value
from bpcore.examples import running_batch
from bpcore.formula import Formula, random_networks

from ..core import function, mistake, numeric

__all__ = ["pow_backward", "logsumexp_vjp"]


# --------------------------------------------------------------------------------------
# Accumulation: backward() twice on a graph where x is used twice.

def _twice_data():
    x0, y0 = 1.5, 0.5
    x, y = Value(x0, label="x"), Value(y0, label="y")
    f = x * y + x
    f.backward()
    f.backward()
    return SimpleNamespace(x=x0, y=y0, grad_x=x.grad)


numeric(
    id="ch13-backward-twice", chapter=13, title="backward() called twice",
    prompt="With x = Value(d['x']) and y = Value(d['y']) (1.5 and 0.5), build f = x * y + x "
           "and call f.backward() TWICE, with no zero_grad() in between. What is x.grad then? "
           "Work it out by hand first; bpcore.autodiff.Value lets you confirm it.",
    setup=_twice_data, answer=lambda d: d.grad_x, given_names=("x", "y"),
    quantity="x.grad", rtol=1e-9,
    mistakes=[
        mistake("one pass only",
                "That is ∂f/∂x = y + 1, the gradient of ONE backward pass. Every pass adds to "
                ".grad, and nothing reset it between the two calls.",
                lambda d: d.y + 1.0),
        mistake("one path only",
                "You followed x through the product only. x is used twice, in x * y and in "
                "+ x, and the two shares add: ∂f/∂x = y + 1 per pass.",
                lambda d: 2 * d.y),
        mistake("stale intermediate gradients",
                "3y + 2 is what an engine gives that also accumulates into the node x * y and "
                "passes that stale, doubled .grad on in the second pass (micrograd's backward "
                "does this). bpcore's backward sends a fresh gradient through the graph and "
                "only adds it to each .grad, so every gradient is exactly doubled.",
                lambda d: 3 * d.y + 2.0),
    ],
    hint="Each backward pass adds ∂f/∂x to x.grad; find ∂f/∂x with both uses of x.",
    explanation="One pass gives ∂f/∂x = y + 1 = 1.5 (a share y from x * y and a share 1 from "
                "+ x). The second pass adds the same again: x.grad = 2(y + 1) = 3. Call "
                "f.zero_grad() before a backward pass to start from 0.")


# --------------------------------------------------------------------------------------
# The matrix engine: the gradient at the z^2 node is delta^2 / m.

def _z_node_state(d):
    """The z² node's gradient for the network state ``d`` of a 2-layer network, by the
    matrix engine, beside what the exercise gives (δ², a², z²)."""
    graph = autodiff.network_graph(d.net, d.x, d.y, d.loss)
    graph.cost.backward()
    return SimpleNamespace(net=d.net, x=d.x, y=d.y, m=d.m, delta2=d.delta[2], a2=d.a[2],
                           z2=d.z[2], z2_grad=graph.z(2).grad)


def _z_node_data():
    return _z_node_state(running_batch())


def _z_node_batches(rng):
    """Two random 2-layer sigmoid networks on batches, for the formula question."""
    return [(label, _z_node_state(d))
            for label, d in random_networks(((3, 4, 2), 5), ((2, 3, 3), 3))(rng)]


numeric(
    id="ch13-z-node-gradient", chapter=13, title="The gradient at the z² node",
    prompt="bpcore.autodiff.network_graph(net, x, y) records the running example's network on "
           "a batch of m = 4 samples (d['net'], d['x'], d['y'], quadratic cost); "
           "graph.cost.backward() then leaves in the node z² its gradient z2.grad = ∂C/∂z². "
           "From the per-sample output deltas d['delta2'] (BP1, shape (2, 4)), predict that "
           "array, then confirm it with the engine.",
    setup=_z_node_data, answer=lambda d: d.z2_grad, given_names=("net", "x", "y", "delta2"),
    quantity="∂C/∂z²",
    mistakes=[
        mistake("the 1/m forgotten",
                "That is δ², one sample's ∂C_x/∂z² in each column. The cost is the MEAN over "
                "the m = 4 samples, so the gradient at the z² node is δ²/m: the cost node's "
                "VJP multiplies by 1/m before anything flows down.",
                lambda d: d.delta2),
        mistake("stopped at a²",
                "(a² − y)/m is the gradient at the node a², one VJP earlier. The sigmoid's VJP "
                "multiplies it by σ′(z²) = a²(1 − a²) on its way to z².",
                lambda d: (d.a2 - d.y) / d.m),
        mistake("multiplied by m",
                "You multiplied by m; the mean cost divides by it: ∂C/∂z² = δ²/m.",
                lambda d: d.delta2 * d.m),
    ],
    hint="C = (1/m) Σ_x C_x, and δ² holds ∂C_x/∂z² sample by sample.",
    explanation="The gradient at z² is δ²/m: BP1's δ² with the 1/m of the mean cost, which "
                "enters once, at the cost node, and travels down with every VJP.",
    formula=Formula(
        question="Type ∂C/∂z², the gradient that graph.cost.backward() leaves in the node z² "
                 "(sigmoid outputs, quadratic cost averaged over a batch of m), as a formula "
                 "in delta2 (BP1's per-sample δ², one column per sample), or in a2, z2, y "
                 "and m; sigma_prime(u) is σ′(u).",
        symbols={"delta2": "\\delta^{2}", "a2": "a^{2}", "z2": "z^{2}", "y": "y", "m": "m"},
        functions=("sigma", "sigma_prime"), quantity="∂C/∂z²",
        label="the running example's batch of 4", variants=_z_node_batches,
        solution="delta2 / m",
        mistakes={"the 1/m forgotten": "(a2 - y) .* sigma_prime(z2)",
                  "stopped at a²": "(a2 - y) / m",
                  "multiplied by m": "m * delta2"}))


# --------------------------------------------------------------------------------------
# Forward mode: one JVP per parameter.

def _passes_data():
    net = bpcore.Network.random([784, 30, 10], seed=0)
    return SimpleNamespace(sizes=net.sizes, P=net.n_parameters, n_costs=1,
                           n_weights=sum(W.size for W in net.weights))


numeric(
    id="ch13-forward-mode-passes", chapter=13,
    title="How many forward-mode passes does a gradient take?",
    prompt="A network with sizes d['sizes'] = (784, 30, 10) has one cost C. Forward mode "
           "computes one Jacobian-vector product per pass: the derivative of C along one "
           "direction of the parameters. How many forward-mode passes give the whole gradient "
           "∂C/∂θ, every weight and bias (bpcore.autodiff.forward_gradients makes them)? "
           "Give a whole number.",
    setup=_passes_data, answer=lambda d: d.P, given_names=("sizes",),
    quantity="the number of forward-mode passes", rtol=0.0, atol=0.5,
    mistakes=[
        mistake("reverse mode's count",
                "One pass is reverse mode's count: a backward pass is one vector-Jacobian "
                "product, and with one cost that is the whole gradient. A forward pass gives "
                "the derivative along ONE direction: one pass per parameter.",
                lambda d: d.n_costs),
        mistake("one pass per input",
                "784 is the number of inputs x. The gradient is with respect to the "
                "parameters, the weights and biases, and each needs its own direction.",
                lambda d: d.sizes[0]),
        mistake("central differences' count",
                "2P is what central differences need (two costs per parameter). A JVP gives "
                "the exact directional derivative in ONE pass: P passes.",
                lambda d: 2 * d.P),
        mistake("weights only",
                "You counted the weights but not the biases; each bias is a direction too.",
                lambda d: d.n_weights),
    ],
    hint="Count the parameters: n₁n₀ + n₁ + n₂n₁ + n₂.",
    explanation="P = 784·30 + 30 + 30·10 + 10 = 23,860 passes, one per parameter, against one "
                "backward pass for reverse mode: with many parameters and one cost, reverse "
                "mode wins by a factor of about P.")


# --------------------------------------------------------------------------------------
# New operations: a power by a Value, and the log-sum-exp of each column.

def _pow_cases(rng):
    cases = [{"x": np.array([2.0]), "y": np.array([3.0]), "grad_out": np.array([1.0])}]
    for shape in [(4,), (2, 3), (5,), (3, 2)]:
        cases.append({"x": rng.uniform(0.3, 2.5, shape), "y": rng.uniform(-2.0, 2.0, shape),
                      "grad_out": rng.normal(size=shape)})
    return cases


def _pow_oracle(x, y, grad_out):
    # bpcore's Value computes x ** y as exp(y ln x), whose derivatives it knows.
    grad_x, grad_y = np.zeros_like(x), np.zeros_like(y)
    for idx in np.ndindex(x.shape):
        xv, yv = Value(x[idx]), Value(y[idx])
        ((yv * xv.log()).exp() * float(grad_out[idx])).backward()
        grad_x[idx], grad_y[idx] = xv.grad, yv.grad
    return grad_x, grad_y


def pow_backward(x, y, grad_out):
    """The two shares of out = x ** y (x > 0): g y x^(y-1) for x and g x^y ln x for y."""
    out = x ** y
    return grad_out * y * x ** (y - 1), grad_out * out * np.log(x)


function(
    id="ch13-pow-backward", chapter=13, title="The backward rule of a power by a Value",
    prompt="bpcore's Value refuses x ** y when y is a Value. Derive the local derivatives of "
           "out = x^y (x > 0) with respect to BOTH x and y, and write def pow_backward(x, y, "
           "grad_out) returning the tuple (share_x, share_y): what a backward pass adds to "
           "x.grad and to y.grad when out.grad is grad_out. The arguments are arrays of "
           "independent cases, entry by entry. The check runs it on hidden cases against "
           "bpcore, which differentiates exp(y ln x).",
    name="pow_backward", params=("x", "y", "grad_out"), returns="a tuple of two arrays",
    cases=_pow_cases, oracle=_pow_oracle, model=pow_backward, rtol=1e-8,
    mistakes=[
        mistake("exponent treated as a constant",
                "Your share for y is 0: that is the rule for x ** k with k a plain number. "
                "Here y is a variable too: out = e^(y ln x), so ∂out/∂y = x^y ln x.",
                lambda x, y, g: (g * y * x ** (y - 1), np.zeros_like(y))),
        mistake("upstream gradient left out",
                "You returned the local derivatives themselves. A backward rule multiplies "
                "each by grad_out, the gradient arriving at out (the chain rule).",
                lambda x, y, g: (y * x ** (y - 1), x ** y * np.log(x))),
        mistake("ln x missing",
                "∂(x^y)/∂y is x^y ln x, not x^y: write x^y = e^(y ln x) and differentiate "
                "with respect to y.",
                lambda x, y, g: (g * y * x ** (y - 1), g * x ** y)),
    ],
    explanation="∂(x^y)/∂x = y x^(y−1) (the power rule, y held fixed) and ∂(x^y)/∂y = x^y ln x "
                "(from x^y = e^(y ln x)); each share is grad_out times its local derivative.")


def _lse_cases(rng):
    cases = [{"z": np.array([[0.5], [-1.0]]), "grad_out": np.array([[1.0]])}]
    for n, m in [(3, 4), (2, 1), (5, 3), (4, 2)]:
        cases.append({"z": rng.normal(size=(n, m)), "grad_out": rng.normal(size=(1, m))})
    return cases


def _lse_oracle(z, grad_out):
    # the log-sum-exp's gradient is the softmax of the column (bpcore's record)
    return softmax(z) * grad_out


def logsumexp_vjp(z, grad_out):
    """dC/dz for out = ln sum_i e^(z_i) per column: softmax(z) * grad_out, column by column."""
    e = np.exp(z - z.max(axis=0, keepdims=True))      # shifted: no overflow
    return e / e.sum(axis=0, keepdims=True) * grad_out


function(
    id="ch13-logsumexp-vjp", chapter=13, title="The VJP of a new matrix operation",
    prompt="A new operation for the matrix engine: the log-sum-exp of each column, "
           "out = ln Σ_i e^(z_i), which turns z of shape (n, m) into out of shape (1, m). "
           "Derive its vector-Jacobian product and write def logsumexp_vjp(z, grad_out) "
           "returning dC/dz, shape (n, m), given grad_out = dC/d(out), shape (1, m). Each "
           "column is a separate sample. The check runs it on hidden cases against bpcore.",
    name="logsumexp_vjp", params=("z", "grad_out"), returns="dC/dz, an array of the shape of z",
    cases=_lse_cases, oracle=_lse_oracle, model=logsumexp_vjp, rtol=1e-8,
    mistakes=[
        mistake("upstream gradient left out",
                "You returned the Jacobian's entries, ∂out/∂z_i, without multiplying by "
                "grad_out: the VJP is grad_out times them, column by column.",
                lambda z, g: softmax(z)),
        mistake("not normalised",
                "∂/∂z_i of ln Σ_j e^(z_j) is e^(z_i) / Σ_j e^(z_j): divide by the column's "
                "sum (the derivative of the ln).",
                lambda z, g: np.exp(z) * g),
        mistake("summed along the rows",
                "You normalised along each row. The sum in the log-sum-exp runs down a column "
                "(one sample): normalise with axis=0.",
                lambda z, g: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True) * g),
    ],
    explanation="∂out/∂z_i = e^(z_i) / Σ_j e^(z_j), the softmax of the column, so the VJP is "
                "softmax(z) ⊙ grad_out, grad_out spread over the column's n rows. Shifting z by "
                "its maximum first keeps e^z finite.")
