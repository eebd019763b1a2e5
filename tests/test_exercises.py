"""Tests for bpcore.exercises: the catalog, the checkers, and the exercises' reference answers.

Oracles: hand-worked numbers for the running example, central finite differences of the
cost, sympy differentiation, and bpcore's own engine for the function exercises.  The
catalog-wide tests run automatically over every registered exercise, so a new entry is
tested as soon as it is added.
"""
from __future__ import annotations

import ast
import builtins
import pathlib
import re

import numpy as np
import pytest
import sympy

import bpcore
from bpcore import exercises
from bpcore.activations import sigmoid, sigmoid_prime
from bpcore.exercises import Feedback, core
from bpcore.exercises.catalog import running, running_batch

PART_ONE = range(1, 7)
IDS = exercises.catalog()
JUNK = [None, "0.5", "import os", float("nan"), [], [[1, 2], [3]], {}, object()]
JUNK_IDS = ["None", "str-number", "str-code", "nan", "empty-list", "ragged", "dict", "object"]


def _exercise(exercise_id):
    return core.get(exercise_id)


def _wrong_answer(exercise_id, mk):
    """The answer a learner who makes mistake ``mk`` would submit."""
    ex = _exercise(exercise_id)
    if isinstance(ex, core.NumericExercise):
        return mk.wrong(ex.setup())
    if isinstance(ex, core.SymbolicExercise):
        return mk.wrong(ex._ns())
    return mk.wrong  # a function exercise: the wrong implementation itself


FUNCTION_IDS = [i for i in IDS if exercises.describe(i).kind == "function"]
MISTAKE_CASES = [(i, mk.name) for i in IDS for mk in _exercise(i).mistakes]


# --------------------------------------------------------------------------------------
# The catalog.

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


def test_catalog_rejects_a_bad_chapter_argument():
    with pytest.raises(TypeError, match="chapter must be an int"):
        exercises.catalog(chapter="4")


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
    mk = next(m for m in _exercise(exercise_id).mistakes if m.name == mistake_name)
    fb = exercises.check(exercise_id, _wrong_answer(exercise_id, mk))
    assert not fb.correct
    assert fb.mistake == mistake_name
    assert fb.message.startswith(exercises.mistakes(exercise_id)[mistake_name])
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


# --------------------------------------------------------------------------------------
# Reference answers against independent oracles.

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


@pytest.mark.parametrize("exercise_id", FUNCTION_IDS)
def test_model_solutions_agree_with_the_bpcore_oracle(exercise_id):
    ex = _exercise(exercise_id)
    model = exercises.reference(exercise_id)
    assert callable(model)
    for case in ex.hidden_cases():
        args = [case[p] for p in ex.params]
        np.testing.assert_allclose(model(*args), ex.oracle(*args), rtol=1e-12, atol=1e-15)


def test_function_oracles_are_bpcore_and_not_the_model():
    # The oracle goes through bpcore's engine; a hand-written BP1 agrees with it.
    ex = _exercise("ch4-my-output-delta")
    rng = np.random.default_rng(123)
    z = rng.normal(size=(3, 4))
    a, y = sigmoid(z), rng.uniform(size=(3, 4))
    np.testing.assert_allclose(ex.oracle(a, y, z), (a - y) * sigmoid_prime(z), rtol=1e-12)


# --------------------------------------------------------------------------------------
# Numeric answers: tolerance, shapes and generic diagnoses.

def test_rounded_answers_are_accepted_and_wrong_ones_are_not():
    ref = exercises.reference("ch4-bp1-delta")
    assert exercises.check("ch4-bp1-delta", np.round(ref, 4)).correct
    assert not exercises.check("ch4-bp1-delta", ref * 1.01).correct


def test_a_flat_list_is_accepted_for_a_column_with_a_note():
    fb = exercises.check("ch4-bp1-delta", list(exercises.reference("ch4-bp1-delta").ravel()))
    assert fb.correct
    assert "(2, 1)" in fb.message


def test_a_transposed_answer_is_diagnosed():
    fb = exercises.check("ch4-bp1-delta", exercises.reference("ch4-bp1-delta").T)
    assert not fb.correct
    assert "Your δ² has shape (1, 2) but should be (2, 1): did you transpose?" in fb.message


