"""Auto-checked exercises of chapter 8 (declared with bpcore.exercises.core).

Chapter 8 works Matt Mazur's "A Step by Step Backpropagation Example" (2015) in the book's
notation: a 2-2-2 sigmoid network with inputs 0.05/0.10, targets 0.01/0.99, learning rate
0.5 and E = Σ ½(target − out)², which is the book's C for one sample.  His weights
w1..w8 are the entries of W¹ = [[w1, w2], [w3, w4]] and W² = [[w5, w6], [w7, w8]]
(row j = the neuron the weight goes TO, column k = the neuron it comes FROM).  The w6 and
w3 exercises ask for a SECOND round of the walk-through, which the post never publishes,
so the chapter's table of round-1 values does not give them away.  Every reference and
wrong answer is computed with bpcore.
"""
from __future__ import annotations

import bpcore
from bpcore.activations import sigmoid_prime
from bpcore.examples import mazur, network_state
from bpcore.formula import Formula, random_networks

from ..core import mistake, numeric


def _delta1_through_new_W2(d):
    """δ¹ by BP2 sent back through the already-updated W² (a mistake, see the chapter)."""
    return (d.W_new[2].T @ d.delta[2]) * sigmoid_prime(d.z[1])


_MAZUR_DATA = ("Mazur's network is d['net'] (W¹ = [[w1, w2], [w3, w4]], "
               "W² = [[w5, w6], [w7, w8]], b¹ = [0.35, 0.35], b² = [0.60, 0.60]), with input "
               "d['x'] = [0.05, 0.10], target d['y'] = [0.01, 0.99], learning rate "
               "η = d['eta'] = 0.5 and the quadratic cost. ")

_SECOND_ROUND = ("The chapter reproduces Mazur's first round. Run a second one, as the "
                 "walk-through would: start from the eight weights after round 1 (biases "
                 "still frozen), run the forward pass again, backpropagate, and update all "
                 "eight weights with η. ")


def _two_rounds(d):
    """The state of Mazur's walk-through at the start of round 2, and its weights after it."""
    return mazur(d.eta, rounds=2).round[2]


def _walk(d, new_weights):
    """W¹, W² (keyed by l) after two rounds in which each round's new weights are
    ``new_weights(s)``, s the network_state at the weights the round starts from."""
    net = d.net
    for _ in range(2):
        s = network_state(net, d.x, d.y, d.loss)
        net = net.replace(weights=new_weights(s))
    return {1: net.W(1), 2: net.W(2)}


def _one_entry_moved_by(d, l, j, k, gradient):
    """Two rounds in which w^l_jk (book indices) moves by η·gradient(s) instead of its own
    gradient and every other weight by its gradient: a mistake in one entry's BP4."""
    def new_weights(s):
        G = {m: s.grad_W[m].copy() for m in (1, 2)}
        G[l][j - 1, k - 1] = gradient(s)
        return [s.W[m] - d.eta * G[m] for m in (1, 2)]
    return _walk(d, new_weights)[l][j - 1, k - 1]


def _output_weights_first(d):
    """Two rounds of the 14 March program: W² updated first, then δ¹ by BP2 through it."""
    def new_weights(s):
        W2 = s.W[2] - d.eta * s.grad_W[2]
        delta1 = (W2.T @ s.delta[2]) * sigmoid_prime(s.z[1])
        return [s.W[1] - d.eta * delta1 @ s.a[0].T, W2]
    return _walk(d, new_weights)


def _two_full_rounds(d):
    """The network after two rounds that update the biases too (BP3), via bpcore.train."""
    return bpcore.train(d.net, d.x, d.y, epochs=2, learning_rate=d.eta, loss=d.loss,
                        progress=False).network


_BIASES_MOVED = ("You moved the four biases as well (bpcore.train does, with BP3). The "
                 "walk-through freezes them at 0.35 and 0.60 and updates only the eight "
                 "weights, in round 2 as in round 1.")


