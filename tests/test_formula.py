"""Formula questions (``bpcore.formula``) without a browser.

* the numbers a question carries are bpcore's: its first data set's answer is the
  exercise's reference (for a function exercise, also the model solution's value), and every
  data set's answer and mistakes come from the exercise's own definitions;
* each catalogued mistake differs from the reference on at least one data set (else its
  hint could never be given), and any two mistakes differ somewhere (else the second could
  never be given);
* the formulas written in the catalog (the solution and one per mistake) give exactly those
  numbers, evaluated here by a small evaluator of the page's syntax written in numpy, which
  is independent of the page's script;
* the page's script offers exactly the functions :data:`bpcore.formula.FUNCTIONS` lists;
* bad declarations are refused with messages that say what to fix;
* the HTML has what the page contract promises; every chapter 1-12 shows a question.
"""
from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from bpcore import dom, exercises, formula, quiz
from bpcore.activations import sigmoid

# every numbered chapter of the book: each must show a formula question
NUMBERED = {int(p.name[:2]) for p in
            (Path(__file__).parents[1] / "chapters").glob("[0-9][0-9]_*.ipynb")}
from bpcore.formula import Formula, Symbol, close

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "bpcore" / "static" / "bp-formula.js"
IDS = formula.with_formula()


def spec_of(exercise_id):
    return formula.page_spec(exercises.get(exercise_id))


# --------------------------------------------------------------------------------------
# An evaluator of the page's syntax, for the tests: numbers and 2-D arrays, * the matrix
# product, .* ./ .^ entry by entry, ' transposes, a (n, 1) column added to every column.

_TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:e[+-]?\d+)?|\.\d+)|([A-Za-z][A-Za-z0-9_]*)"
                    r"|(\.\*|\./|\.\^|[-+*/^'(),]))")


def _tokens(text):
    out, at = [], 0
    text = text.strip()
    while at < len(text):
        m = _TOKEN.match(text, at)
        if not m:
            raise SyntaxError(f"cannot read {text[at:]!r}")
        out.append(("num", float(m.group(1))) if m.group(1) else
                   ("name", m.group(2)) if m.group(2) else ("op", m.group(3)))
        at = m.end()
    return out


def _tidy(v):
    v = np.asarray(v, dtype=float)
    return float(v.reshape(())) if v.size == 1 else v


def _plus(a, b, sign):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.ndim and b.ndim and a.shape != b.shape:
        ok = {(a.shape[0], 1), (1, a.shape[1])}
        if b.shape not in ok and a.shape not in {(b.shape[0], 1), (1, b.shape[1])}:
            raise ValueError(f"shapes {a.shape} and {b.shape} do not fit")
    return a + sign * b