def test_a_learner_who_forgets_to_transpose_w_in_bp2_is_told_so():
    # Written the way a learner would: W² δ² does not fit, so they make δ² a row.
    d = running()
    attempt = (d.delta[2].T @ d.W[2]) * sigmoid_prime(d.z[1]).T
    fb = exercises.check("ch5-bp2-delta1", attempt)
    assert fb.mistake == "W not transposed"
    assert "shape (1, 3) but should be (3, 1)" in fb.message


def test_learner_style_mistakes_are_recognised_without_the_catalog():
    d = running()
    a2, y, z2 = d.a[2], d.y, d.z[2]
    s = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    cases = {
        "missing σ′": a2 - y,
        "σ′ of the activation": (a2 - y) * s(a2) * (1 - s(a2)),
        "sign flipped": (y - a2) * a2 * (1 - a2),
    }
    for name, attempt in cases.items():
        fb = exercises.check("ch4-bp1-delta", attempt)
        assert fb.mistake == name
    b = running_batch()
    fb = exercises.check("ch6-bp4-batch", b.delta[2] @ b.a[1].T)
    assert "Off by a factor of m = 4: average over the batch" in fb.message
    fb = exercises.check("ch6-bp3-batch", b.delta[2].sum(axis=1))
    assert fb.mistake == "sum instead of mean"
    ex = bpcore.examples.running_example()
    W1, b1 = ex.net.weights[0], ex.net.biases[0]
    fb = exercises.check("ch1-forward-z1", W1 @ ex.x + b1)  # broadcasts to (3, 3)
    assert fb.mistake == "bias added as a row"


def test_generic_diagnoses_for_unlisted_mistakes():
    ref = exercises.reference("ch6-bp4-batch")
    assert "The sign is flipped" in exercises.check("ch6-bp4-batch", -ref).message
    assert "Off by a factor of 1/m" in exercises.check("ch6-bp4-batch", ref / 4).message
    assert "3 times" in exercises.check("ch6-bp4-batch", 3 * ref).message
    partly = ref.copy()
    partly[1, 2] += 1.0
    msg = exercises.check("ch6-bp4-batch", partly).message
    assert "1 of 6 entries are off; the first is at index (1, 2)" in msg
    assert "has shape (2, 2) but should be (2, 3)" in exercises.check(
        "ch6-bp4-batch", np.zeros((2, 2))).message
    assert "twice" in exercises.check("ch2-cost-running", 2 * exercises.reference(
        "ch2-cost-running")).message.lower()


@pytest.mark.parametrize("answer,words", [
    (True, "truth value"), (1 + 2j, "complex"), (np.array([[np.inf], [0.0]]), "inf"),
    (np.zeros((0, 2)), "empty"), (np.array(["a", "b"]), "text"),
    (np.zeros(200_000), "far too big"), ([[0.1]] * 200_000, "far too big"),
    (sympy.Symbol("z") + 1, "sympy expression"), (lambda: 0, "function"),
    ({1, 2}, "set"),
    (np.array([None, 1.0], dtype=object), "NaN"),
    (__import__("functools").reduce(lambda acc, _: [acc], range(5000), [0.1]),
     "nested far too deeply"),
])
def test_more_junk_for_numeric_answers(answer, words):
    fb = exercises.check("ch4-bp1-delta", answer)
    assert not fb.correct
    assert words in fb.message


def test_numpy_scalars_and_one_by_one_arrays_are_numbers():
    ref = exercises.reference("ch2-cost-running")
    assert exercises.check("ch2-cost-running", np.float32(ref)).correct
    assert exercises.check("ch2-cost-running", np.array([[ref]])).correct
    assert exercises.check("ch2-cost-running", sympy.Float(ref)).correct


# --------------------------------------------------------------------------------------
# Symbolic answers.

_z = sympy.Symbol("z")
_s = 1 / (1 + sympy.exp(-_z))


@pytest.mark.parametrize("form", [
    _s * (1 - _s),
    sympy.exp(-_z) / (1 + sympy.exp(-_z)) ** 2,
    sympy.exp(_z) / (1 + sympy.exp(_z)) ** 2,
    _s * _s.subs(_z, -_z),
    1 / (4 * sympy.cosh(_z / 2) ** 2),
    sympy.Derivative(_s, _z),
    (lambda zr: (1 / (1 + sympy.exp(-zr))) * (1 - 1 / (1 + sympy.exp(-zr))))(
        sympy.Symbol("z", real=True)),
], ids=["s(1-s)", "textbook", "exp(z)", "s(z)s(-z)", "cosh", "Derivative", "real-symbol"])
def test_equivalent_forms_of_sigma_prime_are_accepted(form):
    assert exercises.check("ch4-sigmoid-prime", form).correct


