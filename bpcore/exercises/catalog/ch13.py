"""Auto-checked exercises of chapter 13: reverse-mode automatic differentiation.

Accumulation in a scalar graph, the gradient two half-batches accumulate in the matrix
engine, how many forward-mode passes a gradient costs, and two new operations to differentiate: a power by
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
# The matrix engine: two half-batches accumulate into one .grad.

def _half_batch_grad(net, x, y, loss):
    """W².grad after backward() on each half's mean cost, nothing reset in between: the
    parameters are Tensors shared by the two recorded forward passes."""
    params = [autodiff.Tensor(p, requires_grad=True) for p in net.weights + net.biases]
    L, m = net.n_layers, x.shape[1]
    for cols in (slice(0, m // 2), slice(m // 2, m)):
        a = x[:, cols]
        for W, b, name in zip(params[:L], params[L:], net.activations):
            a = autodiff.activate(autodiff.add_bias(W @ a, b), name)
        autodiff.cost(a, y[:, cols], loss).backward()
    return params[1].grad


def _half_batch_state(d):
    """The 2-layer network state ``d`` (an even batch), W².grad after the two half-batch
    passes, and what the exercise's formula reads (δ², a¹, m)."""
    return SimpleNamespace(net=d.net, x=d.x, y=d.y, m=d.m, delta2=d.delta[2], a1=d.a[1],
                           second=d.delta[2][:, d.m // 2:] @ d.a[1][:, d.m // 2:].T
                           / (d.m // 2),
                           w2_grad=_half_batch_grad(d.net, d.x, d.y, d.loss))


def _half_batch_data():
    return _half_batch_state(running_batch())


def _half_batch_variants(rng):
    """Two random 2-layer sigmoid networks on even batches, for the formula question."""
    return [(label, _half_batch_state(d))
            for label, d in random_networks(((3, 4, 2), 6), ((2, 3, 3), 4))(rng)]


numeric(
    id="ch13-half-batches", chapter=13, title="Two half-batches, one .grad",
    prompt="Take the running example's network on its batch of m = 4 samples (d['net'], "
           "d['x'], d['y'], quadratic cost). Make its weights and biases Tensors with "
           "requires_grad=True, as the chapter's XOR loop does, and record the forward pass "
           "on the first half of the batch, columns 0 and 1; call backward() on that half's "
           "mean cost. Then, without zero_grad(), record it on the second half, columns 2 and "
           "3, with the same Tensors, and call backward() on its mean cost. What does the "
           "Tensor of W² hold in .grad now? Predict the (2, 3) array, for example from "
           "bpcore.backprop on the whole batch, then confirm it with bpcore.autodiff.",
    setup=_half_batch_data, answer=lambda d: d.w2_grad, given_names=("net", "x", "y"),
    quantity="W².grad", rtol=1e-9,
    mistakes=[
        mistake("the full batch's gradient",
                "That is ∂C/∂W² of the whole batch's mean cost, what ONE backward pass over "
                "all four samples leaves. Here each pass's cost is the mean over its own half: "
                "count what each half's mean divides by, and add the two passes.",
                lambda d: d.delta2 @ d.a1.T / d.m),
        mistake("the second half only",
                "That is the second half's gradient alone, as if the second backward() had "
                "overwritten .grad (or zero_grad() had run in between). backward() adds to "
                ".grad; the first half's gradient is still there.",
                lambda d: d.second),
        mistake("the summed cost",
                "That is the gradient of the summed cost Σ_x C_x over all four samples. Each "
                "half's cost is a MEAN, over its own samples.",
                lambda d: d.delta2 @ d.a1.T),
    ],
    hint="Each pass adds the gradient of its half's mean cost, (1/(m/2)) Σ over the half of "
         "δ²_x (a¹_x)ᵀ, to .grad.",
    explanation="Each half's mean cost divides by m/2 = 2, so its gradient is (2/m) Σ over the "
                "half of δ²_x (a¹_x)ᵀ; the two passes add, and the sum over both halves is "
                "(2/m) δ² (a¹)ᵀ: twice the full batch's ∂C/∂W². To get the full batch's "
                "gradient from k equal parts without resetting (gradient accumulation), divide "
                "the accumulated .grad by k, or give each part's cost the weight 1/k.",
    formula=Formula(
        question="Type what W².grad holds after backward() on the mean cost of each of two "
                 "equal halves of a batch of m samples, nothing reset in between, as a "
                 "formula in delta2 (BP1's per-sample δ² for the whole batch, one column per "
                 "sample), a1 (a¹, one column per sample) and m.",
        symbols={"delta2": "\\delta^{2}", "a1": "a^{1}", "m": "m"},
        quantity="W².grad", label="the running example's batch of 4",
        variants=_half_batch_variants,
        solution="2 / m * delta2 * a1'",
        mistakes={"the full batch's gradient": "delta2 * a1' / m",
                  "the summed cost": "delta2 * a1'"},
        omit={"the second half only": "it needs the second half's columns, which the "
                                      "formula's symbols do not separate"}))


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
                "Here y is a variable too, and out changes when y does: hold x fixed and "
                "differentiate x^y with respect to y (writing x^y = e^(y ln x) helps).",
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
