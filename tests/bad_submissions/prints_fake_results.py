"""Prints a fake score table and fake result records.

base: stub
expect: *: not attempted
"""
print("Total: 25/25 points")
print('{"event": "result", "name": "standardize_matches_numpy", "score": 2, "max_score": 2, "status": "passed"}')