def test_equivalent_forms_for_the_chain_rule_exercise():
    w, x, b = sympy.symbols("w x b")
    u = w * x + b
    s = 1 / (1 + sympy.exp(-u))
    assert exercises.check("ch3-composite-derivative", x * s * (1 - s)).correct
    assert exercises.check("ch3-composite-derivative", sympy.diff(s, w)).correct
    y, zz = sympy.symbols("y z")
    sz = 1 / (1 + sympy.exp(-zz))
    assert exercises.check("ch3-chain-dcdz", (sz - y) * sz * (1 - sz)).correct
    a = sympy.Symbol("a")
    assert exercises.check("ch2-cost-derivative", -(y - a)).correct


def test_a_wrong_expression_gets_its_value_beside_the_expected_one():
    fb = exercises.check("ch4-sigmoid-prime", _s ** 2)
    assert not fb.correct
    m = re.search(r"at z = (\S+) your expression is (\S+) but the expected value is (\S+)\.",
                  fb.message)
    assert m, fb.message
    zv = float(m.group(1))
    assert float(m.group(2)) == pytest.approx(float(sigmoid(zv)) ** 2, rel=1e-5)
    assert float(m.group(3)) == pytest.approx(float(sigmoid_prime(zv)), rel=1e-5)


@pytest.mark.parametrize("answer,words", [
    (sympy.Function("sigma")(_z), "undefined function"),
    (sympy.Symbol("t") * _z, "symbol(s) t"),
    (sympy.Eq(_z, 1), "eq.rhs"),
    (sympy.Lambda(_z, _s), "Lambda"),
    (lambda z: z, "Python function"),
    (sympy.nan, "nan"),
    (True, "truth value"),
])
def test_symbolic_junk_is_refused_with_a_reason(answer, words):
    fb = exercises.check("ch4-sigmoid-prime", answer)
    assert not fb.correct and words in fb.message


def test_a_constant_is_a_valid_but_wrong_symbolic_answer():
    fb = exercises.check("ch4-sigmoid-prime", 0.25)
    assert not fb.correct and "expected value" in fb.message


# --------------------------------------------------------------------------------------
# Function answers.



def _raises(*args):
    raise ZeroDivisionError("boom")


def _returns_none(*args):
    return None


def _returns_text(*args):
    return "delta"


def _wrong_shape(*args):
    return np.zeros((7, 7))


def _huge(*args):
    return np.zeros((2000, 2000))


def _exits(*args):
    raise SystemExit(3)


@pytest.mark.parametrize("exercise_id", FUNCTION_IDS)
@pytest.mark.parametrize("fn,words", [
    (_raises, "Your function raised ZeroDivisionError: boom"),
    (_exits, "Your function raised SystemExit"),
    (_returns_none, "returned None: did you forget `return`?"),
    (_returns_text, "is the text 'delta'"),
    (_wrong_shape, "has shape (7, 7) but should be"),
    (_huge, "4,000,000 entries"),
], ids=["raises", "exits", "none", "text", "shape", "huge"])
def test_broken_functions_are_reported_cleanly(exercise_id, fn, words):
    fb = exercises.check(exercise_id, fn)
    assert not fb.correct
    assert words in fb.message
    assert "Hidden case 1 of" in fb.message
    assert "Traceback" not in fb.message


@pytest.mark.parametrize("exercise_id", FUNCTION_IDS)
def test_a_function_with_the_wrong_signature_is_told_the_calling_convention(exercise_id):
    fb = exercises.check(exercise_id, lambda only_one: only_one)
    ex = _exercise(exercise_id)
    assert not fb.correct
    assert f"calls it as {ex.name}({', '.join(ex.params)})" in fb.message


@pytest.mark.parametrize("exercise_id", FUNCTION_IDS)
def test_passing_a_result_instead_of_a_function(exercise_id):
    fb = exercises.check(exercise_id, np.zeros((2, 1)))
    assert "you passed a result, not the function" in fb.message


