"""Tests for the exercises' object API and registry (bpcore/exercises/core.py, base.py,
__init__.py) and their HTML (bpcore/render.py): one id typed once, then everything through
the object; the module-level functions as thin wrappers; the registrars; text never run.
"""
from __future__ import annotations

import ast
import builtins
import pathlib
from html.parser import HTMLParser

import numpy as np
import pytest
import sympy

import bpcore
from bpcore import dom, exercises, render
from bpcore.activations import sigmoid_prime
from bpcore.examples import running
from bpcore.exercises import Feedback, core

IDS = exercises.catalog()
WRAPPERS = ["reference", "describe", "data", "mistakes", "solution", "wrong_answers"]


class _Classes(HTMLParser):
    """Every class name used in a piece of HTML."""

    def __init__(self, text):
        super().__init__()
        self.names = set()
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.names.update(dict(attrs).get("class", "").split())


# --------------------------------------------------------------------------------------
# The object API.

def test_get_returns_the_exercise_and_its_methods_are_the_module_functions():
    ex = exercises.get("ch4-bp1-delta")
    assert isinstance(ex, exercises.Exercise) and ex.id == "ch4-bp1-delta"
    np.testing.assert_array_equal(ex.reference(), exercises.reference("ch4-bp1-delta"))
    assert ex.mistakes() == exercises.mistakes("ch4-bp1-delta")
    assert ex.describe() == exercises.describe("ch4-bp1-delta")
    assert str(ex.solution()) == str(exercises.solution("ch4-bp1-delta"))
    assert ex.check(ex.reference()).correct


@pytest.mark.parametrize("name", WRAPPERS)
@pytest.mark.parametrize("exercise_id", ["ch4-bp1-delta", "ch4-sigmoid-prime",
                                         "ch4-my-output-delta"])
def test_every_module_function_is_the_method_of_the_same_name(exercise_id, name):
    via_module = getattr(exercises, name)(exercise_id)
    via_object = getattr(exercises.get(exercise_id), name)()
    assert type(via_module) is type(via_object)
    assert str(via_module) == str(via_object)


def test_the_object_displays_as_its_prompt_box():
    ex = exercises.get("ch4-bp1-delta")
    assert ex._repr_html_() == ex.describe()._repr_html_() == render.exercise_box(ex.describe())
    assert str(ex) == str(ex.describe())
    assert repr(ex) == "<bpcore exercise ch4-bp1-delta: The output delta δ² of the running example>"


def test_wrong_answers_is_one_method_for_every_kind():
    for exercise_id in IDS:
        ex = exercises.get(exercise_id)
        assert type(ex).wrong_answers is exercises.Exercise.wrong_answers
    wa = exercises.get("ch4-bp1-delta").wrong_answers()
    assert set(wa) == set(exercises.mistakes("ch4-bp1-delta"))
    assert all(isinstance(arr, np.ndarray) for _, arr in wa.values())
    assert exercises.get("ch4-sigmoid-prime").wrong_answers() == {}
    assert exercises.get("ch4-my-output-delta").wrong_answers() == {}


def test_quiz_method_builds_the_static_quiz_of_the_exercise():
    ex = exercises.get("ch4-bp1-delta")
    q = ex.quiz("δ²₁?", index=(0, 0))
    assert q.spec["answer"] == ex.reference()[0, 0]
    assert {hint for _, hint in q.spec["wrong"]} == set(ex.mistakes().values())


def test_catalog_rejects_a_bad_chapter_argument():
    with pytest.raises(TypeError, match="chapter must be an int"):
        exercises.catalog(chapter="4")


@pytest.mark.parametrize("fn", [exercises.get, exercises.check, exercises.reference,
                                exercises.describe, exercises.mistakes, exercises.data,
                                exercises.solution, exercises.wrong_answers])
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
    assert f"task = bpcore.exercises.get({exercise_id!r})" in text
    assert "task.check(your_answer)" in text
    # the lines the box shows run: the object they name is the exercise
    task = exercises.get(exercise_id)
    assert task.describe().check_code == "task.check(your_answer)" and task.id == exercise_id
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


# --------------------------------------------------------------------------------------
# HTML, in one place, with the page's class names.

def test_feedback_html_is_accessible_and_escaped():
    good = Feedback(True, "δ² = [1, 2]", "ch4-bp1-delta")
    bad = Feedback(False, "<script>alert(1)</script> try again", "ch4-bp1-delta", "x")
    assert "✓ Correct" in good._repr_html_() and "#1a7f37" in good._repr_html_()
    html = bad._repr_html_()
    assert "✗ Not yet" in html and "#cf222e" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert str(bad) == "✗ Not yet: <script>alert(1)</script> try again"
    assert bool(good) and not bool(bad)


def test_every_box_uses_the_class_names_of_dom():
    ex = exercises.get("ch4-bp1-delta")
    assert _Classes(ex._repr_html_()).names == {dom.EXERCISE}
    assert _Classes(ex.solution()._repr_html_()).names == {dom.SOLUTION}
    assert _Classes(ex.check(0.0)._repr_html_()).names == {dom.FEEDBACK, dom.FEEDBACK_WRONG}
    good = ex.check(ex.reference())._repr_html_()
    assert _Classes(good).names == {dom.FEEDBACK, dom.FEEDBACK_CORRECT}


