"""Disarms pytest.fail so that failing checks would look like passes.

base: stub
expect: *: error "your file replaced pytest.fail"
problem: part 1: tampering
"""
import pytest

pytest.fail = lambda *args, **kwargs: None