numeric(
    id="ch8-mazur-w6", chapter=8, title="Mazur's w6 after two rounds",
    prompt=_MAZUR_DATA + _SECOND_ROUND + "Mazur's w6 runs from hidden neuron h2 to output "
           "neuron o1. Give its value w6⁺⁺ after the second round, to at least 8 decimals.",
    setup=mazur, answer=lambda d: _two_rounds(d).W_new[2][0, 1],
    given_names=("net", "x", "y", "eta"), quantity="w6⁺⁺", rtol=1e-7, atol=1e-12,
    mistakes=[
        mistake("one round only",
                "That is w6⁺, the value after the FIRST round, which the chapter's table "
                "prints. Take it as the start of round 2 and do the round again.",
                lambda d: d.W_new[2][0, 1]),
        mistake("round-1 deltas reused",
                "You stepped twice with the gradient of round 1. Round 2 starts from new "
                "weights, so its outputs, its deltas and its gradient are new too: run the "
                "forward pass again at the round-1 weights and backpropagate from there.",
                lambda d: d.W[2][0, 1] - 2 * d.eta * d.grad_W[2][0, 1]),
        mistake("to and from swapped",
                "That is w7⁺⁺, the weight from h1 to o2: you read the two indices of w²_jk the "
                "wrong way round. In the book's w²_jk, j is the neuron the weight goes TO and "
                "k the one it comes FROM; find w6's row and column of W² from that.",
                lambda d: _two_rounds(d).W_new[2][1, 0]),
        mistake("wrong input activation",
                "You multiplied δ²₁ by out_h1 = a¹₁. BP4 pairs the delta at the weight's "
                "output end with the activation at its INPUT end: which hidden neuron does w6 "
                "leave?",
                lambda d: _one_entry_moved_by(d, 2, 1, 2,
                                              lambda s: s.delta[2][0, 0] * s.a[1][0, 0])),
        mistake("learning rate missing",
                "You subtracted the whole gradient in each round. The walk-through scales it "
                "by the learning rate: w6 − η ∂E/∂w6 with η = 0.5.",
                lambda d: mazur(1.0, rounds=2).round[2].W_new[2][0, 1]),
        mistake("sign flipped",
                "You added the gradient in each round; gradient descent subtracts it: "
                "w6 − η ∂E/∂w6.",
                lambda d: mazur(-d.eta, rounds=2).round[2].W_new[2][0, 1]),
        mistake("biases updated too", _BIASES_MOVED, lambda d: _two_full_rounds(d).w(2, 1, 2)),
    ],
    hint="Round 2 is round 1 again from the round-1 weights: a new forward pass, new deltas, "
         "then BP4 for w6 (the delta of the neuron it enters times the activation of the "
         "neuron it leaves) and one step with η.",
    explanation="w6 = w²₁₂. Round 2 starts at w6⁺ = 0.408666186, with all eight weights "
                "updated. Its forward pass brings out_o1 down from 0.75136507 to 0.74208811, "
                "and δ²₁ = (a²₁ − y₁) σ′(z²₁) = 0.14011679 (slightly larger than round 1's "
                "0.13849856: the error factor shrank, the slope σ′ grew). With a¹₂ = "
                "0.59686941, ∂E/∂w6 = δ²₁ a¹₂ = 0.08363143 and w6⁺⁺ = 0.408666186 − 0.5 · "
                "0.08363143 = 0.366850472.")


numeric(
    id="ch8-mazur-delta-h2", chapter=8, title="The hidden delta of h2",
    prompt=_MAZUR_DATA + "Give δ¹₂ = ∂E/∂net_h2, the delta of the second hidden neuron, "
           "before any weight changes. A single number; four significant figures are "
           "enough.",
    setup=mazur, answer=lambda d: d.delta[1][1, 0], given_names=("net", "x", "y"),
    quantity="δ¹₂", rtol=1e-4,
    mistakes=[
        mistake("σ′ missing",
                "That is ∂E/∂out_h2 = ((W²)ᵀ δ²)₂, the error at the neuron's output. Multiply "
                "by σ′(z¹₂) = out_h2 (1 − out_h2) to get the delta at its net input.",
                lambda d: (d.W[2].T @ d.delta[2])[1, 0]),
        mistake("W² not transposed",
                "You summed over the weights INTO o2 (row 2 of W²). h2 sends its output "
                "through w6 and w8, the weights FROM it: column 2 of W², i.e. (W²)ᵀ δ².",
                lambda d: ((d.W[2] @ d.delta[2]) * sigmoid_prime(d.z[1]))[1, 0]),
        mistake("updated W² used",
                "You sent δ² back through the UPDATED w6 and w8. Backpropagation uses the "
                "weights of the forward pass, as Mazur's text says: compute every gradient "
                "first, then update.",
                lambda d: _delta1_through_new_W2(d)[1, 0]),
    ],
    hint="Row 2 of BP2: the two output deltas, each weighted by the weight that carries h2's "
         "output to it, summed, times h2's own slope σ′(z¹₂).",
    explanation="BP2: δ¹ = ((W²)ᵀ δ²) ⊙ σ′(z¹). Row 2: (0.45 δ²₁ + 0.55 δ²₂) · "
                "out_h2 (1 − out_h2).")


numeric(
    id="ch8-mazur-w3", chapter=8, title="Mazur's w3 after two rounds",
    prompt=_MAZUR_DATA + _SECOND_ROUND + "In Mazur's figure and forward pass, w3 runs from "
           "input i1 to hidden neuron h2 (one line of the post labels it differently). Give "
           "its value w3⁺⁺ after the second round, to at least 8 decimals.",
    setup=mazur, answer=lambda d: _two_rounds(d).W_new[1][1, 0],
    given_names=("net", "x", "y", "eta"), quantity="w3⁺⁺", rtol=1e-7, atol=1e-12,
    mistakes=[
        mistake("labelled from the hidden-layer section",
                "You followed the formula net_h1 = w1·i1 + w3·i2 + b1 from the hidden-layer "
                "section of the post, which makes w3 a weight from i2 to h1. The figure, the "
                "forward pass and Mazur's published w3⁺ agree that w3 runs from i1 to h2.",
                lambda d: _one_entry_moved_by(d, 1, 2, 1,
                                              lambda s: s.delta[1][0, 0] * s.a[0][1, 0])),
        mistake("to and from swapped",
                "That is w2⁺⁺, the weight to h1 from i2: you read the two indices of w¹_jk the "
                "wrong way round. w3 goes TO h2 FROM i1; find its row and column of W¹ from "
                "that.",
                lambda d: _two_rounds(d).W_new[1][0, 1]),
        mistake("updated W² used in BP2",
                "You computed δ¹ through the already-updated w5..w8. Use the weights of the "
                "forward pass for the whole backward pass, then update, in every round.",
                lambda d: _output_weights_first(d)[1][1, 0]),
        mistake("one round only",
                "That is w3⁺, the value after the FIRST round, which the chapter's table "
                "prints. Take it as the start of round 2 and do the round again.",
                lambda d: d.W_new[1][1, 0]),
        mistake("round-1 deltas reused",
                "You stepped twice with the gradient of round 1. The output weights moved in "
                "round 1, so the hidden deltas of round 2 are different: run the forward pass "
                "again at the round-1 weights and backpropagate from there.",
                lambda d: d.W[1][1, 0] - 2 * d.eta * d.grad_W[1][1, 0]),
        mistake("biases updated too", _BIASES_MOVED, lambda d: _two_full_rounds(d).w(1, 2, 1)),
    ],
    hint="Round 2 is round 1 again from the round-1 weights: a new forward pass, new output "
         "and hidden deltas (BP2 through the round-1 output weights), then BP4 for w3 (the "
         "delta of the hidden neuron it enters times the input it leaves) and one step "
         "with η.",
    explanation="w3 = w¹₂₁. Round 2 starts at w3⁺ = 0.24975114 and recomputes δ¹₂ by BP2 "
                "through the round-1 output weights w5⁺..w8⁺: δ¹₂ = 0.00872515, down from "
                "round 1's 0.00995425. Then ∂E/∂w3 = δ¹₂ x₁ = 0.00043626 and w3⁺⁺ = "
                "0.24975114 − 0.5 · 0.00043626 = 0.249533015.")


def _full_round(d):
    """The network after one round that updates biases too (BP3), via bpcore.train."""
    return bpcore.train(d.net, d.x, d.y, epochs=1, learning_rate=d.eta, loss=d.loss,
                        progress=False).network


def _shared_bias_round(d):
    """One round with one bias per layer, moved by the sum of the layer's deltas."""
    biases = [b - d.eta * d.delta[l].sum() for l, b in ((1, d.b[1]), (2, d.b[2]))]
    return d.net.replace(weights=[d.W_new[1], d.W_new[2]], biases=biases)


numeric(
    id="ch8-bias-error", chapter=8, title="The error after one round with bias updates",
    prompt=_MAZUR_DATA + "Mazur's walk-through updates the eight weights and leaves the "
           "biases alone. Do one full round instead, updating the four biases too (BP3: "
           "b^l ← b^l − η δ^l), and give the total error E after that round. A single "
           "number; six significant figures please.",
    setup=mazur, answer=lambda d: bpcore.cost(_full_round(d), d.x, d.y, d.loss),
    given_names=("net", "x", "y", "eta"), quantity="E after one round", rtol=1e-6,
    mistakes=[
        mistake("biases frozen",
                "That is the error when only the weights move, as in the walk-through. Update "
                "the biases too: b^l ← b^l − η δ^l.",
                lambda d: bpcore.cost(d.net.replace(weights=[d.W_new[1], d.W_new[2]]),
                                      d.x, d.y, d.loss)),
        mistake("error before the update",
                "That is the error before the round, 0.298371109. Run the forward pass again "
                "with the new weights and biases.",
                lambda d: d.C),
        mistake("one shared bias per layer",
                "You kept one bias per layer, moved by the sum of the layer's deltas. In the "
                "book's network each neuron has its own bias b^l_j, moved by its own delta "
                "δ^l_j.",
                lambda d: bpcore.cost(_shared_bias_round(d), d.x, d.y, d.loss)),
    ],
    hint="Compute every delta at the starting values, then move the eight weights and the "
         "four biases at once, and run the forward pass again for E.",
    explanation="With the biases moving too, the first round lowers E from 0.298371109 to "
                "0.280471447, more than the walk-through's weights-only round.")


numeric(
    id="ch8-shared-bias", chapter=8, title="The gradient of Mazur's shared hidden bias",
    prompt=_MAZUR_DATA + "In Mazur's drawing one bias b1 feeds both hidden neurons h1 and h2 "
           "(the book gives each neuron its own b¹_j and sets both to 0.35). Treat b1 as a "
           "single parameter, a weight on a constant input 1 that reaches both hidden "
           "neurons, and derive ∂E/∂b1 at the starting weights. A single number; six "
           "significant figures please.",
    setup=mazur, answer=lambda d: float(d.delta[1].sum()), given_names=("net", "x", "y"),
    quantity="∂E/∂b1", rtol=1e-6,
    mistakes=[
        mistake("one neuron only",
                "That is ∂E/∂b¹₁, the bias of h1 alone. b1 reaches h2 as well, so E depends on "
                "it through net_h1 and net_h2: add the two paths.",
                lambda d: float(d.delta[1][0, 0])),
        mistake("averaged over the neurons",
                "You averaged the two neurons' terms. A parameter used twice collects the sum "
                "of its paths (the chain rule adds them); nothing is averaged over neurons.",
                lambda d: float(d.delta[1].mean())),
        mistake("output layer's bias",
                "That is ∂E/∂b2, the bias shared by the two OUTPUT neurons. b1 sits in front of "
                "the hidden layer: use the hidden deltas.",
                lambda d: float(d.delta[2].sum())),
    ],
    hint="b1 reaches E through each net input it feeds, and the chain rule adds one term per "
         "path. On each path, what is ∂net_hj/∂b1, and which quantity you already know is "
         "∂E/∂net_hj?",
    explanation="∂E/∂b1 = ∂E/∂net_h1 · 1 + ∂E/∂net_h2 · 1 = δ¹₁ + δ¹₂: BP3 for each neuron, "
                "summed over the two places where the shared parameter is used.")


