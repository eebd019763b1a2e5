"""Auto-checked exercises of chapter 16: backpropagation through a convolution layer.

The kernel gradient of a dilated convolution (BP4 summed over positions, for a forward
formula the chapter does not treat), the input gradient as BP2 through the sparse
shared-weight matrix (a correlation with the flipped kernel), the kernel and input
gradients of a 1-D convolution with stride 2, the entries of the dense matrix that hold a
kernel weight when there is padding, and max pooling's routing of delta with ties.
References come from :mod:`bpcore.conv`; wrong answers are computed from the exercise's
data (declared with bpcore.exercises.core).
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from bpcore import conv
from bpcore.formula import Formula

from ..core import function, mistake, numeric, symbolic

__all__ = ["max_pool_backward"]


# --------------------------------------------------------------------------------------
# The kernel gradient of a dilated convolution: BP4 summed over positions, for a layer
# whose forward formula the chapter does not treat.

DILATION = 2


def _kernel_gradient_data():
    rng = np.random.default_rng(16)
    x = np.round(rng.uniform(-1.0, 1.0, size=(7, 7)), 2)
    K = np.round(rng.normal(0.0, 0.5, size=(3, 3)), 2)
    delta = np.round(rng.normal(0.0, 1.0, size=(3, 3)), 2)
    return SimpleNamespace(x=x, K=K, delta=delta)


def _spread(K):
    """The dilated kernel as an ordinary one: K's taps DILATION apart, zeros between."""
    k = K.shape[0]
    wide = np.zeros((DILATION * (k - 1) + 1,) * 2)
    wide[::DILATION, ::DILATION] = K
    return wide


def _kernel_gradient(d):
    # The dilated layer is conv2d with the spread kernel; its gradient, read at the taps.
    _, g_wide, _ = conv.conv2d_gradients(d.x[None, None], _spread(d.K)[None, None],
                                         np.zeros(1), d.delta[None, None])
    return g_wide[0, 0, ::DILATION, ::DILATION]


def _summed(d, patch):
    return sum(d.delta[r, q] * patch(r, q) for r in range(3) for q in range(3))


numeric(
    id="ch16-kernel-gradient", chapter=16, title="The kernel gradient of a dilated convolution",
    prompt="A dilated convolution spreads its kernel's taps apart (Yu and Koltun, 2016). With "
           "one channel, no padding, stride 1 and dilation 2, the 3×3 kernel d['K'] reads the "
           "7×7 image d['x'] as z[r, q] = Σ_ij K[i, j] x[r + 2i, q + 2j], for r, q, i, j in "
           "0, 1, 2: a 3×3 output. Backpropagation has delivered d['delta'] = ∂C/∂z, shape "
           "3×3. Derive ∂C/∂K and compute it, a 3×3 array, with numpy (bpcore.conv has no "
           "dilation).",
    setup=_kernel_gradient_data, answer=_kernel_gradient,
    given_names=("x", "K", "delta"), quantity="∂C/∂K", rtol=1e-9,
    mistakes=[
        mistake("undilated",
                "That is the kernel gradient of the ordinary convolution, whose K[i, j] meets "
                "the pixel x[r + i, q + j]. In this layer K[i, j] meets another pixel: read "
                "it off the forward formula in the prompt.",
                lambda d: _summed(d, lambda r, q: d.x[r:r + 3, q:q + 3])),
        mistake("stride instead of dilation",
                "Your patches move by 2 pixels from one position to the next, as with a "
                "stride of 2. Here the positions move by 1 and the kernel's taps are spread "
                "apart: check which index the 2 multiplies in the forward formula.",
                lambda d: _summed(d, lambda r, q: d.x[2 * r:2 * r + 3, 2 * q:2 * q + 3])),
        mistake("flipped",
                "Your array is the right one rotated by 180°. The forward pass is a "
                "correlation, with no flip; the flip of the chapter belongs to the input "
                "gradient, not to the kernel gradient.",
                lambda d: _kernel_gradient(d)[::-1, ::-1]),
        mistake("one position only",
                "That is the term of the first position alone. The same K is used at all 9 "
                "positions (r, q), and each use adds a term of its own to ∂C/∂K.",
                lambda d: d.delta[0, 0] * d.x[0:5:2, 0:5:2]),
        mistake("one undilated position",
                "That is one position's term, with the ordinary convolution's 3×3 block of "
                "pixels. Two things differ here: K is used at all 9 positions, each adding a "
                "term, and the pixels K meets at one position are not a contiguous block "
                "(see the forward formula).",
                lambda d: d.delta[0, 0] * d.x[:3, :3]),
        mistake("averaged over positions",
                "You divided by the 9 positions. Weight sharing makes the gradient a sum of "
                "the positions' contributions, not their mean (the mean over samples, if "
                "any, is already inside δ).",
                lambda d: _kernel_gradient(d) / 9),
    ],
    hint="Follow the chapter's BP4 summed over positions, starting from this layer's forward "
         "formula: at one position (r, q), find the pixel that K[i, j] multiplies; then add "
         "one term per position.",
    explanation="z[r, q] depends on K[i, j] through the one term K[i, j] x[r + 2i, q + 2j], "
                "so ∂C/∂K[i, j] = Σ_rq δ[r, q] x[r + 2i, q + 2j]: at each position, δ[r, q] "
                "times the pixels the spread-out kernel touched, x[r:r + 5:2, q:q + 5:2], "
                "added over the 9 positions. Equivalently, the dilated layer is an ordinary "
                "convolution with a 5×5 kernel holding K at every other entry and zeros "
                "between; its kernel gradient, read at those entries, is the same array.")


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
    hint="Undo the forward pass in reverse order: first carry g across the ReLU to get "
         "δ = ∂C/∂z, then carry δ across the convolution as BP2 carries it across a dense "
         "layer (chapter 5), with the matrix that BP2 uses.",
    explanation="δ = g ⊙ s, then ∂C/∂x = Mᵀ δ. Reshaped to 4×4 it equals the full "
                "correlation of δ with the flipped kernel K[::-1, ::-1], whose padding k − 1 "
                "shrinks by the forward pass's padding P: 3 − 1 − 1 = 1 here.",
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
# Derivations in one dimension, with stride 2 (the chapter derives stride 1 only).

