"""Tests for bpcore/exercises/catalog/: every entry of every chapter, and the reference
answers against independent oracles.

The catalog-wide tests run over every registered exercise, so a new entry is tested as
soon as it is added: its reference passes, each catalogued mistake gets its own hint, junk
is refused.  Oracles: hand-worked numbers for the running example, central finite
differences of the cost written out here, sympy differentiation, bpcore's engine for the
function exercises, and counting the cost evaluations numerical_gradients makes.
"""
from __future__ import annotations

import ast
import importlib
import pathlib
from types import SimpleNamespace

import numpy as np
import pytest
import sympy

import bpcore
from bpcore import engine, exercises, jacobians, notation, symbolic
from bpcore.activations import sigmoid, sigmoid_prime, softmax
from bpcore.examples import running, running_batch
from bpcore.exercises import Feedback

# The package of chapter modules (the name bpcore.exercises.catalog is the function).
catalog_package = importlib.import_module("bpcore.exercises.catalog")

PART_ONE = range(1, 7)
IDS = exercises.catalog()
JUNK = [None, "0.5", "import os", float("nan"), [], [[1, 2], [3]], {}, object()]
JUNK_IDS = ["None", "str-number", "str-code", "nan", "empty-list", "ragged", "dict", "object"]


def _wrong_answer(ex, mk):
    """The answer a learner who makes mistake ``mk`` would submit."""
    if isinstance(ex, exercises.NumericExercise):
        return mk.wrong(ex.setup())
    if isinstance(ex, exercises.SymbolicExercise):
        return mk.wrong(SimpleNamespace(**ex.data()))
    return mk.wrong  # a function exercise: the wrong implementation itself


FUNCTION_IDS = [i for i in IDS if exercises.get(i).kind == "function"]
MISTAKE_CASES = [(i, mk.name) for i in IDS for mk in exercises.get(i).known_mistakes]


# --------------------------------------------------------------------------------------
# The catalog: one module per chapter, found without a list.

def test_every_chapter_module_is_found_and_registers_only_its_chapter():
    folder = pathlib.Path(catalog_package.__file__).parent
    assert catalog_package.CHAPTERS == tuple(sorted(p.stem for p in folder.glob("ch[0-9][0-9].py")))
    # one catalog per chapter notebook that has exercises (every chapter does)
    chapters = pathlib.Path(__file__).resolve().parents[1] / "chapters"
    notebooks = sorted(chapters.glob("[0-9][0-9]_*.ipynb"))
    assert len(catalog_package.CHAPTERS) == len(notebooks) >= 12
    for name in catalog_package.CHAPTERS:
        module_ids = [i for i in IDS if exercises.get(i).chapter == int(name[2:])]
        assert module_ids, f"{name}.py registers no exercise"
    assert IDS == sorted(IDS, key=lambda i: exercises.get(i).chapter)


def test_catalog_has_at_least_18_exercises_and_3_per_part_one_chapter():
    assert len(IDS) >= 18
    assert len(set(IDS)) == len(IDS)
    for chapter in PART_ONE:
        ids = exercises.catalog(chapter=chapter)
        assert len(ids) >= 3, f"chapter {chapter} has only {ids}"
        assert all(i.startswith(f"ch{chapter}-") for i in ids)


def test_catalog_contains_the_exercises_the_chapters_cite():
    for exercise_id in ["ch1-forward-z1", "ch4-bp1-delta", "ch4-my-output-delta",
                        "ch5-bp2-delta1", "ch6-bp4-batch", "ch6-bp3-batch"]:
        assert exercise_id in IDS


def test_catalog_covers_every_kind_of_answer():
    kinds = {exercises.describe(i).kind for i in IDS}
    assert kinds == {"numeric", "symbolic", "function"}


@pytest.mark.parametrize("exercise_id", IDS)
def test_every_exercise_lists_at_least_two_mistakes(exercise_id):
    assert len(exercises.mistakes(exercise_id)) >= 2




# --------------------------------------------------------------------------------------
# Every exercise: the reference passes, each mistake gets its own hint, junk is refused.



@pytest.mark.parametrize("exercise_id", IDS)
def test_reference_answer_passes(exercise_id):
    fb = exercises.check(exercise_id, exercises.reference(exercise_id))
    assert isinstance(fb, Feedback)
    assert fb.correct, fb.message
    assert str(fb).startswith("✓ Correct")
    assert fb.mistake is None


