"""Prints 100 MB at import and 100 MB more in a check: printing costs nothing. The first megabyte
is kept beside the report, the rest counted ("... 199 MB more output not shown"), and every check
passes.

base: reference
expect: *: passed
"""
_LINE = "x" * 1023
for _ in range(100 * 1024):
    print(_LINE)

_reference_standardize = standardize  # noqa: F821 (the reference's, above this case)
_flooded = []


def standardize(x, axis=0):
    if not _flooded:  # once: the check calls it for several axes
        _flooded.append(True)
        for _ in range(100 * 1024):
            print(_LINE)
    return _reference_standardize(x, axis)
