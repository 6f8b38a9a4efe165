"""Tries to download a data set at grading time.

base: stub
expect: standardize_matches_numpy: error "network access is disabled while grading"
expect: *: not attempted
"""
import urllib.request


def standardize(x, axis=0):
    return urllib.request.urlopen("http://example.com/digits.npz").read()
