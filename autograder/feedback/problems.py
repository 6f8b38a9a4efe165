"""What went wrong in a part, in the words an instructor sorts a class by (grades.csv's problem
column, results.json's extra_data.problems).

A check's message tells the learner what happened in a sentence; this names its kind. Results
made by the parent (supervise/) for a process it saw die carry their kind ("problem"); results a grading process
sent are recognised by how the grader words them, right after "part N, exercise: " (a learner's
own text can only come later in the sentence).
"""

from autograder.feedback import report

WORDING = [  # (how the message's sentence starts, the kind)
    ("your file has a syntax error", "syntax error"),
    ("no file for part", "no file"),
    ("importing your file timed out", "timeout"),
    ("your file could not be imported", "import error"),
    ("your file replaced", "tampering"),
    ("your code replaced", "tampering"),
    ("timed out after", "timeout"),
    ("your code ran out of memory", "out of memory"),
    ("your code raised ResourceExhaustedError", "out of memory"),  # TensorFlow's MemoryError
]


def kind_of_death(returncode):
    """A process the parent stopped at a time limit (None) or one that died on its own."""
    return "timeout" if returncode is None else "crash"


def kind_of(result):
    """The kind of problem one check's result shows, or None (passed, failed, not attempted, or
    an exception in the learner's function: a wrong answer, not a problem)."""
    if result.get("problem"):
        return result["problem"]
    sentence = report.message_body(result)
    return next((kind for start, kind in WORDING if sentence.startswith(start)), None)


def by_part(results, notebook_only=lambda part: False):
    """{part: [kinds, in order of first appearance]} for the parts that had any. A missing file
    is "notebook only" where `notebook_only(part)` says the learner handed in that part's notebook."""
    found = {}
    for result in results:
        kind = kind_of(result)
        if kind == "no file" and notebook_only(result["part"]):
            kind = "notebook only"
        if kind and kind not in found.setdefault(result["part"], []):
            found[result["part"]].append(kind)
    return {part: kinds for part, kinds in found.items() if kinds}
