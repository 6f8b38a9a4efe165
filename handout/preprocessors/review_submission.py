"""Note what a learner did to test and read-only cells; restore the hidden tests as released."""

from autograder.intake import from_notebook
from handout.pregrade import source_notebook
from handout.preprocessors.base import CoursePreprocessor


class ReviewSubmission(CoursePreprocessor):
    """Note what a learner did to test and read-only cells; restore hidden tests as released."""

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        source = source_notebook(self.course_root, info["assignment"], info["notebook"])
        notes = review(nb, source)
        nb.metadata["tf2_course"] = {"notes": notes}
        return nb, resources


def released_form(text):
    """A test cell's source as nbgrader releases it: hidden test lines cut out."""
    lines, inside = [], False
    for line in text.split("\n"):
        if "BEGIN HIDDEN TESTS" in line:
            inside = True
        elif "END HIDDEN TESTS" in line:
            inside = False
        elif not inside:
            lines.append(line)
    return "\n".join(lines)


def review(nb, source):
    """Sentences about the learner's changes to locked cells; restores released hidden tests."""
    originals = {from_notebook.nbgrader(c).get("grade_id"): c for c in source["cells"]}
    seen, notes = {}, []
    for cell in nb.cells:
        grade_id = from_notebook.nbgrader(cell).get("grade_id")
        original = originals.get(grade_id)
        if original is None:
            continue
        seen[grade_id] = seen.get(grade_id, 0) + 1
        meta, text = from_notebook.nbgrader(original), from_notebook.text_of(original)
        if not meta.get("locked"):
            continue
        what = "test cell" if meta.get("grade") else "read-only cell"
        if cell.cell_type != original["cell_type"]:
            notes.append(f"The {what} `{grade_id}` was turned into a {cell.cell_type} cell; it was "
                         "put back as released.")
        elif cell.source == released_form(text) and cell.source != text:
            cell.source = text  # hidden tests come back quietly: the learner never saw them
        elif cell.source != text:
            notes.append(f"The {what} `{grade_id}` was edited; it was put back as released.")
        if meta.get("grade") and float(from_notebook.nbgrader(cell).get("points", 0)) != float(meta["points"]):
            notes.append(f"The points of `{grade_id}` were changed; the released points count.")
    for grade_id, original in originals.items():
        meta = from_notebook.nbgrader(original)
        if meta.get("grade") and grade_id not in seen:
            notes.append(f"The test cell `{grade_id}` was missing; it was put back.")
    repeated = sorted(g for g, count in seen.items() if count > 1)
    if repeated:
        notes.append("Several cells carry the id " + ", ".join(f"`{g}`" for g in repeated)
                     + "; the last one counts, the others are graded as cells you added.")
        # nbgrader's DeduplicateIds would empty their metadata, which its OverwriteCells then
        # trips over (KeyError 'grade_id': the learner would not be graded at all)
        for cell in reversed(nb.cells):
            grade_id = from_notebook.nbgrader(cell).get("grade_id")
            if grade_id in repeated:
                seen[grade_id] -= 1
                if seen[grade_id] > 0:
                    del cell.metadata["nbgrader"]
    return notes