def _times(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a * b if a.ndim == 0 or b.ndim == 0 else a @ b


def _entrywise(a, b, op):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.ndim and b.ndim and a.shape != b.shape:
        raise ValueError(f"shapes {a.shape} and {b.shape} differ")
    return op(a, b)


def _reduce(how, a, dim=None):
    a = np.asarray(a, dtype=float)
    if a.ndim == 0:
        return float(a)
    if dim is None:
        return float(how(a))
    return how(a, axis=int(dim) - 1, keepdims=True)


_FUNCTIONS = {
    "sigma": sigmoid, "sigma_prime": lambda z: sigmoid(z) * (1 - sigmoid(z)),
    "tanh": np.tanh, "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "abs": np.abs,
    "sum": lambda a, dim=None: _reduce(np.sum, a, dim),
    "mean": lambda a, dim=None: _reduce(np.mean, a, dim),
    "norm": lambda a: float(np.linalg.norm(np.ravel(a))),
    "diag": lambda v: np.diag(np.ravel(v)),
}


class _Reader:
    """Recursive descent with mathjs's precedence: + - < * / .* ./ < unary - < ^ .^ < '."""

    def __init__(self, text, values):
        self.tokens, self.at, self.values = _tokens(text), 0, values

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else ("end", None)

    def take(self, *ops):
        kind, value = self.peek()
        if kind == "op" and value in ops:
            self.at += 1
            return value
        return None

    def read(self):
        value = self.sum()
        if self.peek()[0] != "end":
            raise SyntaxError(f"unexpected {self.peek()}")
        return _tidy(value)

    def sum(self):
        value = self.product()
        while (op := self.take("+", "-")) is not None:
            value = _plus(value, self.product(), 1 if op == "+" else -1)
        return value

    def product(self):
        value = self.unary()
        while (op := self.take("*", "/", ".*", "./")) is not None:
            right = self.unary()
            if op == "*":
                value = _times(value, right)
            elif op == "/":
                assert np.ndim(right) == 0, "/ divides by a number"
                value = np.asarray(value) / right
            else:
                value = _entrywise(value, right, np.multiply if op == ".*" else np.divide)
        return value

    def unary(self):
        if self.take("-"):
            return -np.asarray(self.unary())
        if self.take("+"):
            return self.unary()
        return self.power()

    def power(self):
        base = self.postfix()
        if (op := self.take("^", ".^")) is not None:
            exponent = self.unary()
            assert op == ".^" or np.ndim(base) == 0, "^ raises a number"
            return np.asarray(base, dtype=float) ** exponent
        return base

    def postfix(self):
        value = self.primary()
        while self.take("'"):
            value = np.asarray(value).T
        return value

    def primary(self):
        kind, value = self.peek()
        self.at += 1
        if kind == "num":
            return value
        if kind == "name":
            if self.take("("):
                args = [self.sum()]
                while self.take(","):
                    args.append(self.sum())
                assert self.take(")"), "missing )"
                return _FUNCTIONS[value](*args)
            v = self.values[value]
            return np.array(v, dtype=float) if isinstance(v, list) else v
        if kind == "op" and value == "(":
            inner = self.sum()
            assert self.take(")"), "missing )"
            return inner
        raise SyntaxError(f"unexpected {value!r}")


def evaluate(text, values):
    """The value of a formula in the page's syntax, with numpy."""
    return _Reader(text, values).read()


def test_the_test_evaluator_reads_the_page_syntax():
    values = {"W2": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], "d2": [[1.0], [-1.0]],
              "z1": [[0.0], [1.0], [-2.0]], "m": 2.0}
    got = evaluate("W2' * d2 .* sigma_prime(z1) / m", values)
    want = (np.array(values["W2"]).T @ np.array(values["d2"])) * sigmoid(
        np.array(values["z1"])) * (1 - sigmoid(np.array(values["z1"]))) / 2
    assert np.allclose(got, want)
    assert evaluate("-2^2 + (1 - 3)'", {}) == -6.0
    assert evaluate("sum(W2, 2)'", values).tolist() == [[6.0, 15.0]]
    with pytest.raises(ValueError, match="differ"):
        evaluate("W2 .* d2", values)


# --------------------------------------------------------------------------------------
# The numbers of every question.

def test_every_numbered_chapter_has_a_formula_question():
    chapters = sorted({exercises.get(i).chapter for i in IDS})
    assert NUMBERED <= set(chapters), sorted(NUMBERED - set(chapters))


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_first_data_set_holds_the_exercise_s_reference(exercise_id):
    ex = exercises.get(exercise_id)
    spec = spec_of(exercise_id)
    first = spec["datasets"][0]
    if ex.kind == "numeric":
        want = ex.reference()
    elif ex.kind == "function":
        case = ex.hidden_cases()[0]
        args = [case[p] for p in ex.params]
        want = ex.oracle(*args)                       # bpcore
        assert close(formula._on_page(ex.model(*args), "model"), first["answer"])
        for p in ex.params:
            if p in first["values"]:
                assert close(formula._on_page(case[p], p), first["values"][p])
    else:
        point = ex._points()[0]
        values = {name: float(point[s]) for name, s in ex.symbols().items()}
        assert first["values"] == values
        want = complex(ex.reference().xreplace(point).evalf(30)).real
    # exact: JSON keeps every bit of a double
    assert json.loads(json.dumps(first["answer"])) == formula._on_page(want, "reference")


