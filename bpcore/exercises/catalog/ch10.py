"""Auto-checked exercises of chapter 10, the matrix view (declared with
bpcore.exercises.core).

Every reference answer and every catalogued mistake's wrong answer is computed here with
bpcore from the exercise's data; no number is typed in.
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

import bpcore
from bpcore import jacobians, notation
from bpcore.activations import sigmoid_prime, softmax

from bpcore.examples import network_state, running, running_batch
from bpcore.formula import Formula

from ..core import mistake, numeric

__all__ = ["softmax_z_state", "softmax_batch_state", "row_layout_state",
           "normalise_state"]


numeric(
    id="ch10-layer-jacobian", chapter=10, title="The Jacobian ∂z²/∂z¹ of the running example",
    prompt="For the running example, compute the Jacobian ∂z²/∂z¹ in numerator layout: entry "
           "(r, s) is ∂z²_r/∂z¹_s, where z² = W²σ(z¹) + b². Give the matrix (its shape is "
           "(n₂, n₁)).",
    setup=running, answer=lambda d: d.W[2] @ np.diag(sigmoid_prime(d.z[1])[:, 0]),
    given_names=("net", "x"), quantity="∂z²/∂z¹",
    mistakes=[
        mistake("σ′ missing",
                "That is W² alone. z² depends on z¹ through a¹ = σ(z¹), so every entry also "
                "carries the slope of σ at the z¹_s it differentiates by.",
                lambda d: d.W[2]),
        mistake("σ′ at the wrong layer",
                "You scaled by σ′(z²), the slope of the layer above. The activation between z¹ "
                "and z² is a¹ = σ(z¹): use σ′(z¹), one factor per column.",
                lambda d: np.diag(sigmoid_prime(d.z[2])[:, 0]) @ d.W[2]),
        mistake("denominator layout",
                "That is the transpose, the denominator layout that BP2 multiplies by. In "
                "numerator layout the rows follow the output z², so the shape is (n₂, n₁) = "
                "(2, 3).",
                lambda d: (d.W[2] @ np.diag(sigmoid_prime(d.z[1])[:, 0])).T),
    ],
    hint="Write z²_r = Σ_s w²_rs σ(z¹_s) + b²_r and differentiate it with respect to one "
         "z¹_s: only one term of the sum depends on it.",
    explanation="∂z²_r/∂z¹_s = w²_rs σ′(z¹_s): W² with column s multiplied by σ′(z¹_s). This "
                "is the derivation article's S matrix, and bpcore.jacobians.layer_jacobian(net, "
                "x, 1) computes it.")


def softmax_z_state():
    """A pre-activation z of four outputs and its softmax a."""
    z = np.array([1.0, 2.0, 0.5, -1.0])
    return SimpleNamespace(z=z, a=softmax(z[:, None])[:, 0])


def _softmax_inputs(rng):
    """Two more z (and their softmax) for the formula question, of 3 and 5 entries."""
    out = []
    for n in (3, 5):
        z = np.round(rng.normal(size=n), 2)
        out.append((f"a random z of {n} entries",
                    SimpleNamespace(z=z, a=softmax(z[:, None])[:, 0])))
    return out


numeric(
    id="ch10-softmax-jacobian", chapter=10, title="The softmax Jacobian",
    prompt="For z = d['z'] (four outputs), compute the Jacobian of a = softmax(z), the 4×4 "
           "matrix with entries J_ij = ∂a_i/∂z_j.",
    setup=softmax_z_state, answer=lambda d: jacobians.activation_jacobian("softmax", d.z),
    given_names=("z",), quantity="J",
    mistakes=[
        mistake("diagonal only",
                "You treated softmax like an element-wise activation, with a_i(1 − a_i) on "
                "the diagonal and zeros elsewhere. Each a_i depends on every z_j through the "
                "sum in the denominator, so the off-diagonal entries are not zero: see the "
                "chapter's softmax Jacobian.",
                lambda d: np.diag(d.a * (1 - d.a))),
        mistake("diagonal term missing",
                "That is −a aᵀ alone. J_ij = a_i(𝟙[i = j] − a_j) also has the term a_i on the "
                "diagonal: J = diag(a) − a aᵀ.",
                lambda d: -np.outer(d.a, d.a)),
        mistake("sign flipped",
                "The sign is flipped: a_i grows with its own z_i, so the diagonal is positive. "
                "J = diag(a) − a aᵀ.",
                lambda d: np.outer(d.a, d.a) - np.diag(d.a)),
    ],
    hint="a = softmax(z); then J = diag(a) − a aᵀ. Each column sums to 0, because Σ a_i = 1; "
         "each row too, because adding one number to every z_j leaves a unchanged.",
    explanation="J_ij = a_i(𝟙[i = j] − a_j), i.e. np.diag(a) - np.outer(a, a): positive diagonal, "
                "negative elsewhere, symmetric, rows summing to 0.",
    formula=Formula(
        question="Type the softmax Jacobian J (entries ∂a_i/∂z_j) as a formula in the column z "
                 "and the column a = softmax(z).",
        symbols={"z": ("z", lambda d: d.z), "a": ("a", lambda d: d.a)},
        functions=("exp", "sum", "diag"), quantity="J",
        label="z = (1, 2, 0.5, −1)", variants=_softmax_inputs,
        solution="diag(a) - a * a'",
        mistakes={"diagonal only": "diag(a .* (1 - a))",
                  "diagonal term missing": "-a * a'",
                  "sign flipped": "a * a' - diag(a)"}))


def softmax_batch_state():
    """A 2-3-3 sigmoid/softmax network, four samples with one-hot targets, cross-entropy."""
    ex = bpcore.examples.running_example()
    W2 = np.array([[0.40, 0.45, -0.30], [0.50, 0.55, 0.20], [-0.35, 0.10, 0.60]])
    net = bpcore.Network([ex.net.weights[0], W2], [ex.net.biases[0], np.array([0.6, 0.6, 0.1])],
                         ["sigmoid", "softmax"])
    batch = running_batch()
    y = bpcore.datasets.one_hot(np.array([0, 2, 1, 2]), 3)
    return network_state(net, batch.x, y, "cross_entropy")


numeric(
    id="ch10-softmax-ce-delta", chapter=10, title="δᴸ for softmax with cross-entropy",
    prompt="d['net'] is a 2-3-3 network with a softmax output layer, d['x'] a batch of four "
           "samples (one per column) and d['y'] their one-hot targets. With the cross-entropy "
           "cost, compute the output delta δ² = ∂C_x/∂z² of every sample, a (3, 4) array "
           "(per sample, as BP1 gives it, not divided by m).",
    setup=softmax_batch_state, answer=lambda d: d.a[2] - d.y,
    given_names=("net", "x", "y"), quantity="δ²",
    mistakes=[
        mistake("sigmoid slope",
                "You multiplied a − y by a(1 − a), as if softmax were element-wise. With "
                "cross-entropy the full softmax Jacobian cancels the 1/a of the cost exactly: "
                "see what the chapter's BP1 for softmax with cross-entropy simplifies to.",
                lambda d: (d.a[2] - d.y) * d.a[2] * (1 - d.a[2])),
        mistake("divided by m",
                "You divided by m = 4. The deltas are per sample; the 1/m of the mean cost "
                "enters only in BP3 and BP4.",
                lambda d: (d.a[2] - d.y) / d.m),
        mistake("stopped at ∂C/∂a",
                "That is ∂C_x/∂a² = −y/a², the first factor only. BP1 in matrix form "
                "multiplies it by the transposed softmax Jacobian, and with one-hot targets "
                "the product simplifies a great deal.",
                lambda d: -d.y / d.a[2]),
    ],
    hint="Run the forward pass for a², then apply BP1 in matrix form, δ² = Jᵀ ∇_a C_x, to "
         "each sample; the chapter showed what it simplifies to for softmax with the "
         "cross-entropy.",
    explanation="For softmax with cross-entropy and targets summing to 1, δᴸ = Jᵀ(−y/a) = a − y, "
                "column by column.")


def row_layout_state():
    """The running example's network on a batch of four samples, in the short note's rows."""
    d = running_batch()
    weights_row, biases_row = notation.to_row_layout(d.net)
    fp = bpcore.forward(d.net, d.x)
    I, Y = d.x.T.copy(), d.y.T.copy()
    O = [a.T for a in fp.activations]          # O[0] = I, O[l] = (a^l)^T
    A = [None] + [z.T for z in fp.zs]           # A[l] = (z^l)^T
    Delta2 = (O[2] - Y) * sigmoid_prime(A[2])
    return SimpleNamespace(I=I, Y=Y, weights_row=weights_row, biases_row=biases_row,
                           m=d.x.shape[1], O=O, A=A, Delta2=Delta2, grad_W=d.grad_W)


numeric(
    id="ch10-row-layout-gradient", chapter=10,
    title="∂C/∂W² in the short note's row layout",
    prompt="In the row layout a batch is I = d['I'], shape (m, n₀) = (4, 2), one sample per "
           "ROW, and a layer computes A = O W + b with W = d['weights_row'][l−1] of shape "
           "(n_{l−1}, n_l), then O = σ(A). Targets are the rows of d['Y']; the cost is the "
           "quadratic one, averaged over the m samples. Compute ∂C/∂W for the second layer in "
           "this layout (its shape is that of d['weights_row'][1], (3, 2)).",
    setup=row_layout_state, answer=lambda d: d.O[1].T @ d.Delta2 / d.m,
    given_names=("I", "Y", "weights_row", "biases_row"), quantity="∂C/∂W₂ (row layout)",
    mistakes=[
        mistake("column layout",
                "That is the book's column-layout ∂C/∂W², shape (n₂, n₁) = (2, 3). In the row "
                "layout W₂ is its transpose, (3, 2), and its gradient has W₂'s shape: in "
                "which order must O₁ and Δ₂ multiply?",
                lambda d: d.grad_W[2]),
        mistake("not averaged",
                "You summed the m samples' gradients over the batch. The cost is a mean over "
                "the samples, so its gradient is a mean too.",
                lambda d: d.O[1].T @ d.Delta2),
        mistake("σ′ missing",
                "You used O₂ − Y as the output error. With a sigmoid output and the quadratic "
                "cost, Δ₂ = (O₂ − Y) ⊙ σ′(A₂), row by row.",
                lambda d: d.O[1].T @ (d.O[2] - d.Y) / d.m),
    ],
    hint="Forward in rows: O₁ = σ(I W₁ + b₁), O₂ = σ(O₁ W₂ + b₂). Then find Δ₂, one row per "
         "sample, and combine it with O₁ into a product that has the shape of W₂ and averages "
         "over the m rows.",
    explanation="Row layout transposes everything: Δ₂ = (δ²)ᵀ and ∂C/∂W₂ = O₁ᵀΔ₂/m = "
                "((1/m) δ² (a¹)ᵀ)ᵀ, the transpose of the book's BP4.")


# --------------------------------------------------------------------------------------
# New derivations (issue 11): softmax with the quadratic cost, and a normalisation whose
# Jacobian has zero column sums but not zero row sums.

def _softmax_quadratic_state():
    """The 2-3-3 softmax network of ch10-softmax-ce-delta with the quadratic cost."""
    d = softmax_batch_state()
    return network_state(d.net, d.x, d.y, "mse")


def _softmax_jacobian_transposed_times(d, g):
    """Column by column, Jᵀ g with J the softmax Jacobian at that sample's z²."""
    return np.column_stack([jacobians.activation_jacobian("softmax", d.z[2][:, c]).T
                            @ g[:, c] for c in range(d.m)])