def test_a_function_that_changes_its_input_in_place_fails():
    def my_output_delta(a, y, z):
        a -= y  # modifies the caller's array
        return a * sigmoid_prime(z)

    fb = exercises.check("ch4-my-output-delta", my_output_delta)
    assert not fb.correct
    assert "changed its argument a in place" in fb.message


def test_the_first_failing_case_is_reported_with_its_inputs():
    calls = []

    def my_output_delta(a, y, z):
        calls.append(a.shape)
        if a.shape[1] > 1:
            return (a - y) * sigmoid_prime(z) + 1.0
        return (a - y) * sigmoid_prime(z)

    fb = exercises.check("ch4-my-output-delta", my_output_delta)
    assert not fb.correct
    case_number = int(re.search(r"Hidden case (\d+) of", fb.message).group(1))
    assert calls[case_number - 1][1] > 1 and all(s[1] == 1 for s in calls[:case_number - 1])
    assert "a = [[" in fb.message and "You returned" in fb.message


def test_a_correct_learner_function_in_another_style_passes():
    def my_output_delta(a, y, z):
        return np.multiply(np.subtract(a, y), a * (1 - a))  # σ′(z) = a(1 − a)

    assert exercises.check("ch4-my-output-delta", my_output_delta).correct

    def my_forward(W, b, a):
        return 1 / (1 + np.exp(-(np.dot(W, a) + b.reshape(-1, 1))))

    assert exercises.check("ch1-my-forward", my_forward).correct


def test_the_bias_broadcast_bug_is_recognised_when_it_raises():
    def my_forward(W, b, a):
        return sigmoid(W @ a + b)  # raises for a batch whose size differs from n_out

    fb = exercises.check("ch1-my-forward", my_forward)
    assert fb.mistake == "bias added along the wrong axis"


def test_printing_inside_a_learner_function_is_captured_and_bounded(capsys):
    def my_output_delta(a, y, z):
        print("x" * 100_000)

    fb = exercises.check("ch4-my-output-delta", my_output_delta)
    assert capsys.readouterr().out == ""
    assert "Your function printed" in fb.message
    assert len(fb.message) < 2000


# --------------------------------------------------------------------------------------
# Strings are never evaluated.

def test_string_answers_are_never_evaluated(tmp_path, monkeypatch):
    marker = tmp_path / "pwned"
    payload = f"open({str(marker)!r}, 'w').write('x')"
    seen = []
    real_eval, real_exec = builtins.eval, builtins.exec

    def spy_eval(source, *args, **kwargs):
        seen.append(source)
        return real_eval(source, *args, **kwargs)

    def spy_exec(source, *args, **kwargs):
        seen.append(source)
        return real_exec(source, *args, **kwargs)

    import sympy.parsing.sympy_parser as parser

    def no_parse(*args, **kwargs):
        raise AssertionError(f"a string was parsed by sympy: {args[:1]}")

    monkeypatch.setattr(builtins, "eval", spy_eval)
    monkeypatch.setattr(builtins, "exec", spy_exec)
    monkeypatch.setattr(parser, "parse_expr", no_parse)
    for exercise_id in IDS:
        for text in [payload, f"__import__('os').system('touch {marker}')", "z*(1-z)"]:
            fb = exercises.check(exercise_id, text)
            assert not fb.correct
    assert not marker.exists()
    assert not any(isinstance(s, str) and str(marker) in s for s in seen)


def test_the_exercise_sources_call_no_evaluator():
    forbidden = {"eval", "exec", "compile", "sympify", "parse_expr", "S", "lambdify",
                 "__import__"}
    folder = pathlib.Path(exercises.__file__).parent
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                assert name not in forbidden, f"{path.name}:{node.lineno} calls {name}"


# --------------------------------------------------------------------------------------
# Unknown ids, describe, data, mistakes, solution, Feedback.

@pytest.mark.parametrize("fn", [exercises.check, exercises.reference, exercises.describe,
                                exercises.mistakes, exercises.data, exercises.solution])
def test_unknown_ids_raise_with_close_matches(fn):
    args = ("ch4-bp1-detla", 0.1) if fn is exercises.check else ("ch4-bp1-detla",)
    with pytest.raises(ValueError, match=r"unknown exercise id 'ch4-bp1-detla'; did you mean "
                                         r"'ch4-bp1-delta'"):
        fn(*args)