_ONE_D = ("A 1-D convolution with stride 2: y_i = k1 x_(2i-1) + k2 x_(2i) + k3 x_(2i+1) + b "
          "for i = 1, 2, 3, from x = (x1, ..., x7) and the kernel (k1, k2, k3), so the "
          "kernel moves two inputs between outputs. Backpropagation has delivered d1, d2, "
          "d3, the ∂C/∂y_i.")
_ONE_D_VARIABLES = ("x1", "x2", "x3", "x4", "x5", "x6", "x7", "k1", "k2", "k3",
                    "d1", "d2", "d3")

symbolic(
    id="ch16-kernel-gradient-1d", chapter=16, title="A shared weight's gradient, stride 2",
    prompt=f"{_ONE_D} Derive ∂C/∂k2 as a sympy expression in x1..x7 and d1..d3.",
    variables=_ONE_D_VARIABLES,
    answer=lambda s: s.d1 * s.x2 + s.d2 * s.x4 + s.d3 * s.x6,
    quantity="∂C/∂k2", domain=(-2.0, 2.0),
    mistakes=[
        mistake("stride 1",
                "Your inputs are neighbours, as if the kernel moved by one input per output. "
                "Here it moves by two: write out y1, y2 and y3 and read off which input k2 "
                "multiplies in each.",
                lambda s: s.d1 * s.x2 + s.d2 * s.x3 + s.d3 * s.x4),
        mistake("one position only",
                "k2 appears in all three outputs, so ∂C/∂k2 has three terms, one per y_i. "
                "You kept only the first.",
                lambda s: s.d1 * s.x2),
        mistake("shifted",
                "That is ∂C/∂k1: each y_i's first input is k1's, and k2 multiplies the next "
                "one.",
                lambda s: s.d1 * s.x1 + s.d2 * s.x3 + s.d3 * s.x5),
        mistake("averaged",
                "You divided by the three positions. The chain rule adds the contributions "
                "of every use of k2; nothing is averaged.",
                lambda s: (s.d1 * s.x2 + s.d2 * s.x4 + s.d3 * s.x6) / 3),
    ],
    explanation="∂C/∂k2 = Σ_i (∂C/∂y_i)(∂y_i/∂k2) = d1 x2 + d2 x4 + d3 x6: still one term "
                "per position, each δ times the input k2 met there, which is now every "
                "second input. It is the chapter's sum over positions with S = 2.")

