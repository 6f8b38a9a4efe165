"""A missing colon: the file cannot even be parsed.

base: none
expect: *: error "syntax error at line 7"
problem: part 1: syntax error
"""
def standardize(x, axis=0)
    return x