@pytest.mark.parametrize("exercise_id", IDS)
def test_each_mistake_differs_from_the_reference_somewhere(exercise_id):
    spec = spec_of(exercise_id)
    answers = [d["answer"] for d in spec["datasets"]]
    assert 2 <= len(answers) <= 3
    for m in spec["mistakes"]:
        assert len(m["values"]) == len(answers)
        assert any(not close(v, a) for v, a in zip(m["values"], answers)), (
            f"{exercise_id}: mistake {m['name']!r} equals the reference on every data set")
    for i, m in enumerate(spec["mistakes"]):
        for n in spec["mistakes"][i + 1:]:
            assert any(not close(u, v) for u, v in zip(m["values"], n["values"])), (
                f"{exercise_id}: mistakes {m['name']!r} and {n['name']!r} agree everywhere")


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_catalog_s_formulas_give_the_carried_numbers(exercise_id):
    ex = exercises.get(exercise_id)
    spec = spec_of(exercise_id)
    for d in spec["datasets"]:
        got = evaluate(ex.formula.solution, d["values"])
        assert close(formula._on_page(got, "solution"), d["answer"]), d["label"]
    hints = {m["name"]: m for m in spec["mistakes"]}
    assert set(hints) == set(ex.formula.mistakes)
    for name, text in ex.formula.mistakes.items():
        assert hints[name]["hint"] == ex.mistakes()[name]
        for d, want in zip(spec["datasets"], hints[name]["values"]):
            got = evaluate(text, d["values"])
            assert close(formula._on_page(got, name), want), (name, d["label"])


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_page_spec_is_small_and_names_its_parts(exercise_id):
    spec = spec_of(exercise_id)
    assert len(json.dumps(spec, ensure_ascii=False)) < 60_000
    assert spec["id"] == exercise_id and spec["rtol"] == formula.RTOL
    assert [s["name"] for s in spec["symbols"]] == list(exercises.get(exercise_id).formula.symbols)
    for d in spec["datasets"]:
        assert set(d["values"]) == {s["name"] for s in spec["symbols"]}


def test_random_networks_have_no_zero_bias_and_the_requested_shapes():
    variants = formula.random_networks(((3, 4, 2), 5), ((2, 2, 3), 1))
    (label1, d1), (label2, d2) = variants(np.random.default_rng(3))
    assert label1 == "a random 3-4-2 network on a batch of 5"
    assert label2 == "a random 2-2-3 network on one sample"
    assert d1.x.shape == (3, 5) and d1.W[2].shape == (2, 4) and d2.delta[2].shape == (3, 1)
    assert all(np.all(b != 0) for d in (d1, d2) for b in d.b.values())


# --------------------------------------------------------------------------------------
# The page's script and the HTML.

def test_the_page_script_offers_exactly_the_python_functions():
    text = SCRIPT.read_text(encoding="utf-8")
    block = text[text.index("var FUNCTIONS = {"):text.index("\n  };", text.index("var FUNCTIONS"))]
    names = re.findall(r"^    (\w+): \{", block, re.M)
    assert names == list(formula.FUNCTIONS)


def test_the_page_script_never_evaluates_text():
    text = SCRIPT.read_text(encoding="utf-8")
    code = re.sub(r"//[^\n]*", "", text)
    assert not re.search(r"\beval\s*\(|new\s+Function|\.evaluate\s*\(|\.compile\s*\(", code)
    assert "L.parse(text)" in code          # mathjs reads the text into a tree, and only that