numeric(
    id="ch10-softmax-mse-delta", chapter=10,
    title="δᴸ for a softmax output with the quadratic cost",
    prompt="The chapter worked out δᴸ for softmax with the cross-entropy. Take the same 2-3-3 "
           "network d['net'] (softmax output), the batch d['x'] (four samples, one per column) "
           "and targets d['y'], but the quadratic cost C_x = ½‖y − a²‖². Derive the output "
           "delta δ² = ∂C_x/∂z² of each sample (per sample, not divided by m) and give the "
           "(3, 4) array.",
    setup=_softmax_quadratic_state,
    answer=lambda d: _softmax_jacobian_transposed_times(d, d.a[2] - d.y),
    given_names=("net", "x", "y"), quantity="δ²",
    mistakes=[
        mistake("element-wise slope",
                "You multiplied a − y by a(1 − a) entry by entry, keeping only the diagonal "
                "of the softmax Jacobian. Every a_i depends on every z_j: multiply ∇_a C_x "
                "by the full Jacobian, transposed, sample by sample.",
                lambda d: (d.a[2] - d.y) * d.a[2] * (1 - d.a[2])),
        mistake("cross-entropy shortcut",
                "a − y is the delta of softmax with the cross-entropy, where the 1/a of the "
                "cost cancels the Jacobian. The quadratic cost has no 1/a, so nothing "
                "cancels: carry ∇_a C_x through the Jacobian, sample by sample.",
                lambda d: d.a[2] - d.y),
        mistake("divided by m",
                "You divided by m = 4. δ²_x is one sample's ∂C_x/∂z²; the 1/m of the mean "
                "cost enters only in BP3 and BP4.",
                lambda d: _softmax_jacobian_transposed_times(d, d.a[2] - d.y) / d.m),
    ],
    hint="∇_a C_x = a² − y for each sample; the softmax Jacobian at that sample's z² is "
         "bpcore.jacobians.activation_jacobian('softmax', z) (or build it yourself).",
    explanation="BP1 with a full Jacobian: δ²_x = Jₓᵀ (a²_x − y_x), one column per sample. "
                "Entry j is a_j (a_j − y_j − Σ_i a_i (a_i − y_i)): the chapter's cancellation "
                "does not happen, and bpcore.output_delta(net, fp, y, 'mse') agrees.")


