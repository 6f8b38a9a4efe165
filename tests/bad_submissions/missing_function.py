"""Deletes an exercise function: that check says which name is missing; the rest are graded.

base: reference
expect: standardize_matches_numpy: failed "your file has no `standardize`"
expect: *: passed
"""
del standardize