def test_the_html_holds_one_input_a_check_button_and_a_live_feedback_region():
    q = quiz.formula("ch5-bp2-delta1")
    html = q._repr_html_()
    root = re.match(rf'<div class="{dom.FORMULA}" id="{dom.FORMULA}-ch5-bp2-delta1" '
                    rf'{dom.QUESTION_ATTRIBUTE}="formula-ch5-bp2-delta1" '
                    rf'{dom.FORMULA_ATTRIBUTE}="([^"]*)">', html)
    assert root, html[:200]
    assert json.loads(unescape(root.group(1))) == spec_of("ch5-bp2-delta1")
    assert html.count("<input") == 1 and f'class="{dom.FORMULA_INPUT}"' in html
    assert html.count("<button") == 1 and ">Check</button>" in html
    assert re.search(rf'class="{dom.FORMULA_FEEDBACK}"[^>]*role="status" aria-live="polite"',
                     html)
    assert f'<label for="{dom.FORMULA}-ch5-bp2-delta1-input">' in html
    assert f'class="{dom.FORMULA_PREVIEW}"' in html and f'class="{dom.FORMULA_NOJS}"' in html
    assert "W2'" not in unescape(root.group(1))     # the solution is not in the page
    assert not re.search(r"https?://", html)
    # Shown again: a fresh id, so the page still has unique ids.
    assert f'id="{dom.FORMULA}-ch5-bp2-delta1-2"' in quiz.formula("ch5-bp2-delta1")._repr_html_()


def test_the_text_form_says_where_the_question_is_checked():
    text = str(quiz.formula(exercises.get("ch2-cost-batch")))
    assert text.startswith("Type the quadratic cost C")
    assert "Symbols: a (3×4), y (3×4), m (a number)." in text
    assert "book's web page" in text


# --------------------------------------------------------------------------------------
# Refusals.

def _formula(**fields):
    base = dict(question="Type δ.", symbols={"a": "a"}, solution="a")
    return Formula(**{**base, **fields})


def test_bad_declarations_are_refused_with_what_to_fix():
    with pytest.raises(ValueError, match=r"symbol name '2a' must be letters, digits and _"):
        _formula(symbols={"2a": "a"})
    with pytest.raises(ValueError, match=r"symbol name 'sum' is the name of a function"):
        _formula(symbols={"sum": "s"})
    with pytest.raises(ValueError, match=r"unknown function\(s\) \['softmax'\]; the page offers"):
        _formula(functions=("softmax",))
    with pytest.raises(ValueError, match=r"uses \['b'\], which are neither symbols \(a\) nor "
                                         r"functions of this question \(none\)"):
        _formula(solution="a + b")
    with pytest.raises(TypeError, match=r"symbol 'a': expected Symbol\(tex, value\)"):
        _formula(symbols={"a": 3})
    with pytest.raises(ValueError, match="question must be a non-empty string"):
        _formula(question=" ")


def test_an_exercise_s_mistakes_must_each_be_written_or_omitted():
    ex = exercises.get("ch4-my-output-delta")
    with pytest.raises(ValueError, match=r"neither written nor omitted: \['sign flipped'\]"):
        _formula(symbols={"a": "a", "y": "y"}, mistakes={"missing σ′": "a - y",
                                                         "σ′ of the activation": "a"},
                 ).check_mistakes(ex)
    with pytest.raises(ValueError, match=r"not mistakes of the exercise: \['typo'\]"):
        _formula(mistakes={"typo": "a"}, omit={"missing σ′": "", "σ′ of the activation": "",
                                                "sign flipped": ""}).check_mistakes(ex)
    with pytest.raises(TypeError, match="formula must be a bpcore.formula.Formula, got dict"):
        exercises.NumericExercise(id="ch4-x", chapter=4, title="t", prompt="p",
                                  setup=lambda: None, answer=lambda d: 0.0, formula={})