symbolic(
    id="ch16-input-gradient-1d", chapter=16, title="An input's gradient, stride 2",
    prompt=f"{_ONE_D} Derive ∂C/∂x3 as a sympy expression in k1..k3 and d1..d3.",
    variables=_ONE_D_VARIABLES,
    answer=lambda s: s.k3 * s.d1 + s.k1 * s.d2,
    quantity="∂C/∂x3", domain=(-2.0, 2.0),
    mistakes=[
        mistake("stride 1",
                "That is the stride-1 answer, the full correlation with the flipped kernel "
                "worked out in the chapter. With stride 2, x3 does not feed every output a "
                "stride-1 kernel would reach: write out y1, y2 and y3 and see which contain "
                "x3.",
                lambda s: s.k3 * s.d1 + s.k2 * s.d2 + s.k1 * s.d3),
        mistake("unflipped kernel",
                "You paired the weights with the outputs the wrong way round. Read off "
                "which weight multiplies x3 in each output that contains it.",
                lambda s: s.k1 * s.d1 + s.k3 * s.d2),
        mistake("one output only",
                "x3 feeds two outputs; its gradient adds both shares.",
                lambda s: s.k3 * s.d1),
    ],
    explanation="x3 sits at the end of y1's window (weight k3) and at the start of y2's "
                "(weight k1), and y3 does not reach it, so ∂C/∂x3 = d1 ∂y1/∂x3 + d2 ∂y2/∂x3 "
                "= k3 d1 + k1 d2. An even input such as x4 lies in one window only: "
                "∂C/∂x4 = k2 d2. All seven at once: put a zero between the d's (d1, 0, d2, "
                "0, d3), pad with two zeros on each side, and correlate with the flipped "
                "kernel (k3, k2, k1). That is the chapter's full correlation applied to δ "
                "spread out by the stride, what Dumoulin and Visin (2016) call a transposed "
                "convolution.")


# --------------------------------------------------------------------------------------
# The entries of M that hold a kernel weight, with padding: the terms of BP4 on M.

def _entries_data():
    return SimpleNamespace(h=32, k=5, P=2)


def _entries(d):
    cm = conv.conv_matrix(np.ones((1, 1, d.k, d.k)), (1, d.h, d.h), padding=d.P)
    return int(np.count_nonzero(cm.kernel_index >= 0))


numeric(
    id="ch16-nonzero-entries", chapter=16, title="The kernel weights in M, with padding",
    prompt="A convolution with one channel in and out, a d['k'] = 5 × 5 kernel, padding "
           "d['P'] = 2 and stride 1 maps a d['h'] = 32 × 32 image to a 32 × 32 output. "
           "Written as the chapter's dense layer z = M x + b, with x and z flattened into "
           "columns of 1,024, M has a column for each real pixel (the padding's zeros have "
           "none). How many entries of M hold a kernel weight?",
    setup=_entries_data, answer=_entries,
    given_names=("h", "k", "P"), quantity="the number of entries", rtol=0.0, atol=0.5,
    mistakes=[
        mistake("padding counted",
                "You gave every position all 25 weights. Near the border some of the "
                "kernel's taps land on the padding, and M has no column there: those taps "
                "have no entry in that row.",
                lambda d: d.k ** 2 * d.h ** 2),
        mistake("no padding",
                "You counted the positions of the same kernel without padding. This layer "
                "has padding 2 and keeps all 32 × 32 positions; only some taps of the "
                "border positions are lost.",
                lambda d: d.k ** 2 * (d.h - d.k + 1) ** 2),
        mistake("every tap like the corner",
                "You let every weight lose as many positions as the corner weight K[0, 0]. "
                "A weight nearer the centre of the kernel lands on the padding at fewer "
                "positions: count each weight's positions separately.",
                lambda d: d.k ** 2 * (d.h - d.P) ** 2),
        mistake("distinct weights",
                "That is the number of distinct weights, the layer's parameters. M holds a "
                "copy of each weight in many rows; count the copies.",
                lambda d: d.k ** 2),
        mistake("every entry",
                "That is the size of M, 1,024 × 1,024. Most of its entries are zero: each "
                "row holds the weights of one patch only.",
                lambda d: d.h ** 4),
    ],
    hint="Count per weight: K[i, j] has an entry in the row of every position whose tap "
         "(i, j) lands on a real pixel, not on the padding. Then add over the 25 weights; "
         "the row and column directions can be counted separately.",
    explanation="Tap (i, j) of position (r, q) meets x_pad[r + i, q + j], a real pixel when "
                "0 ≤ r + i − 2 < 32 and 0 ≤ q + j − 2 < 32. Along one axis that leaves 30, 31, "
                "32, 31 and 30 positions for i = 0, ..., 4, 154 in all, and the two axes are "
                "independent, so M holds 154² = 23,716 copies of the kernel's 25 weights "
                "(2.3% of its 1,048,576 entries). These are the terms of BP4 on M: "
                "∂C/∂K[0, 0] sums 30² = 900 of them and ∂C/∂K[2, 2] all 1,024. Padding "
                "drops terms from the kernel gradient; it adds none.")


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
