"""Auto-checked exercises of chapter 16: backpropagation through a convolution layer.

The kernel gradient as BP4 summed over positions, the input gradient as BP2 through the
sparse shared-weight matrix (a correlation with the flipped kernel), the two derivations of
both in one dimension, max pooling's routing of delta with ties, and the parameter count of
a convolution.  References come from :mod:`bpcore.conv`; wrong answers are computed from
the exercise's data (declared with bpcore.exercises.core).
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from bpcore import conv
from bpcore.formula import Formula

from ..core import function, mistake, numeric, symbolic

__all__ = ["max_pool_backward"]


# --------------------------------------------------------------------------------------
# The kernel gradient: BP4 on every position, summed.

def _kernel_gradient_data():
    rng = np.random.default_rng(16)
    x = np.round(rng.uniform(-1.0, 1.0, size=(5, 5)), 2)
    K = np.round(rng.normal(0.0, 0.5, size=(3, 3)), 2)
    delta = np.round(rng.normal(0.0, 1.0, size=(3, 3)), 2)
    return SimpleNamespace(x=x, K=K, delta=delta)


def _kernel_gradient(d):
    _, gK, _ = conv.conv2d_gradients(d.x[None, None], d.K[None, None], np.zeros(1),
                                     d.delta[None, None])
    return gK[0, 0]


numeric(
    id="ch16-kernel-gradient", chapter=16, title="The kernel gradient",
    prompt="A convolution layer with one channel in and out, no padding, stride 1, computes "
           "z = conv2d(x, K) from the 5×5 image d['x'] and the 3×3 kernel d['K'] (a "
           "cross-correlation: z[r, q] = Σ_ij K[i, j] x[r + i, q + j]). Backpropagation has "
           "delivered d['delta'] = ∂C/∂z, shape 3×3. Compute ∂C/∂K, a 3×3 array, with numpy "
           "(not with bpcore.conv, which computes it for you).",
    setup=_kernel_gradient_data, answer=_kernel_gradient,
    given_names=("x", "K", "delta"), quantity="∂C/∂K", rtol=1e-9,
    mistakes=[
        mistake("one position only",
                "That is BP4 at the first position alone: δ[0, 0] times the patch under the "
                "kernel there. The same K is used at all 9 positions (r, q), and each use "
                "adds a term of its own to ∂C/∂K: see the chapter's sum over positions.",
                lambda d: d.delta[0, 0] * d.x[:3, :3]),
        mistake("flipped",
                "Your array is the right one rotated by 180°. The forward pass is a "
                "correlation, K[i, j] meets x[r + i, q + j], so ∂C/∂K[i, j] = "
                "Σ_rq δ[r, q] x[r + i, q + j]: no flip for the kernel gradient.",
                lambda d: _kernel_gradient(d)[::-1, ::-1]),
        mistake("averaged over positions",
                "You divided by the 9 positions. Weight sharing makes the gradient a sum of "
                "the positions' contributions, not their mean (the mean over samples, if "
                "any, is already inside δ).",
                lambda d: _kernel_gradient(d) / 9),
    ],
    hint="K[i, j] enters every output z[r, q], each time multiplying a different input "
         "pixel; the chain rule adds one term per use (BP4 summed over positions).",
    explanation="∂C/∂K[i, j] = Σ_rq δ[r, q] x[r + i, q + j]: the correlation of x with δ, "
                "one term per position the kernel visited. In the dense form it is BP4, "
                "δ xᵀ, summed over the 9 entries of the big matrix that hold K[i, j].")


# --------------------------------------------------------------------------------------
# The input gradient through the dense matrix, with a ReLU after the convolution.

def _input_gradient_case(rng):
    K = np.round(rng.normal(0.0, 0.6, size=(1, 1, 3, 3)), 2)
    x = np.round(rng.uniform(-1.0, 1.0, size=(1, 1, 4, 4)), 2)
    M = conv.conv_matrix(K, (1, 4, 4), padding=1).matrix
    z = M @ x.reshape(16, 1)
    g = np.round(rng.normal(0.0, 1.0, size=(16, 1)), 2)
    return SimpleNamespace(M=M, K=K[0, 0], g=g, s=(z > 0).astype(float))


def _input_gradient_variants(rng):
    return [("a random 3×3 kernel and input", _input_gradient_case(rng)),
            ("another random case", _input_gradient_case(rng))]


numeric(
    id="ch16-input-gradient", chapter=16, title="The input gradient through the dense matrix",
    prompt="A convolution with the 3×3 kernel d['K'], padding 1, maps a 4×4 image to a 4×4 "
           "output, and a ReLU follows it: z = M x, a = relu(z), with x and z flattened row by "
           "row into columns of 16 and d['M'] the 16×16 sparse matrix of the convolution. "
           "You are given d['g'] = ∂C/∂a (16×1) and d['s'] = relu′(z) (16×1, entries 0 or "
           "1). Compute ∂C/∂x, a 16×1 column.",
    setup=lambda: _input_gradient_case(np.random.default_rng(160)),
    answer=lambda d: d.M.T @ (d.g * d.s),
    given_names=("M", "K", "g", "s"), quantity="∂C/∂x", rtol=1e-9,
    mistakes=[
        mistake("unflipped kernel",
                "You sent δ back through M itself, the matrix of the forward pass: that "
                "slides the kernel over δ unflipped. Look again at which matrix BP2 uses to "
                "carry δ back through a layer (chapter 5, and this chapter's BP2 through the "
                "matrix).",
                lambda d: d.M @ (d.g * d.s)),
        mistake("missing slope",
                "You sent ∂C/∂a back directly, skipping the ReLU between z and a. BP2 "
                "carries δ = ∂C/∂z, not ∂C/∂a: bring g across the ReLU with its slope first "
                "(the Hadamard factor of BP1/BP2).",
                lambda d: d.M.T @ d.g),
        mistake("slope on the wrong side",
                "You applied the slope relu′(z) after going back through the convolution, on "
                "the input side. The slope belongs to z, the convolution's output: it must act "
                "before δ crosses the layer.",
                lambda d: (d.M.T @ d.g) * d.s),
    ],
    hint="BP2 for a dense layer without its own activation: ∂C/∂x = Mᵀ δ, with δ = ∂C/∂z.",
    explanation="δ = g ⊙ s, then ∂C/∂x = Mᵀ δ. Reshaped to 4×4 it equals the full "
                "correlation of δ with the flipped kernel K[::-1, ::-1] (here with padding 1, "
                "since the forward pass had padding 1 and the kernel is 3×3).",
    formula=Formula(
        question="Type ∂C/∂x as a formula in M (the 16×16 matrix), g = ∂C/∂a and "
                 "s = relu′(z) (columns of 16).",
        symbols={"M": "M", "g": "g", "s": "s"},
        label="the exercise's kernel and input", variants=_input_gradient_variants,
        solution="M' * (g .* s)",
        mistakes={"unflipped kernel": "M * (g .* s)", "missing slope": "M' * g",
                  "slope on the wrong side": "(M' * g) .* s"},
        quantity="∂C/∂x"))


# --------------------------------------------------------------------------------------
# Derivations in one dimension.

_ONE_D = ("y_i = k1 x_i + k2 x_(i+1) + b for i = 1, 2, 3: a 1-D correlation of x = "
          "(x1, x2, x3, x4) with the kernel (k1, k2). Backpropagation has delivered "
          "d1, d2, d3, the ∂C/∂y_i.")

symbolic(
    id="ch16-kernel-gradient-1d", chapter=16, title="A shared weight's gradient, in 1-D",
    prompt=f"{_ONE_D} Derive ∂C/∂k2 as a sympy expression in x1..x4 and d1..d3.",
    variables=("x1", "x2", "x3", "x4", "k1", "k2", "d1", "d2", "d3"),
    answer=lambda s: s.d1 * s.x2 + s.d2 * s.x3 + s.d3 * s.x4,
    quantity="∂C/∂k2", domain=(-2.0, 2.0),
    mistakes=[
        mistake("one position only",
                "k2 appears in all three outputs, so ∂C/∂k2 has three terms, one per y_i. "
                "You kept only the first.",
                lambda s: s.d1 * s.x2),
        mistake("shifted",
                "That is ∂C/∂k1: k1 multiplies x_i in y_i, and k2 multiplies x_(i+1).",
                lambda s: s.d1 * s.x1 + s.d2 * s.x2 + s.d3 * s.x3),
        mistake("averaged",
                "You divided by the three positions. The chain rule adds the contributions "
                "of every use of k2; nothing is averaged.",
                lambda s: (s.d1 * s.x2 + s.d2 * s.x3 + s.d3 * s.x4) / 3),
    ],
    explanation="∂C/∂k2 = Σ_i (∂C/∂y_i)(∂y_i/∂k2) = d1 x2 + d2 x3 + d3 x4: the correlation "
                "of x with δ, evaluated at the kernel offset 2.")

symbolic(
    id="ch16-input-gradient-1d", chapter=16, title="An input's gradient, in 1-D",
    prompt=f"{_ONE_D} Derive ∂C/∂x2 as a sympy expression in k1, k2 and d1..d3.",
    variables=("x1", "x2", "x3", "x4", "k1", "k2", "d1", "d2", "d3"),
    answer=lambda s: s.k2 * s.d1 + s.k1 * s.d2,
    quantity="∂C/∂x2", domain=(-2.0, 2.0),
    mistakes=[
        mistake("unflipped kernel",
                "You paired k1 with d1 and k2 with d2: the kernel slid over δ unflipped. "
                "Write out y1 and y2 and read off which weight multiplies x2 in each; it is "
                "not the same pairing.",
                lambda s: s.k1 * s.d1 + s.k2 * s.d2),
        mistake("one output only",
                "x2 feeds two outputs, y1 and y2; its gradient adds both shares.",
                lambda s: s.k1 * s.d2),
        mistake("every output",
                "x2 does not feed y3 (y3 = k1 x3 + k2 x4 + b); only y1 and y2 contain it.",
                lambda s: s.k2 * s.d1 + s.k1 * s.d2 + s.k1 * s.d3),
    ],
    explanation="∂C/∂x2 = d1 ∂y1/∂x2 + d2 ∂y2/∂x2 = k2 d1 + k1 d2. Padding δ with a zero "
                "on each side and correlating it with the flipped kernel (k2, k1) gives every "
                "∂C/∂x_j at once: the full correlation with the flipped kernel.")


# --------------------------------------------------------------------------------------
# Parameter count.

numeric(
    id="ch16-parameter-count", chapter=16, title="Parameters of a convolution layer",
    prompt="A convolution layer takes images of d['c_in'] = 3 channels, 32×32, and has "
           "d['c_out'] = 16 output channels, 5×5 kernels, padding 2 and stride 1, with one "
           "bias per output channel. How many parameters (weights and biases) does it have?",
    setup=lambda: SimpleNamespace(c_in=3, c_out=16, k=5, h=32),
    answer=lambda d: d.c_out * d.c_in * d.k * d.k + d.c_out,
    given_names=("c_in", "c_out", "k", "h"), quantity="the number of parameters",
    rtol=0.0, atol=0.5,
    mistakes=[
        mistake("no biases",
                "You counted the kernel weights only; each of the 16 output channels has a "
                "bias too.",
                lambda d: d.c_out * d.c_in * d.k * d.k),
        mistake("one input channel",
                "Your count gives each kernel a single 5 × 5 grid of weights, as if the "
                "images had one channel. These images have 3 channels, and every kernel "
                "reads all of them: see the shape the chapter gives a kernel.",
                lambda d: d.c_out * d.k * d.k + d.c_out),
        mistake("weights per position",
                "You gave every output position its own kernel. That is the locally "
                "connected layer; a convolution shares one kernel across all 32 × 32 "
                "positions.",
                lambda d: (d.c_out * d.c_in * d.k * d.k + d.c_out) * d.h * d.h),
    ],
    hint="Count the kernels and the biases separately: how many of each the layer has, "
         "and how many weights one kernel holds (the chapter's definition of the layer "
         "gives its shape).",
    explanation="16 × 3 × 5 × 5 + 16 = 1,216. The dense matrix of the same layer has "
                "(16·32·32) × (3·32·32) ≈ 50 million entries, all but 1,200 of them zero or "
                "copies of a kernel weight.")


# --------------------------------------------------------------------------------------
# Implement: max pooling backwards, with the ties rule.

def max_pool_backward(x, delta):
    """dC/dx of non-overlapping max pooling of the 2-D x; the window size is
    x.shape[0] // delta.shape[0]; ties: the first maximum in reading order."""
    size = x.shape[0] // delta.shape[0]
    out = np.zeros_like(x)
    for r in range(delta.shape[0]):
        for q in range(delta.shape[1]):
            window = x[r * size:(r + 1) * size, q * size:(q + 1) * size]
            i, j = np.unravel_index(np.argmax(window), window.shape)
            out[r * size + i, q * size + j] = delta[r, q]
    return out


