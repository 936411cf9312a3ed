"""The README's worked questions, run as written on the committed corpus: each SQL gives the answer printed under it."""

from __future__ import annotations

import re

import pytest

from orchestration.project import PROJECT_ROOT
from tests.conftest import tdi

SECTION = re.compile(r"^## Worked questions\n(.*?)^## ", re.MULTILINE | re.DOTALL)
QUESTION = re.compile(r"```sql\n(.*?)\n```\n\n```text\n(.*?)\n```", re.DOTALL)


def worked_questions() -> list[tuple[str, str]]:
    section = SECTION.search((PROJECT_ROOT / "README.md").read_text(encoding="utf-8"))
    assert section, "the README has a section of worked questions"
    return QUESTION.findall(section.group(1))


def test_the_readme_has_the_five_worked_questions():
    assert len(worked_questions()) == 5


@pytest.mark.parametrize(("sql", "answer"), worked_questions(), ids=lambda value: value.split("\n")[0][:40])
def test_a_worked_question_of_the_readme_gives_its_answer(
    committed_corpus_run, isolated_environment, sql, answer
):
    result = tdi("query", sql, "--warehouse", str(isolated_environment["warehouse"]))
    assert result.exit_code == 0, result.output
    assert [line.rstrip() for line in result.output.strip("\n").splitlines()] == [
        line.rstrip() for line in answer.splitlines()
    ]
