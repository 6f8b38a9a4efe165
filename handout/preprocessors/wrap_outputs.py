"""Feedback: wrap long output lines (nbgrader's page cuts them off at the right edge)."""

from nbgrader.preprocessors import NbGraderPreprocessor


class WrapOutputs(NbGraderPreprocessor):
    """Feedback: wrap long output lines (nbgrader's page cuts them off at the right edge)."""

    css = ("div.output_area pre, div.output_subarea pre, .output_text pre, .output_error pre "
           "{ white-space: pre-wrap; word-wrap: break-word; overflow-wrap: anywhere; }")

    def preprocess(self, nb, resources):
        resources.setdefault("inlining", {}).setdefault("css", []).append(self.css)
        return nb, resources