def _pool_cases(rng):
    cases = []
    for (h, w), size in [((4, 4), 2), ((6, 4), 2), ((6, 6), 3), ((4, 6), 2), ((2, 2), 2)]:
        x = rng.integers(0, 3, size=(h, w)).astype(float)     # small integers: many ties
        delta = np.round(rng.normal(0.0, 1.0, size=(h // size, w // size)), 2)
        cases.append({"x": x, "delta": delta})
    return cases


def _pool_oracle(x, delta):
    size = x.shape[0] // delta.shape[0]
    return conv.max_pool2d_gradients(x[None, None], size, delta[None, None])[0, 0]


def _windows(x, delta):
    size = x.shape[0] // delta.shape[0]
    h, w = delta.shape
    return size, x.reshape(h, size, w, size).transpose(0, 2, 1, 3)


def _split_ties(x, delta):
    size, win = _windows(x, delta)
    top = win == win.max(axis=(2, 3), keepdims=True)
    share = top * (delta / top.sum(axis=(2, 3)))[:, :, None, None]
    return share.transpose(0, 2, 1, 3).reshape(x.shape)


def _every_tie(x, delta):
    size, win = _windows(x, delta)
    top = win == win.max(axis=(2, 3), keepdims=True)
    return (top * delta[:, :, None, None]).transpose(0, 2, 1, 3).reshape(x.shape)


def _last_tie(x, delta):
    return _pool_oracle(x[::-1, ::-1], delta[::-1, ::-1])[::-1, ::-1]


function(
    id="ch16-max-pool-backward", chapter=16, title="Max pooling backwards, ties included",
    prompt="Write def max_pool_backward(x, delta) for max pooling of a 2-D array x in "
           "non-overlapping size × size windows, size = x.shape[0] // delta.shape[0] "
           "(it divides both sides). delta = ∂C/∂(pooled output) has one entry per window. "
           "Return ∂C/∂x, the shape of x: each window's delta goes to the window's maximum. "
           "When several entries of a window tie for the maximum, follow the book's rule: "
           "the first in reading order (row by row, left to right) receives all of it.",
    name="max_pool_backward", params=("x", "delta"),
    returns="∂C/∂x, an array of the shape of x",
    cases=_pool_cases, oracle=_pool_oracle, model=max_pool_backward,
    mistakes=[
        mistake("split among ties",
                "You shared a window's delta among its tied maxima. That is a valid "
                "subgradient, but not the book's rule (nor PyTorch's): the first maximum in "
                "reading order gets all of it.",
                _split_ties),
        mistake("every tie gets all",
                "Every tied maximum received the whole delta, so a window with two tied "
                "maxima sends back twice its delta. Give it to the first one only.",
                _every_tie),
        mistake("the last maximum",
                "You gave the delta to the last tied maximum in reading order (np.argmax "
                "returns the first; a >= comparison while scanning picks the last).",
                _last_tie),
    ],
    explanation="np.argmax over each window, flattened row by row, returns the first "
                "maximum; put the window's delta there and 0 elsewhere. bpcore.conv does it "
                "for the whole batch at once by comparing an arange with the argmax.")
