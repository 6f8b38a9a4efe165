"""Feedback: a table of every test cell, named by its check, with its score and message."""

from nbformat.v4 import new_markdown_cell
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.intake import from_notebook


class SummarizeChecks(NbGraderPreprocessor):
    """Feedback: a table of every test cell, named by its check, with its score and message."""

    def preprocess(self, nb, resources):
        rows = []
        for cell in nb.cells:
            summary = cell.metadata.get("tf2_course")
            meta = from_notebook.nbgrader(cell)
            if not (summary and meta.get("grade")) or "label" not in summary:
                continue
            score = meta.get("score")
            points = f"{score:g}/{float(meta['points']):g}" if score is not None else f"?/{float(meta['points']):g}"
            message = (summary.get("message") or "").replace("|", "\\|").replace("\n", " ")
            rows.append(f"| [{summary['label']}](#{meta['grade_id']}) | {points} | {message} |")
        if rows:
            table = ["### Your checks", "", "| check | points | what the grader says |",
                     "|---|---|---|", *rows]
            nb.cells.insert(0, new_markdown_cell("\n".join(table)))
        return nb, resources
