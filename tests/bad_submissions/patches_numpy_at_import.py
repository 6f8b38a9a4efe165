"""Makes every NumPy comparison say "equal" when imported.

base: stub
expect: *: error "your file replaced numpy.allclose"
problem: part 1: tampering
"""
import numpy

numpy.allclose = lambda *args, **kwargs: True
numpy.array_equal = lambda *args, **kwargs: True