def normalise_state():
    """Positive z of four entries and its sum-normalisation a = z / Σ z."""
    z = np.array([2.0, 1.0, 0.5, 3.0])
    return SimpleNamespace(z=z, s=z.sum(), a=z / z.sum())


numeric(
    id="ch10-normalise-jacobian", chapter=10,
    title="The Jacobian of a = z / Σ z",
    prompt="Softmax is not the only way to turn a positive vector into proportions: "
           "a_i = z_i / Σ_k z_k does it too. For z = d['z'] (four positive entries), derive "
           "the Jacobian J_ij = ∂a_i/∂z_j in numerator layout and give the 4×4 matrix. Then "
           "look at its column sums and its row sums: which are zero, and why?",
    setup=normalise_state,
    answer=lambda d: (np.eye(len(d.z)) - d.a[:, None]) / d.s,
    given_names=("z",), quantity="J",
    mistakes=[
        mistake("softmax formula",
                "That is diag(a) − a aᵀ, the softmax Jacobian. Here a_i = z_i / Σ z is a "
                "different function: differentiate the quotient, remembering that the sum Σ z "
                "depends on every z_j.",
                lambda d: np.diag(d.a) - np.outer(d.a, d.a)),
        mistake("diagonal only",
                "Only the diagonal is filled in. Every a_i depends on every z_j through the "
                "sum in the denominator, so the off-diagonal entries are not zero.",
                lambda d: np.diag((1 - d.a) / d.s)),
        mistake("transposed",
                "That is Jᵀ, the denominator layout. In numerator layout row i holds the "
                "derivatives of a_i, entry (i, j) = ∂a_i/∂z_j: transpose your matrix, then "
                "look at its sums again.",
                lambda d: ((np.eye(len(d.z)) - d.a[:, None]) / d.s).T),
    ],
    hint="Quotient rule on a_i = z_i / S with S = Σ_k z_k, and ∂S/∂z_j = 1.",
    explanation="J_ij = (𝟙[i = j] − a_i) / S with S = Σ z, i.e. (I − a 1ᵀ) / S. The outputs "
                "always sum to 1, so every column sums to zero, as for softmax. The rows do "
                "not: a = z / Σ z changes when the same number is added to every z_j, while "
                "softmax does not, and that shift invariance is what makes softmax's rows "
                "sum to zero.")
