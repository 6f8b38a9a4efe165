"""The instructor's materials: what builds the course's data and checks its grader, never handed out.

    materials/pretrain.py     the recipe of Part 3's pretrained base (`make pretrained`)
    materials/grader_data.py  the data files the checks read (`make grader-data`)
    materials/banks.py        the banks of wrong answers and correct variants, as files

Nothing here travels with a release, the student repository or the Gradescope zip
(handout/helpers.py copies autograder/ and coursekit/ only), so this is where code may build what
an exercise returns.
"""