@pytest.mark.parametrize("exercise_id,mistake_name", MISTAKE_CASES)
def test_each_catalogued_mistake_gets_its_own_hint(exercise_id, mistake_name):
    ex = exercises.get(exercise_id)
    mk = next(m for m in ex.known_mistakes if m.name == mistake_name)
    fb = ex.check(_wrong_answer(ex, mk))
    assert not fb.correct
    assert fb.mistake == mistake_name
    assert fb.message.startswith(ex.mistakes()[mistake_name])
    assert str(fb).startswith("✗ Not yet")


@pytest.mark.parametrize("exercise_id", IDS)
def test_mistake_hints_are_distinct_within_an_exercise(exercise_id):
    hints = list(exercises.mistakes(exercise_id).values())
    assert len(set(hints)) == len(hints)
    assert all(len(h) > 20 for h in hints)


@pytest.mark.parametrize("junk", JUNK, ids=JUNK_IDS)
@pytest.mark.parametrize("exercise_id", IDS)
def test_junk_answers_are_refused_politely(exercise_id, junk):
    fb = exercises.check(exercise_id, junk)
    assert isinstance(fb, Feedback)
    assert not fb.correct
    assert fb.mistake is None
    assert fb.message.startswith("Your answer")
    assert "Traceback" not in fb.message and len(fb.message) < 600


@pytest.mark.parametrize("exercise_id", [i for i in IDS
                                         if exercises.describe(i).kind != "function"])
def test_junk_messages_say_what_is_wrong(exercise_id):
    assert "text" in exercises.check(exercise_id, "0.5").message
    assert "None" in exercises.check(exercise_id, None).message
    assert "dict" in exercises.check(exercise_id, {}).message


@pytest.mark.parametrize("exercise_id", [i for i in IDS if exercises.get(i).kind == "numeric"])
def test_each_wrong_answer_is_what_the_check_calls_that_mistake(exercise_id):
    ex = exercises.get(exercise_id)
    wrong = ex.wrong_answers()
    assert set(wrong) == set(ex.mistakes())
    for name, (hint, value) in wrong.items():
        assert hint == ex.mistakes()[name]
        assert ex.check(value).mistake == name




# --------------------------------------------------------------------------------------
# Chapters 1-6: reference answers against independent oracles.



def _cost_of_z2(z2, y):
    return 0.5 * float(np.sum((y - sigmoid(z2)) ** 2))


def _central_difference(f, v, eps=1e-6):
    grad = np.zeros_like(v)
    for idx in np.ndindex(v.shape):
        up, down = v.copy(), v.copy()
        up[idx] += eps
        down[idx] -= eps
        grad[idx] = (f(up) - f(down)) / (2 * eps)
    return grad


def test_running_example_forward_matches_hand_worked_numbers():
    # z¹_1 = 0.15·0.05 + 0.20·0.10 + 0.35 = 0.3775, and so on.
    np.testing.assert_allclose(exercises.reference("ch1-forward-z1"),
                               [[0.3775], [0.3925], [-0.1925]], atol=1e-12)
    np.testing.assert_allclose(exercises.reference("ch1-forward-a1"),
                               1 / (1 + np.exp(-np.array([[0.3775], [0.3925], [-0.1925]]))))


def test_output_delta_reference_matches_finite_differences():
    d = running()
    fd = _central_difference(lambda z2: _cost_of_z2(z2, d.y), d.z[2])
    np.testing.assert_allclose(exercises.reference("ch4-bp1-delta"), fd, rtol=1e-7)


def test_hidden_delta_reference_matches_finite_differences():
    d = running()

    def cost_of_z1(z1):
        return _cost_of_z2(d.W[2] @ sigmoid(z1) + d.b[2][:, None], d.y)

    fd = _central_difference(cost_of_z1, d.z[1])
    np.testing.assert_allclose(exercises.reference("ch5-bp2-delta1"), fd, rtol=1e-6)


def test_gradient_references_match_bpcore_numerical_gradients():
    d = running_batch()
    num = bpcore.numerical_gradients(d.net, d.x, d.y, "mse", 1e-6)
    np.testing.assert_allclose(exercises.reference("ch6-bp4-batch"), num.weights[1], rtol=1e-6)
    np.testing.assert_allclose(exercises.reference("ch6-bp3-batch"), num.biases[1], rtol=1e-6)
    ex = bpcore.examples.running_example()
    single = bpcore.numerical_gradients(ex.net, ex.x, ex.y, "mse", 1e-6)
    np.testing.assert_allclose(exercises.reference("ch6-bp4-single"), single.weights[0],
                               rtol=1e-5)