def test_the_prompt_box_is_escaped_and_names_the_data():
    info = exercises.ExerciseInfo("ch9-x", 9, "<b>t</b>", "a < b", "numeric", "δ", ("net",))
    out = info._repr_html_()
    assert "&lt;b&gt;t&lt;/b&gt;" in out and "a &lt; b" in out
    assert ">d[&#x27;net&#x27;]</code>" in out
    # every code in the box keeps the box's text colour (legible in dark mode, issue 14)
    assert out.count("<code") == out.count('<code style="color: inherit;') >= 3
    assert "task = bpcore.exercises.get(&#x27;ch9-x&#x27;)" in out
    assert ">d = task.data()</code>" in out and ">task.check(your_answer)</code>" in out


def test_no_model_class_writes_html_itself():
    folder = pathlib.Path(exercises.__file__).parent
    for path in sorted(folder.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "<div" not in text and 'class="' not in text, f"{path.name} writes HTML"


# --------------------------------------------------------------------------------------
# Declaring exercises: the registrars and the registry.

def test_registrars_build_register_and_return_the_exercise(monkeypatch):
    monkeypatch.setattr(core, "_REGISTRY", {})
    ex = core.numeric(id="ch99-cost", chapter=99, title="t", prompt="p", setup=running,
                      answer=lambda d: d.C, given_names=("net",), quantity="C",
                      mistakes=[core.mistake("doubled", "Twice too big.", lambda d: 2 * d.C)])
    assert core.get("ch99-cost") is ex and isinstance(ex, core.NumericExercise)
    assert ex.mistakes() == {"doubled": "Twice too big."}
    assert ex.check(2 * running().C).mistake == "doubled"
    s = core.symbolic(id="ch99-square", chapter=99, title="t", prompt="p", variables=("z",),
                      answer=lambda s: s.z ** 2)
    assert s.check(sympy.Symbol("z") * sympy.Symbol("z")).correct
    assert core.all_ids() == ["ch99-cost", "ch99-square"]


def test_the_catalogs_declare_with_the_core_registrars_only():
    folder = pathlib.Path(exercises.__file__).parent / "catalog"
    for path in sorted(folder.glob("ch[0-9][0-9].py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert not defined & {"numeric", "symbolic", "function", "_numeric", "register"}, path
        calls = {getattr(n.func, "id", None) for n in ast.walk(tree) if isinstance(n, ast.Call)}
        assert "register" not in calls and not any(c and c.endswith("Exercise") for c in calls)


def test_register_refuses_duplicates_and_bad_ids():
    ex = core.get("ch4-bp1-delta")
    with pytest.raises(ValueError, match="already registered"):
        exercises.register(ex)
    with pytest.raises(ValueError, match="must look like 'ch4-bp1-delta'"):
        core.numeric(id="Chapter4", chapter=4, title="t", prompt="p",
                     setup=running, answer=lambda d: d.C)
    with pytest.raises(ValueError, match="does not start with ch5"):
        core.numeric(id="ch4-x", chapter=5, title="t", prompt="p",
                     setup=running, answer=lambda d: d.C)
    with pytest.raises(TypeError, match="expected an Exercise"):
        exercises.register("ch9-x")


def test_a_mistake_name_listed_twice_is_refused():
    twice = [core.mistake("m", "h1", lambda d: 1), core.mistake("m", "h2", lambda d: 2)]
    with pytest.raises(ValueError, match="lists a mistake name twice"):
        core.NumericExercise(id="ch9-twice", chapter=9, title="t", prompt="p", setup=running,
                             answer=lambda d: d.C, known_mistakes=twice)


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
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                assert name not in forbidden, f"{path.name}:{node.lineno} calls {name}"


def test_function_exercises_take_and_return_lists_of_arrays():
    # ch6-my-backprop passes lists of weight matrices and wants [grad_W, grad_b] back
    from bpcore.exercises.catalog import ch06
    task = exercises.get("ch6-my-backprop")
    assert task.check(task.reference()).correct
    assert isinstance(task.data()["weights"], list)

    def transposed(weights, biases, x, y):
        grad_W, grad_b = ch06.my_backprop(weights, biases, x, y)
        return [[g.T for g in grad_W], grad_b]

    fb = task.check(transposed)
    assert not fb.correct and "result[0][0] has shape (2, 3) but should be (3, 2)" in fb.message
    assert "weights = a list of 2 arrays of shapes [(3, 2), (2, 3)]" in fb.message

    def only_weights(weights, biases, x, y):
        return ch06.my_backprop(weights, biases, x, y)[0][:1]

    assert "has 1 entries, but the exercise wants 2" in task.check(only_weights).message

    def in_place(weights, biases, x, y):
        weights[0] -= 0.1
        return ch06.my_backprop(weights, biases, x, y)

    assert "changed its argument weights in place" in task.check(in_place).message