def _tanh_hidden():
    """Mazur's network with a tanh hidden layer (output layer still sigmoid)."""
    ex = bpcore.examples.mazur_example()
    net = bpcore.Network(ex.net.weights, ex.net.biases, ["tanh", "sigmoid"])
    return bpcore.examples.network_state(net, ex.x, ex.y, ex.loss)


def _hidden_delta_with(d, local):
    """((W²)ᵀ δ²) ⊙ local: BP2 with the given local derivative of the hidden layer."""
    return (d.W[2].T @ d.delta[2]) * local


numeric(
    id="ch8-tanh-hidden-delta", chapter=8, title="δ¹ through a tanh hidden layer",
    prompt="d['net'] is Mazur's network with one change: the hidden neurons use tanh instead "
           "of the sigmoid (the outputs stay sigmoid; same weights, biases, input d['x'], "
           "target d['y'] and quadratic cost). Derive the hidden delta δ¹ = ∂E/∂net_h for "
           "this network and give it as a (2, 1) column.",
    setup=_tanh_hidden, answer=lambda d: d.delta[1], given_names=("net", "x", "y"),
    quantity="δ¹", rtol=1e-6,
    mistakes=[
        mistake("sigmoid's derivative kept",
                "You used out (1 − out), the sigmoid's derivative, for the tanh neurons. tanh "
                "has a derivative of its own: work it out and write it in terms of the "
                "neuron's output.",
                lambda d: _hidden_delta_with(d, d.a[1] * (1 - d.a[1]))),
        mistake("W² not transposed",
                "You summed over the weights INTO each output neuron (rows of W²). A hidden "
                "neuron sends its output through a column of W²: use (W²)ᵀ δ².",
                lambda d: (d.W[2] @ d.delta[2]) * (1 - d.a[1] ** 2)),
        mistake("local derivative missing",
                "That is ∂E/∂out_h = (W²)ᵀ δ², the error at the hidden outputs. Multiply it "
                "by the tanh neurons' own derivative to reach their net inputs.",
                lambda d: d.W[2].T @ d.delta[2]),
    ],
    hint="BP2 holds for any activation; only the local factor f′(z¹) changes. Write tanh′ "
         "in terms of tanh itself.",
    explanation="δ¹ = ((W²)ᵀ δ²) ⊙ (1 − (a¹)²), with δ² = (a² − y) ⊙ a²(1 − a²) from the "
                "tanh network's own forward pass.",
    formula=Formula(
        question="Type δ¹ for a tanh hidden layer (sigmoid outputs, quadratic cost) as a formula "
                 "in W2 = W², delta2 = δ², z1 = z¹ and a1 = a¹ = tanh(z¹), one column per "
                 "sample.",
        symbols={"W2": ("W^{2}", lambda d: d.W[2]),
                 "delta2": ("\\delta^{2}", lambda d: d.delta[2]),
                 "z1": ("z^{1}", lambda d: d.z[1]), "a1": ("a^{1}", lambda d: d.a[1])},
        functions=("tanh",), label="Mazur's network with tanh hidden neurons",
        variants=random_networks(((3, 2, 2), 3), ((2, 4, 4), 2),
                                 activations=["tanh", "sigmoid"]),
        solution="W2' * delta2 .* (1 - a1 .^ 2)",
        mistakes={"sigmoid's derivative kept": "W2' * delta2 .* a1 .* (1 - a1)",
                  "W² not transposed": "W2 * delta2 .* (1 - a1 .^ 2)",
                  "local derivative missing": "W2' * delta2"}))