def test_an_id_with_no_close_match_points_at_the_catalog():
    with pytest.raises(ValueError, match=r"catalog\(\) lists them all"):
        exercises.reference("zzzzzz")


def test_a_non_string_id_is_a_type_error():
    with pytest.raises(TypeError, match="exercise_id must be a string"):
        exercises.reference(4)


@pytest.mark.parametrize("exercise_id", IDS)
def test_describe_gives_prompt_submit_and_check_line(exercise_id):
    info = exercises.describe(exercise_id)
    assert info.id == exercise_id and info.prompt and info.title
    assert info.chapter == int(exercise_id[2:].split("-")[0])
    text = str(info)
    assert f"bpcore.exercises.check({exercise_id!r}, your_answer)" in text
    html = info._repr_html_()
    assert html.startswith('<div class="bp-exercise"') and "http" not in html


@pytest.mark.parametrize("exercise_id", IDS)
def test_solution_shows_the_reference(exercise_id):
    sol = exercises.solution(exercise_id)
    ref = exercises.reference(exercise_id)
    assert sol._repr_html_().startswith('<div class="bp-solution"')
    if callable(ref):
        assert f"def {ref.__name__}(" in sol.answer_text
    elif isinstance(ref, sympy.Expr):
        assert str(ref) in sol.answer_text
    else:
        assert exercises.check(exercise_id, ref).correct


def test_data_returns_fresh_copies():
    d1 = exercises.data("ch6-bp4-batch")
    d1["a"][1][:] = 0.0
    d2 = exercises.data("ch6-bp4-batch")
    assert np.all(d2["a"][1] != 0.0)
    assert d2["m"] == 4
    z = exercises.data("ch4-sigmoid-prime")["z"]
    assert exercises.check("ch4-sigmoid-prime", sympy.diff(1 / (1 + sympy.exp(-z)), z)).correct
    case = exercises.data("ch4-my-output-delta")
    assert set(case) == {"a", "y", "z"}


def test_data_lets_a_learner_solve_from_the_given_names():
    d = exercises.data("ch4-bp1-delta")
    fp = bpcore.forward(d["net"], d["x"])
    a2, z2 = fp.activations[2], fp.zs[1]
    assert exercises.check("ch4-bp1-delta", (a2 - d["y"]) * sigmoid_prime(z2)).correct
    g = exercises.data("ch6-bp4-batch")
    assert exercises.check("ch6-bp4-batch", g["delta"][2] @ g["a"][1].T / g["m"]).correct


def test_feedback_html_is_accessible_and_escaped():
    good = Feedback(True, "δ² = [1, 2]", "ch4-bp1-delta")
    bad = Feedback(False, "<script>alert(1)</script> try again", "ch4-bp1-delta", "x")
    assert "✓ Correct" in good._repr_html_() and "#1a7f37" in good._repr_html_()
    html = bad._repr_html_()
    assert "✗ Not yet" in html and "#cf222e" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert str(bad) == "✗ Not yet: <script>alert(1)</script> try again"
    assert bool(good) and not bool(bad)


def test_register_refuses_duplicates_and_bad_ids():
    ex = core.get("ch4-bp1-delta")
    with pytest.raises(ValueError, match="already registered"):
        exercises.register(ex)
    with pytest.raises(ValueError, match="must look like 'ch4-bp1-delta'"):
        core.NumericExercise(id="Chapter4", chapter=4, title="t", prompt="p",
                             setup=running, answer=lambda d: d.C)
    with pytest.raises(ValueError, match="does not start with ch5"):
        core.NumericExercise(id="ch4-x", chapter=5, title="t", prompt="p",
                             setup=running, answer=lambda d: d.C)
    with pytest.raises(TypeError, match="expected an Exercise"):
        exercises.register("ch9-x")


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
    for path in sorted(pathlib.Path(exercises.__file__).parent.glob("catalog*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "mistake":
                wrong = node.args[2] if len(node.args) > 2 else None
                where = f"{path.name} line {node.lineno}"
                assert isinstance(wrong, ast.Lambda), f"{where}: wrong must be a lambda"
                assert not _is_literal(wrong.body), f"{where}: a hard-coded wrong answer"
                found += 1
    assert found == sum(len(exercises.mistakes(i)) for i in IDS)
