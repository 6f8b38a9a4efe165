"""Feedback: a failed hidden test's traceback quotes the cell's lines: keep its one-line message."""

from nbgrader.preprocessors import NbGraderPreprocessor


class ShortenHiddenTestErrors(NbGraderPreprocessor):
    """A failed hidden test's traceback quotes the cell's lines: keep only its one-line message."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and "BEGIN HIDDEN TESTS" in cell.source:
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources
