"""Each exercise prompt has one source, the catalog entry; this test fails when a chapter
and the catalog disagree.

A sphinx-exercise block of chapters/*.ipynb, ```{exercise-start} Title```, is the block of
catalog entry ``chN-<slug>`` when its label is ``chN-ex-<slug>`` (or ``ex-chN-<slug>``), or,
for a label that names no entry, when its code uses exactly that one entry and checks an
answer with it.  For each such block:

* the block's code (the exercise and its solution) fetches the exercise once, with
  ``exercises.get("chN-<slug>")``: the id string appears once, and everything else goes
  through the object (``ex.data()``, ``ex.check(...)``, ``ex.solution()``, ...);
* the directive's title is the catalog entry's ``title``;
* the block's markdown carries no copy of the prompt: between the directive and the first
  code cell there is nothing (the block shows the prompt by displaying the exercise).

In every other block (quizzes written in the chapter, perhaps drawing numbers from an
entry), each catalog id used is still typed once, in ``exercises.get(...)``.  Run one
chapter's blocks with ``-k ch4-``.
"""
from __future__ import annotations

import json
import pathlib
import re
from dataclasses import dataclass, field

import pytest

from bpcore import exercises

CHAPTERS = sorted((pathlib.Path(__file__).parents[1] / "chapters").glob("*.ipynb"))

_DIRECTIVE = re.compile(r"```\{(exercise-start|exercise-end|solution-start|solution-end)\}"
                        r"[ \t]*([^\n]*)\n((?:[ \t]*:[^\n]*\n)*)[ \t]*```")


@dataclass
class Block:
    """One exercise block: its directive, the markdown right after it, and its code."""
    chapter: str
    title: str
    label: str
    lead: str = ""                       # markdown between the directive and the first code
    code: list = field(default_factory=list)
    closed: bool = False                 # the solution (or exercise) end has been seen