def test_cost_references_follow_the_definition():
    data = exercises.data("ch2-cost-batch")
    a, y = data["a"], data["y"]
    by_hand = sum(0.5 * np.sum((y[:, k] - a[:, k]) ** 2) for k in range(4)) / 4
    assert exercises.reference("ch2-cost-batch") == pytest.approx(by_hand)
    d = running()
    assert exercises.reference("ch2-cost-running") == pytest.approx(
        0.5 * ((0.01 - d.a[2][0, 0]) ** 2 + (0.99 - d.a[2][1, 0]) ** 2))


def test_one_neuron_gradient_and_nudge_match_finite_differences():
    def cost(w):
        a = 1 / (1 + np.exp(-(w * 1.5 + 0.3)))
        return 0.5 * (a - 0.25) ** 2

    slope = (cost(0.9 + 1e-6) - cost(0.9 - 1e-6)) / 2e-6
    assert exercises.reference("ch3-one-neuron-dcdw") == pytest.approx(slope, rel=1e-7)
    actual_change = cost(0.91) - cost(0.9)
    assert exercises.check("ch3-nudge", actual_change).correct  # within the 1% allowed
    assert exercises.reference("ch3-nudge") == pytest.approx(0.01 * slope, rel=1e-7)


def test_gradient_descent_step_reference():
    data = exercises.data("ch2-gd-step")
    d = running()
    np.testing.assert_allclose(data["grad_W2"], bpcore.backprop(d.net, d.x, d.y).weights[1])
    np.testing.assert_allclose(exercises.reference("ch2-gd-step"),
                               data["W2"] - 0.5 * data["grad_W2"])


def test_shape_references():
    assert exercises.reference("ch1-batch-shape") == (10, 64)
    assert exercises.reference("ch5-delta-shape") == (30, 64)
    assert exercises.check("ch1-batch-shape", (10, 64)).correct
    assert exercises.check("ch1-batch-shape", [10, 64]).correct
    assert not exercises.check("ch1-batch-shape", (10, 63)).correct


def test_bce_delta_reference_is_a_minus_y():
    d = running()
    np.testing.assert_allclose(exercises.reference("ch4-delta-bce"), d.a[2] - d.y)


def test_symbolic_references_match_numerical_derivatives():
    z = sympy.Symbol("z")
    f = sympy.lambdify(z, exercises.reference("ch4-sigmoid-prime"))
    for v in [-3.0, -0.5, 0.0, 0.7, 2.5]:
        assert f(v) == pytest.approx((sigmoid(v + 1e-6) - sigmoid(v - 1e-6)) / 2e-6, rel=1e-7)
    w, x, b = sympy.symbols("w x b")
    g = sympy.lambdify((w, x, b), exercises.reference("ch3-composite-derivative"))
    fw = lambda wv: sigmoid(wv * 1.3 - 0.4)  # noqa: E731
    assert g(0.8, 1.3, -0.4) == pytest.approx((fw(0.8 + 1e-6) - fw(0.8 - 1e-6)) / 2e-6, rel=1e-7)


def _assert_same_numbers(got, want):
    """Equal to 1e-12, entry by entry; lists and tuples of arrays compared position by position."""
    if isinstance(want, (list, tuple)):
        assert isinstance(got, (list, tuple)) and len(got) == len(want)
        for g, w in zip(got, want):
            _assert_same_numbers(g, w)
        return
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("exercise_id", FUNCTION_IDS)
def test_model_solutions_agree_with_the_bpcore_oracle(exercise_id):
    ex = exercises.get(exercise_id)
    model = ex.reference()
    assert callable(model)
    for case in ex.hidden_cases():
        args = [case[p] for p in ex.params]
        _assert_same_numbers(model(*args), ex.oracle(*args))


def test_function_oracles_are_bpcore_and_not_the_model():
    # The oracle goes through bpcore's engine; a hand-written BP1 agrees with it.
    ex = exercises.get("ch4-my-output-delta")
    rng = np.random.default_rng(123)
    z = rng.normal(size=(3, 4))
    a, y = sigmoid(z), rng.uniform(size=(3, 4))
    np.testing.assert_allclose(ex.oracle(a, y, z), (a - y) * sigmoid_prime(z), rtol=1e-12)


