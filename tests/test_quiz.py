"""Tests for bpcore.quiz: the structure of the rendered HTML, ids, labels, no external URL.

The behaviour in a real browser is tested in tests/browser/test_quiz_page.py.
"""
from __future__ import annotations

import json
import pathlib
import re
import tomllib
from html.parser import HTMLParser

import pytest

from bpcore import dom, exercises, quiz


class Tree(HTMLParser):
    """Collects every start tag (with its attributes), the text of labels, and scripts."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self.labels = [], [], {}
        self._label_for, self._in_script = None, False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "label":
            self._label_for = a.get("for")
            self.labels[self._label_for] = ""
        if tag == "script":
            self._in_script = True
            self.scripts.append(a)

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_for = None
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._label_for is not None:
            self.labels[self._label_for] += data

    def find(self, tag=None, cls=None):
        return [a for t, a in self.tags
                if (tag is None or t == tag) and (cls is None or cls in a.get("class", "").split())]


def _numeric():
    return quiz.numeric("What is δ²₁ of the running example?", answer=0.1425, tol=5e-4,
                        wrong={0.7152: "You left out σ′(z²).", -0.1425: "The sign is flipped."},
                        hint="Use BP1.", explanation="δ² = (a² − y) ⊙ σ′(z²).")


def _choice():
    return quiz.multiple_choice(
        "BP1 multiplies ∂C/∂a by which factor?", ["σ′(z)", "σ′(a)", "σ(z)"], correct=0,
        hints={1: "σ′ is evaluated at the pre-activation z.", "σ(z)": "That is σ, not σ′."},
        explanation="δᴸ = ∂C/∂aᴸ ⊙ σ′(zᴸ).")


# --------------------------------------------------------------------------------------
# Structure.

def test_numeric_quiz_structure():
    tree = Tree(_numeric()._repr_html_())
    [root] = tree.find("div", "bp-quiz")
    assert "bp-quiz-numeric" in root["class"] and root["id"].startswith("bpq-")
    uid = root["id"]
    [inp] = tree.find("input")
    assert inp["type"] == "text" and inp["id"] == f"{uid}-input"
    assert tree.labels[inp["id"]] == "Your answer"
    assert inp["aria-describedby"] == f"{uid}-question"
    assert tree.find("p", "bp-quiz-question")[0]["id"] == f"{uid}-question"
    [button] = tree.find("button", "bp-quiz-check")
    assert button["type"] == "button"
    [feedback] = tree.find(cls="bp-quiz-feedback")
    assert feedback["aria-live"] == "polite" and feedback["role"] == "status"
    assert len(tree.find(cls="bp-quiz-nojs")) == 1
    assert len(tree.scripts) == 1 and tree.scripts[0] == {}
    spec = json.loads(root["data-bp-quiz"])
    assert spec == {"kind": "numeric", "answer": 0.1425, "tol": 5e-4,
                    "wrong": [[0.7152, "You left out σ′(z²)."], [-0.1425, "The sign is flipped."]],
                    "hint": "Use BP1.", "explanation": "δ² = (a² − y) ⊙ σ′(z²)."}


def test_multiple_choice_structure():
    tree = Tree(_choice()._repr_html_())
    [root] = tree.find("div", "bp-quiz")
    uid = root["id"]
    assert len(tree.find("fieldset")) == 1
    [legend] = tree.find("legend")
    assert legend["id"] == f"{uid}-question"
    radios = tree.find("input")
    assert [r["type"] for r in radios] == ["radio"] * 3
    assert {r["name"] for r in radios} == {uid}
    assert [r["value"] for r in radios] == ["0", "1", "2"]
    assert [tree.labels[r["id"]] for r in radios] == ["σ′(z)", "σ′(a)", "σ(z)"]
    spec = json.loads(root["data-bp-quiz"])
    assert spec["correct"] == 0
    assert spec["hints"] == {"1": "σ′ is evaluated at the pre-activation z.",
                             "2": "That is σ, not σ′."}
    assert tree.find(cls="bp-quiz-feedback")[0]["aria-live"] == "polite"


def test_ids_are_unique_when_quizzes_are_shown_several_times_on_one_page():
    q1, q2 = _numeric(), _choice()
    page = q1._repr_html_() + q2._repr_html_() + q1._repr_html_() + q2._repr_html_()
    tree = Tree(page)
    ids = [a["id"] for _, a in tree.tags if "id" in a]
    assert len(ids) == len(set(ids))
    names = {a["name"] for a in tree.find("input") if a.get("type") == "radio"}
    assert len(names) == 2
    for_targets = [a["for"] for a in tree.find("label")]
    assert set(for_targets) <= set(ids)


def test_no_external_urls_or_resources():
    page = _numeric()._repr_html_() + _choice()._repr_html_()
    assert not re.search(r"https?:|//[a-z0-9]|\bsrc=|\bhref=|url\(|@import", page, re.I)
    tree = Tree(page)
    assert all("src" not in a for a in tree.scripts)
    assert not tree.find("link") and not tree.find("img") and not tree.find("iframe")


def test_question_text_is_escaped_and_backticks_become_code():
    q = quiz.numeric("Is <b>this</b> `W @ a` bold?", answer=1.0, tol=0.1)
    out = q._repr_html_()
    assert "&lt;b&gt;this&lt;/b&gt;" in out and "<code>W @ a</code>" in out
    hint = quiz.numeric("q", 1.0, 0.1, wrong={2.0: '"quoted" <hint> & more'})._repr_html_()
    root = Tree(hint).find("div", "bp-quiz")[0]
    assert json.loads(root["data-bp-quiz"])["wrong"][0][1] == '"quoted" <hint> & more'
    assert "<hint>" not in hint and "&lt;hint&gt;" in hint


def test_plain_text_form():
    assert str(_choice()).splitlines() == ["BP1 multiplies ∂C/∂a by which factor?",
                                           "  (a) σ′(z)", "  (b) σ′(a)", "  (c) σ(z)"]
    assert repr(_numeric()).startswith("<bpcore.quiz numeric:")


# --------------------------------------------------------------------------------------
# Validation.

@pytest.mark.parametrize("kwargs,error,match", [
    (dict(tol=0.0), ValueError, "tol must be a positive number"),
    (dict(tol=-1.0), ValueError, "tol must be a positive number"),
    (dict(answer=True), TypeError, "answer must be a real number"),
    (dict(answer="0.5"), TypeError, "answer must be a real number"),
    (dict(answer=float("nan")), ValueError, "answer must be finite"),
    (dict(wrong={1.0001: "close"}), ValueError, "within tol = 0.01 of the answer"),
    (dict(wrong={2.0: "a", 2.001: "b"}), ValueError, "within tol = 0.01 of each other"),
    (dict(wrong=[2.0]), TypeError, "wrong must be a dict"),
    (dict(wrong={2.0: 5}), TypeError, "must be a string"),
    (dict(question=""), ValueError, "question must not be empty"),
    (dict(question=None), TypeError, "question must be a string"),
])
def test_numeric_validation(kwargs, error, match):
    args = dict(question="q", answer=1.0, tol=0.01)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        quiz.numeric(**args)


@pytest.mark.parametrize("kwargs,error,match", [
    (dict(options=["only"]), ValueError, "at least 2 options"),
    (dict(options="ab"), TypeError, "options must be a list"),
    (dict(options=["a", "a"]), ValueError, "distinct"),
    (dict(correct=5), ValueError, "out of range"),
    (dict(correct="c"), ValueError, "is not one of the options"),
    (dict(correct=True), TypeError, "index or text"),
    (dict(hints={0: "x"}), ValueError, "hint for the correct option"),
    (dict(hints={"zz": "x"}), ValueError, "is not one of the options"),
    (dict(hints=["x"]), TypeError, "hints must be a dict"),
])
def test_multiple_choice_validation(kwargs, error, match):
    args = dict(question="q", options=["a", "b"], correct=0)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        quiz.multiple_choice(**args)


def test_correct_may_be_given_as_text():
    assert quiz.multiple_choice("q", ["a", "b"], "b").spec["correct"] == 1


# --------------------------------------------------------------------------------------
# The script and the stylesheet are package files, inlined unchanged.

STATIC = pathlib.Path(quiz.__file__).parent / "static"


def test_the_page_gets_the_package_script_and_stylesheet():
    page = _numeric()._repr_html_()
    script = (STATIC / "bp-quiz.js").read_text(encoding="utf-8")
    body = "\n".join(line for line in script.splitlines() if not line.startswith("//"))
    assert page.endswith(f"<script>\n{body}\n</script>")
    rules = (STATIC / "bp-quiz.css").read_text(encoding="utf-8").splitlines()
    assert f"<style>{''.join(rules)}</style>" in page


def test_the_script_reads_the_class_names_of_dom():
    script = (STATIC / "bp-quiz.js").read_text(encoding="utf-8")
    for name in (dom.QUIZ, dom.QUIZ_INPUT, dom.QUIZ_CHECK, dom.QUIZ_FEEDBACK, dom.QUIZ_OK,
                 dom.QUIZ_NO, dom.QUIZ_NOJS, dom.READY_ATTRIBUTE):
        assert name in script


def test_the_static_files_are_package_data():
    text = (pathlib.Path(quiz.__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)["tool"]["setuptools"]["package-data"]["bpcore"]
    assert {"static/*.js", "static/*.css"} <= set(data)


# --------------------------------------------------------------------------------------
# Quizzes built from exercises share the exercises' numbers and hints.

def test_from_exercise_takes_answer_and_wrong_values_from_the_catalog():
    ex = exercises.get("ch4-bp1-delta")
    q = quiz.from_exercise(ex, "δ²₁?", index=(0, 0))
    ref = ex.reference()
    assert q.spec["answer"] == ref[0, 0]
    expected = {float(arr[0, 0]): hint for hint, arr in ex.wrong_answers().values()}
    assert dict(q.spec["wrong"]) == expected
    assert q.spec["tol"] == pytest.approx(5e-3 * abs(ref[0, 0]))
    assert ex.quiz("δ²₁?", index=(0, 0)).spec == q.spec


def test_from_exercise_with_a_scalar_answer():
    ex = exercises.get("ch3-one-neuron-dcdw")
    q = ex.quiz("∂C/∂w?")
    assert q.spec["answer"] == ex.reference()
    assert len(q.spec["wrong"]) == 4


def test_from_exercise_skips_mistakes_of_another_shape():
    ex = exercises.get("ch6-bp4-batch")
    names = {hint for _, hint in ex.quiz("∂C/∂w²₁₁?", index=(0, 0)).spec["wrong"]}
    assert ex.mistakes()["missing 1/m"] in names
    assert ex.mistakes()["transposed"] not in names


def test_from_exercise_errors():
    delta = exercises.get("ch4-bp1-delta")
    with pytest.raises(ValueError, match="pass index="):
        delta.quiz("q")
    with pytest.raises(ValueError, match="does not pick one entry"):
        delta.quiz("q", index=(5, 0))
    with pytest.raises(TypeError, match="does not have a numeric answer"):
        exercises.get("ch4-sigmoid-prime").quiz("q")
    with pytest.raises(TypeError, match=r"takes the exercise itself.*exercises.get\('ch4-bp1-delta'\)"):
        quiz.from_exercise("ch4-bp1-delta", "q", index=(0, 0))


# --------------------------------------------------------------------------------------
# Stable question ids (data-bp-question), by which the book's page remembers progress.

def _question_id(q):
    [root] = [a for t, a in Tree(q._repr_html_()).tags if dom.QUESTION_ATTRIBUTE in a]
    return root[dom.QUESTION_ATTRIBUTE]


def test_a_quiz_s_id_is_stable_and_does_not_change_with_each_rendering():
    q = quiz.numeric("What is 2 + 2?", 4.0, 0.1)
    first, second = q._repr_html_(), q._repr_html_()
    assert _question_id(q) == q.id and re.fullmatch(r"quiz-[0-9a-f]{10}", q.id)
    [one], [two] = Tree(first).find("div", "bp-quiz"), Tree(second).find("div", "bp-quiz")
    assert one["id"] != two["id"]
    # the same question built again (another kernel, another build) has the same id
    assert quiz.numeric("What is 2 + 2?", 4.0, 0.1, hint="Count.").id == q.id
    assert quiz.numeric("What is 2 + 3?", 5.0, 0.1).id != q.id
    assert quiz.multiple_choice("What is 2 + 2?", ["4", "5"], 0).id != q.id


def test_an_exercise_quiz_s_id_names_the_exercise_and_the_entry():
    task = exercises.get("ch4-bp1-delta")
    assert task.quiz("δ²₁?", index=(0, 0)).id == "quiz-ch4-bp1-delta-1-1"
    assert task.quiz("δ²₂?", index=(1, 0)).id == "quiz-ch4-bp1-delta-2-1"
    assert task.quiz("δ²₂ again?", index=(-1, 0)).id == "quiz-ch4-bp1-delta-2-1"
    assert exercises.get("ch2-cost-running").quiz("C?").id == "quiz-ch2-cost-running"


def test_a_formula_question_s_id_is_its_exercise_s():
    q = quiz.formula("ch4-my-output-delta")
    assert q.id == "formula-ch4-my-output-delta"
    assert _question_id(q) == q.id and q._repr_html_().count(q.id) >= 2


def test_an_explicit_id_is_checked():
    assert quiz.numeric("q", 1.0, 0.1, id="ch7-momentum-limit").id == "ch7-momentum-limit"
    assert quiz.multiple_choice("q", ["a", "b"], 0, id="my.quiz_2").id == "my.quiz_2"
    with pytest.raises(ValueError, match=r"id must be 1 to 80 lower-case letters.*got 'Bad Id'"):
        quiz.numeric("q", 1.0, 0.1, id="Bad Id")
    with pytest.raises(TypeError, match="id must be a string, got int"):
        quiz.multiple_choice("q", ["a", "b"], 0, id=3)


def test_formula_ids_are_unique_and_apart_from_quiz_ids():
    # One formula question per exercise, and its id cannot be a quiz's: the two kinds of
    # question on a page never share a count.  (Ids shown on two pages fail the build:
    # _ext/bpbook_html.py, tests/test_bpbook_html.py and tests/browser/test_progress.py.)
    from bpcore import formula
    ids = [formula.question(i).id for i in formula.with_formula()]
    assert len(ids) == len(set(ids)) >= 15
    assert all(i.startswith("formula-") and not i.startswith("quiz-") for i in ids)
