"""Auto-checked exercises of chapter 11: one algorithm, many notations.

The exercises translate the running example into the conventions of the sources: Feng's
from-to weights, the derivation article's bias-folded matrix, the short note's row
vectors, and Feng's weight-gradient equations repaired so that their shapes chain.  Every
reference and every wrong answer is computed from the running example with bpcore
(declared with bpcore.exercises.core).
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

import bpcore
from bpcore import notation
from bpcore.activations import sigmoid, sigmoid_prime
from bpcore.examples import running, running_batch
from bpcore.formula import Formula, random_networks

from ..core import mistake, numeric


# --------------------------------------------------------------------------------------
# Feng's from-to weights.

numeric(
    id="ch11-from-to", chapter=11, title="The output layer's weights in Feng's convention",
    prompt="Feng (2020) writes w_ij for the weight FROM node i of the layer below TO node j, "
           "and collects them with i as the row. Give the running example's output-layer "
           "weights in that layout: the matrix whose entry (i, j) is the weight from hidden "
           "neuron i to output neuron j. d['net'] is the running example; its W² is "
           "d['net'].W(2).",
    setup=running, answer=lambda d: notation.to_from_to(d.net)[1], given_names=("net",),
    quantity="Feng's output-layer matrix",
    mistakes=[
        mistake("book's layout kept",
                "That is the book's W², shape (2, 3): row j holds the weights INTO output "
                "neuron j (to-from). In Feng's layout the row is the neuron the weight comes "
                "FROM: compare the two index orders.",
                lambda d: d.W[2]),
        mistake("hidden layer instead of output layer",
                "That is the hidden layer's matrix, (W¹)ᵀ. The output layer is the book's "
                "layer 2 (Feng's layer 3: he numbers the input layer 1).",
                lambda d: d.W[1].T),
        mistake("bias folded in",
                "You appended the biases as an extra row. Feng's weighted input (3) has no "
                "bias term; he updates the biases separately in (33)-(34). Give the weights "
                "alone.",
                lambda d: notation.fold_bias(d.W[2], d.b[2]).T),
    ],
    hint="Entry (i, j) of Feng's matrix is the weight from hidden neuron i to output neuron "
         "j: find where the book's W² keeps that weight.",
    explanation="Feng's matrix has the node of layer l-1 as its row and the node of layer l "
                "as its column: entry (i, j) = w_ij. That is the book's W² transposed, "
                "shape (n_1, n_2) = (3, 2); notation.to_from_to(net)[1] gives it.")


# --------------------------------------------------------------------------------------
# The derivation article's bias-folded matrix.

numeric(
    id="ch11-fold-bias", chapter=11, title="The hidden layer with its bias folded in",
    prompt="The derivation article gives every layer an extra input fixed at 1, placed LAST, "
           "and stores the bias as the weight on it: its matrix W_k has one row per neuron "
           "and nₗ₋₁ + 1 columns. Build that matrix for the running example's hidden "
           "layer from W¹ = d['net'].W(1) and b¹ = d['net'].b(1).",
    setup=running, answer=lambda d: notation.fold_bias(d.W[1], d.b[1]),
    given_names=("net",), quantity="[W¹ | b¹]",
    mistakes=[
        mistake("bias placed first",
                "You put the bias in the first column. The derivation article's bias neuron "
                "is the LAST entry of each layer's input (a_M = 1), so b is the last column.",
                lambda d: notation.fold_bias(d.W[1], d.b[1], position="first")),
        mistake("transposed",
                "That is [W¹ | b¹] transposed, the row-vector layout of the short note. The "
                "derivation article's W_k has one ROW per neuron: shape (n_1, n_0 + 1).",
                lambda d: notation.fold_bias(d.W[1], d.b[1]).T),
        mistake("bias left out",
                "That is W¹ alone, shape (3, 2). The bias is missing: it is the weight on the "
                "extra input, one more column.",
                lambda d: d.W[1]),
    ],
    hint="b¹ becomes one more column of the matrix, on the side where the extra input 1 sits.",
    explanation="[W¹ | b¹] = np.hstack([W1, b1[:, None]]), shape (3, 3); multiplied by "
                "[a⁰; 1] it gives W¹a⁰ + b¹ = z¹.")


# --------------------------------------------------------------------------------------
# Feng's (28)/(30), repaired.

def _feng_wrong_sigma(d):
    """ΔW for the hidden layer if eq. (23) is followed as printed: σ(m) where σ′(m) is
    meant, in the output delta."""
    delta2 = (d.a[2] - d.y) * sigmoid(d.z[2])
    delta1 = (d.W[2].T @ delta2) * sigmoid_prime(d.z[1])
    return d.a[0] @ delta1.T


numeric(
    id="ch11-feng-hidden-gradient", chapter=11,
    title="Feng's hidden-layer ΔW, with shapes that chain",
    prompt="Feng's (28) writes ΔWˡ = δˡ zˡ⁻¹, which does not chain for column vectors. "
           "In his own from-to layout (entry (i, j) = ∂Q/∂w_ij, i in the layer below) the "
           "hidden layer's ΔW is the outer product zˡ⁻¹ (δˡ)ᵀ, like his (15). Compute "
           "it for the running example (quadratic cost, one sample): zˡ⁻¹ is the input "
           "x = d['x'] and δˡ is the book's δ¹ = ∂C_x/∂z¹, from bpcore or by hand. d['net'] "
           "and d['y'] are given too.",
    setup=running, answer=lambda d: d.a[0] @ d.delta[1].T, given_names=("net", "x", "y"),
    quantity="Feng's ΔW for the hidden layer",
    mistakes=[
        mistake("book's layout",
                "That is the book's ∂C/∂W¹ = δ¹ xᵀ, shape (3, 2), in the to-from layout. "
                "Feng's ΔW has the input node as its row: x (δ¹)ᵀ, shape (2, 3), the "
                "transpose.",
                lambda d: d.grad_W[1]),
        mistake("σ instead of σ′ in δ²",
                "Your δ² used σ(z²) where σ′(z²) belongs: eq. (23) as printed drops the prime "
                "(σˡ⁺¹(m) for σˡ⁺¹′(m)). δ² = (a² − y) ⊙ σ′(z²).",
                lambda d: _feng_wrong_sigma(d)),
        mistake("output delta used",
                "You used δ², the output layer's delta, shape (2, 1). The hidden layer needs "
                "its own δ¹ = ((W²)ᵀ δ²) ⊙ σ′(z¹), shape (3, 1).",
                lambda d: d.a[0] @ d.delta[2].T),
    ],
    hint="Feng's ΔW for layer ℓ has shape (nₗ₋₁, nₗ): here (2, 3), from x of shape (2, 1) and "
         "δ¹ of shape (3, 1).",
    explanation="δ¹ = ((W²)ᵀ δ²) ⊙ σ′(z¹) with δ² = (a² − y) ⊙ σ′(z²). Feng's ΔW = x (δ¹)ᵀ, "
                "shape (2, 3), is the book's ∂C/∂W¹ transposed.")


# --------------------------------------------------------------------------------------
# The short note's row vectors.

def _row_batch():
    d = running()
    I = np.array([[0.05, 0.10], [0.90, 0.20], [-0.40, 0.70], [0.30, -0.60]])  # rows
    weights, biases = notation.to_row_layout(d.net)
    return SimpleNamespace(net=d.net, I=I, W1=weights[0], W2=weights[1], b1=biases[0],
                           b2=biases[1])


def _row_batches(rng):
    """Two random networks and batches in the row layout, for the formula question."""
    out = []
    for label, d in random_networks(((3, 4, 2), 3), ((2, 3, 3), 5))(rng):
        weights, biases = notation.to_row_layout(d.net)
        out.append((label + ", in rows", SimpleNamespace(net=d.net, I=d.x.T.copy(), W1=weights[0],
                                                          W2=weights[1], b1=biases[0],
                                                          b2=biases[1])))
    return out


numeric(
    id="ch11-row-output", chapter=11, title="The running example with row vectors",
    prompt="The short note stores a sample as a ROW and computes O = f₂(f₁(I W₁) W₂). "
           "d['I'] holds a batch of 4 samples as rows, shape (4, 2); d['W1'], d['W2'] and "
           "the bias rows d['b1'], d['b2'] are the running example in that layout (from "
           "notation.to_row_layout). Compute the output O, one row per sample, with the "
           "biases added (the note leaves them out, the running example has them).",
    setup=_row_batch,
    answer=lambda d: sigmoid(sigmoid(d.I @ d.W1 + d.b1) @ d.W2 + d.b2),
    given_names=("I", "W1", "W2", "b1", "b2"), quantity="O",
    mistakes=[
        mistake("columns, not rows",
                "You returned one COLUMN per sample, shape (2, 4): the book's layout. In the "
                "short note's layout every sample is a row, so O has shape (4, 2).",
                lambda d: bpcore.forward(d.net, d.I.T).output),
        mistake("biases left out",
                "You left out the biases, as the note's formula does. The running example has "
                "them: add each layer's bias row to every row of its weighted input, before "
                "the activation.",
                lambda d: sigmoid(sigmoid(d.I @ d.W1) @ d.W2)),
        mistake("hidden activation skipped",
                "You fed A₁ = I W₁ + b₁ into the second layer. The second layer reads "
                "O₁ = f₁(A₁), the hidden activation.",
                lambda d: sigmoid((d.I @ d.W1 + d.b1) @ d.W2 + d.b2)),
    ],
    hint="Row layout: A = I @ W + b with b a (1, n) row; O = sigmoid(A).",
    explanation="O = σ(σ(I W₁ + b₁) W₂ + b₂), shape (4, 2); it is bpcore's column-layout "
                "output transposed.",
    formula=Formula(
        question="In the short note's row layout, type the output O of a 2-layer sigmoid network "
                 "as a formula in I (one sample per row), W1, W2 (shapes (n₀, n₁), (n₁, n₂)) "
                 "and the bias rows b1, b2.",
        symbols={"I": "I", "W1": "W_{1}", "W2": "W_{2}", "b1": "b_{1}", "b2": "b_{2}"},
        functions=("sigma",), quantity="O", label="the running example's network on 4 rows",
        variants=_row_batches,
        solution="sigma(sigma(I * W1 + b1) * W2 + b2)",
        mistakes={"columns, not rows": "sigma(sigma(I * W1 + b1) * W2 + b2)'",
                  "biases left out": "sigma(sigma(I * W1) * W2)",
                  "hidden activation skipped": "sigma((I * W1 + b1) * W2 + b2)"}))


# --------------------------------------------------------------------------------------
# New derivations (issue 11): BP3 from the bias-as-weight view, and Punnen's chain of
# scalars for a weight of the hidden layer.

def _folded_gradient(d, delta):
    """(1/m) δ [a¹; 1]ᵀ: the gradient of the bias-folded matrix of layer 2."""
    return delta @ notation.append_ones(d.a[1]).T / d.m


numeric(
    id="ch11-folded-bias-gradient", chapter=11,
    title="BP3 from the bias-as-weight view",
    prompt="The derivation article (like Rumelhart, Hinton & Williams) has no bias rule: the "
           "bias is the weight on an extra input fixed at 1, placed last, so layer 2 has one "
           "matrix [W² | b²] of shape (2, 4). Using only that view and BP4, derive "
           "∂C/∂[W² | b²] for the running example's network d['net'] on the batch d['x'], "
           "d['y'] (four samples, one per column; C the mean of the quadratic loss over "
           "them). Give the (2, 4) matrix. What does its last column say about BP3?",
    setup=running_batch, answer=lambda d: _folded_gradient(d, d.delta[2]),
    given_names=("net", "x", "y"), quantity="∂C/∂[W² | b²]",
    mistakes=[
        mistake("summed, not averaged",
                "You summed over the four samples. C is the mean of the per-sample losses, "
                "so the gradient is the mean too: divide by m = 4, the bias column included.",
                lambda d: _folded_gradient(d, d.delta[2]) * d.m),
        mistake("bias input first",
                "Your bias column is first, as in Rumelhart, Hinton & Williams. The "
                "derivation article appends the input 1 LAST, so ∂C/∂b² is the last column.",
                lambda d: np.hstack([d.grad_b[2][:, None], d.grad_W[2]])),
        mistake("σ′ missing",
                "You used a² − y as the error. With a sigmoid output δ²_x = (a² − y) ⊙ σ′(z²) "
                "for each sample; the folded view changes the input, not the delta.",
                lambda d: _folded_gradient(d, d.a[2] - d.y)),
    ],
    hint="Append a row of ones to a¹ (shape (4, m)), then apply BP4 to the folded layer.",
    explanation="BP4 with the input [a¹; 1] gives ∂C/∂[W² | b²] = (1/m) δ² [a¹; 1]ᵀ. Its "
                "first three columns are BP4, (1/m) δ²(a¹)ᵀ; its last column is (1/m) δ² 1 = "
                "the mean of the columns of δ²: BP3 is BP4 for an input that is always 1.")


def _punnen_chain(d, paths, with_hidden_slope=True):
    """a⁰₁ σ′(z¹₂) Σ_r w²_r2 σ′(z²_r)(a²_r − y_r) over the output neurons r in paths."""
    slope1 = sigmoid_prime(d.z[1])[1, 0] if with_hidden_slope else 1.0
    return float(d.a[0][0, 0] * slope1 * sum(
        d.W[2][r, 1] * sigmoid_prime(d.z[2])[r, 0] * (d.a[2] - d.y)[r, 0] for r in paths))


numeric(
    id="ch11-punnen-hidden-weight", chapter=11,
    title="Punnen's chain of scalars for a hidden weight",
    prompt="Punnen follows one path from a weight to the cost, so each factor of his chain is "
           "a number. Do the same for a weight of the HIDDEN layer of the running example "
           "(d['net'], d['x'], d['y'], quadratic cost, one sample): w¹₂₁, the weight to "
           "hidden neuron 2 from input 1 in the book's to-from order. Write ∂C/∂w¹₂₁ as "
           "products of scalar derivatives, without matrices, and give its value.",
    setup=running, answer=lambda d: _punnen_chain(d, range(2)),
    given_names=("net", "x", "y"), quantity="∂C/∂w¹₂₁", rtol=1e-3, atol=1e-12,
    mistakes=[
        mistake("one path only",
                "You followed one path, through output neuron 1. Hidden neuron 2 feeds both "
                "outputs, so there are two paths from w¹₂₁ to C: multiply the local "
                "derivatives along each path and add the two products.",
                lambda d: _punnen_chain(d, [0])),
        mistake("hidden slope missing",
                "The factor ∂a¹₂/∂z¹₂ = σ′(z¹₂) is missing: the weight moves z¹₂, and a¹₂ = "
                "σ(z¹₂) passes the change on with that slope.",
                lambda d: _punnen_chain(d, range(2), with_hidden_slope=False)),
        mistake("to and from swapped",
                "That is ∂C/∂w¹₁₂, the weight to hidden neuron 1 from input 2. In the book's "
                "w^l_{jk} the first index is where the weight goes.",
                lambda d: float(d.grad_W[1][0, 1])),
    ],
    hint="The weight moves z¹₂ by a⁰₁ per unit; z¹₂ moves a¹₂; a¹₂ moves z²₁ and z²₂; each "
         "of those moves C.",
    explanation="∂C/∂w¹₂₁ = a⁰₁ · σ′(z¹₂) · Σ_r w²_r2 σ′(z²_r)(a²_r − y_r): one product per "
                "path, summed over the two output neurons. In matrices this is entry (2, 1) of "
                "BP4, δ¹(a⁰)ᵀ, with BP2's δ¹₂ = σ′(z¹₂) Σ_r w²_r2 δ²_r.")