# --------------------------------------------------------------------------------------
# Chapters 7-12: reference answers against published numbers and independent oracles
# (jacobians.numerical_jacobian: central differences, itself tested in test_jacobians.py).

def test_ch7_updates_per_epoch_counts_the_last_partial_batch():
    d = exercises.data("ch7-updates-per-epoch")
    assert exercises.reference("ch7-updates-per-epoch") == -(-d["m"] // d["batch_size"])


def test_ch7_momentum_step_follows_the_rule_by_hand():
    d = exercises.data("ch7-momentum-step")
    net, x, y, eta, alpha = d["net"], d["x"], d["y"], d["eta"], d["alpha"]
    g0 = bpcore.backprop(net, x, y)
    step1 = -eta * g0.weights[1]
    net1 = net.replace(weights=[W - eta * g for W, g in zip(net.weights, g0.weights)],
                       biases=[b - eta * g for b, g in zip(net.biases, g0.biases)])
    step2 = -eta * bpcore.backprop(net1, x, y).weights[1] + alpha * step1
    np.testing.assert_allclose(exercises.reference("ch7-momentum-step"), step2, rtol=1e-12)


def _mazur_round_by_central_differences(W1, W2, eta=0.5):
    """One round of Mazur's walk-through (weights only, biases frozen) with numpy: each
    weight moves by eta times the central difference of E written out here."""
    x, y = np.array([[0.05], [0.10]]), np.array([[0.01], [0.99]])

    def E(V1, V2):
        out = sigmoid(V2 @ sigmoid(V1 @ x + 0.35) + 0.60)
        return 0.5 * float(np.sum((y - out) ** 2))

    return (W1 - eta * _central_difference(lambda V: E(V, W2), W1),
            W2 - eta * _central_difference(lambda V: E(W1, V), W2))


def test_ch8_references_are_the_second_round_of_mazurs_walk_through():
    W1, W2 = _mazur_round_by_central_differences(np.array([[0.15, 0.20], [0.25, 0.30]]),
                                                 np.array([[0.40, 0.45], [0.50, 0.55]]))
    # round 1 ends at Mazur's published w6+ = w²₁₂ and w3+ = w¹₂₁
    assert (W2[0, 1], W1[1, 0]) == (pytest.approx(0.408666186, abs=5e-9),
                                    pytest.approx(0.24975114, abs=5e-9))
    W1, W2 = _mazur_round_by_central_differences(W1, W2)
    assert exercises.reference("ch8-mazur-w6") == pytest.approx(W2[0, 1], abs=1e-9)
    assert exercises.reference("ch8-mazur-w3") == pytest.approx(W1[1, 0], abs=1e-9)


def test_ch9_central_difference_reference_follows_the_definition():
    ex = bpcore.examples.running_example()
    eps = exercises.data("ch9-central-difference")["eps"]

    def cost(dw):
        W2 = np.array(ex.net.weights[1])
        W2[0, 0] += dw
        return bpcore.cost(ex.net.replace(weights=[ex.net.weights[0], W2]), ex.x, ex.y)

    want = (cost(eps) - cost(-eps)) / (2 * eps)
    assert exercises.reference("ch9-central-difference") == pytest.approx(want, rel=1e-14)
    # and it is within the Taylor error ~ eps^2 |C'''| / 6 of backprop's exact value
    exact = bpcore.backprop(ex.net, ex.x, ex.y).weights[1][0, 0]
    assert abs(want - exact) < eps ** 2 * 0.02 / 6 * 1.5


def test_ch9_relative_error_reference_is_bpcore_relative_error():
    d = exercises.data("ch9-relative-error")
    assert exercises.reference("ch9-relative-error") == pytest.approx(
        bpcore.relative_error(d["g1"], d["g2"]), rel=1e-12)


def test_ch9_forward_pass_count_is_what_numerical_gradients_does(monkeypatch):
    calls = []
    real = engine._cost

    def counting(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(bpcore.gradcheck, "_cost", counting)
    sizes = exercises.data("ch9-forward-passes")["sizes"]
    net = bpcore.Network.random(sizes, seed=1)
    rng = np.random.default_rng(0)
    bpcore.numerical_gradients(net, rng.normal(size=(sizes[0], 2)),
                               rng.uniform(size=(sizes[-1], 2)))
    assert len(calls) == exercises.reference("ch9-forward-passes")


def test_ch10_layer_jacobian_reference_is_the_finite_difference_jacobian():
    ex = bpcore.examples.running_example()
    W2, b2 = ex.net.weights[1], ex.net.biases[1]
    z1 = bpcore.forward(ex.net, ex.x).zs[0][:, 0]

    def layer(z):  # z^1 -> z^2 of the sigmoid network, one sample
        return W2 @ sigmoid(z) + b2

    np.testing.assert_allclose(exercises.reference("ch10-layer-jacobian"),
                               jacobians.numerical_jacobian(layer, z1), atol=1e-9)


def test_ch10_softmax_jacobian_reference_matches_sympy():
    z = exercises.data("ch10-softmax-jacobian")["z"]
    np.testing.assert_allclose(exercises.reference("ch10-softmax-jacobian"),
                               symbolic.softmax_jacobian(4).evaluate(*z), atol=1e-14)


def test_ch10_softmax_delta_reference_matches_finite_differences_per_sample():
    d = exercises.data("ch10-softmax-ce-delta")
    net, x, y = d["net"], d["x"], d["y"]
    zs = bpcore.forward(net, x).zs
    ref = exercises.reference("ch10-softmax-ce-delta")
    for i in range(x.shape[1]):
        def cost_of_z2(z):
            a = softmax(z[:, None])[:, 0]
            return -np.sum(y[:, i] * np.log(a))
        fd = jacobians.numerical_jacobian(lambda z: np.array([cost_of_z2(z)]), zs[1][:, i])[0]
        np.testing.assert_allclose(ref[:, i], fd, atol=1e-8)


def test_ch10_row_layout_reference_is_the_transposed_finite_difference_gradient():
    d = exercises.data("ch10-row-layout-gradient")
    net = notation.from_row_layout(d["weights_row"], d["biases_row"], "sigmoid")
    # C-ordered copies: numerical_gradients returns zeros for Fortran-ordered weights
    # (such as the transposes from_row_layout makes), an engine bug reported to the lead.
    net = net.replace(weights=[np.ascontiguousarray(W) for W in net.weights])
    x, y = d["I"].T, d["Y"].T
    fd = bpcore.numerical_gradients(net, x, y, "mse", eps=1e-6)
    np.testing.assert_allclose(exercises.reference("ch10-row-layout-gradient"),
                               fd.weights[1].T, atol=1e-9)


def test_ch11_feng_layouts_are_the_books_transposed():
    d = running()
    np.testing.assert_allclose(exercises.reference("ch11-from-to"), d.W[2].T)
    np.testing.assert_allclose(exercises.reference("ch11-feng-hidden-gradient"), d.grad_W[1].T)


def test_ch12_equivalent_rate_gives_rhws_step():
    d = exercises.data("ch12-equivalent-rate")
    eta = exercises.reference("ch12-equivalent-rate")
    # -eta dC/dw = -epsilon dE/dw with E = m C, for any gradient g = dC/dw
    g = 0.37
    assert eta * g == pytest.approx(d["epsilon"] * d["m"] * g)


# --------------------------------------------------------------------------------------
# Wrong answers are computed, never typed in.

def _is_literal(node):
    """True for a number, or a list/tuple of numbers, typed into the source."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp):
        return _is_literal(node.operand)
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(_is_literal(e) for e in node.elts)
    if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in {"array", "asarray"}:
        return all(_is_literal(a) for a in node.args)
    return False


def test_no_wrong_answer_is_a_hard_coded_number():
    found = 0
    folder = pathlib.Path(catalog_package.__file__).parent
    for path in sorted(folder.glob("ch[0-9][0-9].py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = {f.name: f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "mistake":
                wrong = node.args[2] if len(node.args) > 2 else None
                where = f"{path.name} line {node.lineno}"
                if isinstance(wrong, ast.Name):  # a function of the module computes it
                    assert wrong.id in functions, f"{where}: {wrong.id} is not defined here"
                    returns = [r.value for r in ast.walk(functions[wrong.id])
                               if isinstance(r, ast.Return)]
                    assert returns and not any(_is_literal(r) for r in returns), \
                        f"{where}: {wrong.id} returns a hard-coded wrong answer"
                else:
                    assert isinstance(wrong, ast.Lambda), \
                        f"{where}: wrong must be a lambda or a function of the module"
                    assert not _is_literal(wrong.body), f"{where}: a hard-coded wrong answer"
                found += 1
    assert found == sum(len(exercises.mistakes(i)) for i in IDS)