def test_a_question_needs_computable_mistakes_and_plain_arrays():
    ex = exercises.get("ch4-bp1-delta")
    broken = exercises.NumericExercise(
        id="ch4-broken", chapter=4, title="t", prompt="p", setup=ex.setup, answer=ex.answer,
        known_mistakes=(exercises.mistake("never", "h", lambda d: 1 / 0),),
        formula=_formula(symbols={"a": ("a", lambda d: d.a[2])}, mistakes={"never": "a"},
                         variants=formula.random_networks(((2, 3, 2), 2))))
    with pytest.raises(ValueError, match="mistake 'never' cannot be computed on every data set"):
        formula.page_spec(broken)
    alone = exercises.NumericExercise(
        id="ch4-alone", chapter=4, title="t", prompt="p", setup=ex.setup, answer=ex.answer,
        formula=_formula(symbols={"a": ("a", lambda d: d.a[2])}))
    with pytest.raises(ValueError, match=r"formula of 'ch4-alone' has 1 data set; it needs two "
                                         r"or three.*give variants="):
        formula.page_spec(alone)
    two = formula.random_networks(((2, 3, 2), 2))
    cube = exercises.NumericExercise(
        id="ch4-cube", chapter=4, title="t", prompt="p", setup=ex.setup,
        answer=lambda d: np.zeros((2, 2, 2)),
        formula=_formula(symbols={"x": "x"}, solution="x", variants=two))
    with pytest.raises(ValueError, match=r"the answer on the exercise's data has shape "
                                         r"\(2, 2, 2\); a formula question handles"):
        formula.page_spec(cube)
    by_name = exercises.NumericExercise(
        id="ch4-by-name", chapter=4, title="t", prompt="p", setup=ex.setup, answer=ex.answer,
        formula=_formula(variants=two))
    with pytest.raises(TypeError, match=r"symbol 'a' on the exercise's data must be a number or "
                                        r"an array, got dict; give the symbol a value function"):
        formula.page_spec(by_name)


def test_asking_for_a_question_an_exercise_does_not_have():
    with pytest.raises(ValueError, match=r"exercise 'ch1-batch-shape' has no formula question; "
                                         r"'ch1-forward-output', .* have one"):
        quiz.formula("ch1-batch-shape")
    with pytest.raises(ValueError, match="unknown exercise id 'ch99-none'"):
        quiz.formula("ch99-none")
    with pytest.raises(TypeError, match="expected an exercise or its id, got int"):
        quiz.formula(3)


def test_symbol_records_read_values_by_name_or_by_function():
    f = _formula(symbols={"a": "a", "W2": Symbol("W^{2}", lambda d: d.W[2])})
    ns = SimpleNamespace(a=1.0, W={2: np.eye(2)})
    assert f.symbols["a"].value is None and f.symbols["W2"].value(ns).shape == (2, 2)


# --------------------------------------------------------------------------------------
# The chapters.

def _formula_cells():
    found = {}
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        fetched = None
        for cell in cells:
            source = "".join(cell["source"])
            m = re.search(r'(\w+) = exercises\.get\("([^"]+)"\)', source)
            if m:
                fetched = m.group(1), m.group(2)
            if cell["cell_type"] == "code" and "quiz.formula(" in source:
                assert not cell.get("outputs"), path.name
                var = re.search(r"quiz\.formula\((\w+)\)", source).group(1)
                assert fetched and fetched[0] == var, (path.name, source)
                found.setdefault(int(path.name[:2]), []).append(fetched[1])
    return found


def test_every_numbered_chapter_shows_a_question_of_its_own_catalog():
    found = _formula_cells()
    for chapter in sorted(NUMBERED):
        assert found.get(chapter), f"chapter {chapter} shows no formula question"
        for exercise_id in found[chapter]:
            assert exercises.get(exercise_id).chapter == chapter
            assert exercises.get(exercise_id).formula is not None
