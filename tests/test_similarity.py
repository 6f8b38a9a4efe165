"""`make similarity`: a class of learners who wrote Part 1 alone, in their own styles
(tests/similar_submissions/), the reference handed in as is, and one learner who copied
someone's file (every local renamed, comments dropped, re-formatted) and handed it in as a
notebook. Is the copy flagged, and nobody else?"""

import html
import json
import re
import subprocess
import sys

import pytest
import similar_class

from conftest import ROOT

pytestmark = pytest.mark.slow  # runs the tools in subprocesses

INDEPENDENT = ["amara", "bruno", "chen", "dana", "emil"]  # each in a style of their own
NOTEBOOKS = {"bruno"}  # handed in as the course's notebook rather than the .py file


def write_class(folder, copied=None, copier="gus"):
    """The class in `folder`: the independent learners, fay with the reference, and `copier` with
    a disguised copy of `copied`'s file (as a notebook); {learner: their sections}."""
    written = {name: similar_class.answers(similar_class.SUBMISSIONS / "part1" / f"{name}.py")
               for name in INDEPENDENT}
    for name, sections in written.items():
        (folder / name).mkdir(parents=True)
        if name in NOTEBOOKS:
            (folder / name / "part1_tf2_basics.ipynb").write_text(similar_class.learner_notebook(1, sections))
        else:
            (folder / name / "part1_tf2_basics.py").write_text(similar_class.learner_file(1, sections))
    (folder / "fay").mkdir()
    (folder / "fay" / "part1_tf2_basics.py").write_text((ROOT / "solutions" / "part1_tf2_basics.py").read_text())
    if copied:
        (folder / copier).mkdir()
        copy = similar_class.disguised(1, written[copied])
        (folder / copier / "part1_tf2_basics.ipynb").write_text(similar_class.learner_notebook(1, copy))
    return written


def similarity(folder, out):
    result = subprocess.run([sys.executable, "-m", "classroom.review.similarity", str(folder), "--out", str(out)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0 and result.stderr == "", result.stdout + result.stderr
    return result.stdout


def flagged(output):
    return re.findall(r"^  part (\d): (\S+) and (\S+): (\d+)% of their own code shared", output, re.MULTILINE)


def test_learners_who_wrote_alone_are_not_flagged(tmp_path):
    """With no copy in the class, is no pair flagged, the reference's learner and the one who
    converged on the reference included, and is every pair of Part 1 counted?"""
    write_class(tmp_path / "class")
    output = similarity(tmp_path / "class", tmp_path / "report")
    learners = len(INDEPENDENT) + 1
    assert f"part 1: {learners} learners, {learners * (learners - 1) // 2} pairs" in output
    assert flagged(output) == []
    assert "Similar submissions: 0 pairs above the threshold" in output
    assert "No pair above the threshold." in (tmp_path / "report" / "index.html").read_text()


@pytest.mark.parametrize("copied", INDEPENDENT)
def test_a_disguised_copy_is_flagged_and_nobody_else(tmp_path, copied):
    """Is the learner who copied `copied`'s file (locals renamed, comments dropped, re-formatted,
    handed in as a notebook) paired with them, and only them, and nobody with the reference?"""
    written = write_class(tmp_path / "class", copied)
    output = similarity(tmp_path / "class", tmp_path / "report")
    pairs = flagged(output)
    assert [(part, *sorted(pair)) for part, *pair, _ in pairs] == [("1", *sorted([copied, "gus"]))], output
    assert int(pairs[0][3]) >= 90
    page = (tmp_path / "report" / "index.html").read_text()
    assert page.count('<div class="pair">') == 1
    sides = re.findall(r"<pre>(.*?)</pre>", page, re.DOTALL)
    assert len(sides) == 2 and all("highlight-" in side for side in sides)
    # the regions marked hold what the copied learner wrote themselves: lines of theirs that
    # are in neither the stub nor the reference
    marked = " ".join(html.unescape(m) for side in sides
                      for m in re.findall(r"<span class='highlight-\w+'>(.*?)</span>", side, re.DOTALL))
    course = set((ROOT / "solutions" / "part1_tf2_basics.py").read_text().split("\n")) | set(
        similar_class.stub(1).split("\n"))
    course = {line.strip() for line in course}
    own = {line.strip() for code in written[copied].values() for line in code.splitlines()
           if line.strip() and not line.strip().startswith("#") and line.strip() not in course}
    assert [line for line in own if line in marked], (own, marked)


def test_scores_do_not_change_between_runs(tmp_path):
    """Does a second run (another process, another hash seed) give the same pairs and scores?"""
    write_class(tmp_path / "class", "chen")
    first = similarity(tmp_path / "class", tmp_path / "one")
    second = similarity(tmp_path / "class", tmp_path / "two")
    assert flagged(first) == flagged(second) and flagged(first)


def test_a_missing_folder_is_refused(tmp_path):
    """Does `python -m classroom.review.similarity` refuse a folder that does not exist, with exit 2?"""
    result = subprocess.run([sys.executable, "-m", "classroom.review.similarity", str(tmp_path / "nowhere")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "no such folder" in result.stderr


def test_class_report_shows_the_pair_side_by_side(tmp_path):
    """After grade-batch, does `python -m classroom.review.class_report --submissions` add the section of
    similar submissions to the class report: the copy's pair, both files' shared regions marked?"""
    write_class(tmp_path / "class", "chen")
    graded = subprocess.run([sys.executable, "-m", "classroom.batch", str(tmp_path / "class"), "--part", "1",
                             "--jobs", "2", "--out", str(tmp_path / "batch")], cwd=ROOT, capture_output=True,
                            text=True, timeout=1800)
    assert graded.returncode == 0, graded.stdout + graded.stderr
    result = subprocess.run([sys.executable, "-m", "classroom.review.class_report", "--from", "batch", "--results",
                             str(tmp_path / "batch"), "--submissions", str(tmp_path / "class"), "--out",
                             str(tmp_path / "report")], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0 and result.stderr == "", result.stdout + result.stderr
    assert "Similar submissions: 1 pair above the threshold (part 1: 7 learners, 21 pairs, " in result.stdout
    numbers = json.loads((tmp_path / "report" / "class.json").read_text())
    assert [sorted(pair["learners"]) for pair in numbers["similar_pairs"]] == [["chen", "gus"]]
    page = (tmp_path / "report" / "index.html").read_text()
    section = page.split('<h2 id="similarity">', 1)[1].split("<h2 ", 1)[0]
    assert section.count('<div class="pair">') == 1 and "part 1: chen and gus" in section
    assert "highlight-red" in section and "highlight-green" in section
