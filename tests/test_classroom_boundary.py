"""What comes after grading (classroom/'s class report, similarity, LMS export, leaderboard)
reads what grading wrote and learners' files as text: does it import only the grader modules its
package docstring names, none that imports or runs a learner's code?"""

import ast

from conftest import ROOT

AFTER_GRADING = ["class_report", "class_results", "gradebook", "statistics", "plots", "learner_files",
                 "similarity", "lms_export", "leaderboard", "synthetic"]
ALLOWED = {"autograder.registry", "autograder.report", "autograder.from_notebook", "materials.banks"}
COURSE_PACKAGES = ("autograder", "handout", "coursekit", "materials", "generate", "solutions", "exercises")


def imported_modules(path):
    """Every module a file imports, `from a import b` giving a.b when b is a module of a."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                is_module = (ROOT / candidate.replace(".", "/")).with_suffix(".py").is_file()
                found.add(candidate if is_module else node.module)
    return found


def test_after_grading_imports_only_what_its_docstring_names():
    """Does each module of classroom/ that comes after grading import, of the course's own packages,
    only autograder.registry, autograder.report, autograder.from_notebook and materials.banks, and
    does the package docstring name each of them?"""
    docstring = ast.get_docstring(ast.parse((ROOT / "classroom" / "__init__.py").read_text()))
    for name in AFTER_GRADING:
        imported = imported_modules(ROOT / "classroom" / f"{name}.py")
        course = {module for module in imported if module.split(".")[0] in COURSE_PACKAGES}
        assert course <= ALLOWED, (name, course - ALLOWED)
    assert all(module in docstring for module in ALLOWED)