def _events(notebook):
    """The notebook as a stream: ("code", source), ("md", text) and
    ("directive", name, argument, options) in reading order."""
    for cell in notebook["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code":
            yield ("code", source)
            continue
        at = 0
        for m in _DIRECTIVE.finditer(source):
            yield ("md", source[at:m.start()])
            options = dict(re.findall(r":(\w[\w-]*):[ \t]*([^\n]*)", m.group(3)))
            yield ("directive", m.group(1), m.group(2).strip(), options)
            at = m.end()
        yield ("md", source[at:])


def _blocks(path):
    """The exercise blocks of one chapter, each with its solution's code."""
    blocks, current, solution_of = [], None, None
    for event in _events(json.loads(path.read_text(encoding="utf-8"))):
        if event[0] == "directive":
            name, argument, options = event[1:]
            if name == "exercise-start":
                current = Block(path.name, argument, options.get("label", ""))
                blocks.append(current)
            elif name == "solution-start":
                solution_of = next((b for b in blocks if b.label == argument), None)
            elif name == "solution-end" and solution_of is not None:
                solution_of.closed, solution_of = True, None
            elif name == "exercise-end" and current is not None:
                current = None
            continue
        owner = current or solution_of
        if owner is None:
            continue
        if event[0] == "code":
            owner.code.append(event[1])
        elif owner is current and not owner.code:
            owner.lead += event[1]
    return blocks


IDS = set(exercises.catalog())


def _ids_used(block):
    """The catalog ids typed in the block's code."""
    return sorted(set(re.findall(r"[\"'](ch\d+-[a-z0-9-]+)[\"']", "\n".join(block.code))) & IDS)


def _catalog_id(block):
    """The entry the block is the exercise of, or None (see the module docstring)."""
    m = re.fullmatch(r"(?:(ch\d+)-ex|ex-(ch\d+))-(.+)", block.label)
    if m and f"{m.group(1) or m.group(2)}-{m.group(3)}" in IDS:
        return f"{m.group(1) or m.group(2)}-{m.group(3)}"
    used = _ids_used(block)
    if len(used) == 1 and ".check(" in "\n".join(block.code):
        return used[0]
    return None


ALL_BLOCKS = [b for path in CHAPTERS for b in _blocks(path)]
BLOCKS = [b for b in ALL_BLOCKS if _catalog_id(b)]
USES = [(b, i) for b in ALL_BLOCKS for i in _ids_used(b)]


def test_the_chapters_have_catalogued_exercise_blocks():
    assert len(CHAPTERS) >= 12
    assert len(BLOCKS) >= 40
    assert all(b.code and b.closed for b in BLOCKS)


@pytest.mark.parametrize("block", BLOCKS, ids=[b.label for b in BLOCKS])
def test_the_block_uses_its_own_exercise_only(block):
    assert _ids_used(block) == [_catalog_id(block)], (
        f"{block.chapter}, {block.label}: the block of {_catalog_id(block)} uses the ids "
        f"{_ids_used(block)}")


@pytest.mark.parametrize("block,exercise_id", USES, ids=[f"{b.label}:{i}" for b, i in USES])
def test_each_exercise_a_block_uses_is_fetched_once(block, exercise_id):
    code = "\n".join(block.code)
    count = code.count(f'"{exercise_id}"') + code.count(f"'{exercise_id}'")
    assert count == 1, (f"{block.chapter}, {block.label}: the id {exercise_id!r} appears "
                        f"{count} times in the block's code (exercise and solution); fetch it "
                        f'once, ex = exercises.get("{exercise_id}"), and use ex.data(), '
                        "ex.check(...), ex.solution(), ex.reference(), ex.quiz(...)")
    assert re.search(rf"exercises\.get\(\s*['\"]{re.escape(exercise_id)}['\"]\s*\)", code), (
        f'{block.chapter}, {block.label}: fetch the exercise with exercises.get("{exercise_id}")')


@pytest.mark.parametrize("block", BLOCKS, ids=[b.label for b in BLOCKS])
def test_the_directive_title_is_the_catalog_title(block):
    title = exercises.get(_catalog_id(block)).title
    assert block.title == title, (f"{block.chapter}, {block.label}: the directive says "
                                  f"{block.title!r}, the catalog entry {title!r}; make them "
                                  "the same")


@pytest.mark.parametrize("block", BLOCKS, ids=[b.label for b in BLOCKS])
def test_the_block_has_no_copy_of_the_prompt(block):
    assert not block.lead.strip(), (
        f"{block.chapter}, {block.label}: the markdown after the directive repeats the "
        f"prompt ({block.lead.strip()[:80]!r}...); the prompt's one source is the catalog "
        "entry, shown by displaying the exercise object: move any better wording into the "
        "entry's prompt and delete the paragraph")


def test_the_parser_reads_a_block_with_its_solution(tmp_path):
    cells = [
        {"cell_type": "markdown", "source": ["## Exercises\n\n```{exercise-start} T\n",
                                             ":label: ch4-ex-bp1-delta\n```\n"]},
        {"cell_type": "code", "source": ['ex = exercises.get("ch4-bp1-delta")\nex']},
        {"cell_type": "markdown", "source": ["```{exercise-end}\n```\n\n"
                                             "```{solution-start} ch4-ex-bp1-delta\n"
                                             ":class: dropdown\n```\n"]},
        {"cell_type": "code", "source": ["ex.solution()"]},
        {"cell_type": "markdown", "source": ["```{solution-end}\n```\n\nAfter."]},
        {"cell_type": "code", "source": ["not_in_the_block()"]},
    ]
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    [block] = _blocks(path)
    assert (block.title, block.label, block.lead.strip()) == ("T", "ch4-ex-bp1-delta", "")
    assert block.code == ['ex = exercises.get("ch4-bp1-delta")\nex', "ex.solution()"]
    assert block.closed
