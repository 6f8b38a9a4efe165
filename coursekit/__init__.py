"""Helpers shared by the course's exercises, solutions and grader: data, pretrained models, pictures.

Nothing here is an exercise and nothing here grades: stubs, the reference and the autograder may
all import it, and it travels with every release of the course.
"""
