"""An endless loop at module level: importing the file times out, every check says so.

base: stub
expect: *: error "importing your file timed out after 15 s"
problem: part 1: timeout
"""
while True:
    pass
