"""The course's grader: `python -m autograder` (`make grade`) grades one learner's files.

Folders by job, and on which side of the process boundary each runs. The learner's code runs only
in a grading process, forked for each part from a server that imported TensorFlow once; the parent
that supervises it never imports TensorFlow nor runs the learner's code.

    folder       job                                              runs in
    checks/      what is graded: one module of checks per part     the grading process
    checkkit/    what checks may use: registry, thresholds,        the grading process (the
                 budgets and limits, TF inspection, artifacts,     registry, limits and budgets
                 the verdict vocabulary, phase(), seeds            are read by the parent too)
    feedback/    how outcomes are worded: learner errors, known    either side; no TensorFlow
                 TensorFlow errors, hints and their levels (make
                 hint), the attempt log and `make progress`,
                 problems, the report, the terminal's progress
    intake/      finding and reading a submission: which file,     either side; no TensorFlow
                 a notebook turned into a module, what each
                 check depends on in it (ast, never run)
    execute/     what runs in the grading process beside the       the grading process (and the
                 learner's code: its body, the pytest plugin,      fork server's preload, and a
                 running one check, the tamper guard, importing    notebook's kernel for its
                 the learner's module, the notebooks' grade_cell   formative test cells)
    supervise/   the parent: the command line, the parts, the      the parent; never TensorFlow
                 fork server, the container's CPUs and memory,
                 the store of kept outcomes, `make watch`

Which folder may import which (a test reads every module's imports and fails on any other arrow,
and on any import circle: tests/test_house.py). Third-party packages follow each row's notes.

    importer                    may import
    autograder.checkkit         coursekit
    autograder.checks           autograder.checkkit, coursekit
    autograder.feedback         autograder.checkkit
    autograder.intake           autograder.checkkit
    autograder.execute          autograder.checkkit, autograder.checks, autograder.feedback, autograder.intake, coursekit
    autograder.supervise        autograder.checkkit, autograder.execute.process, autograder.execute.sandbox,
                                autograder.feedback, autograder.intake
    autograder                  autograder.supervise
    classroom                   autograder.checkkit, autograder.execute.sandbox, autograder.feedback,
                                autograder.intake, autograder.supervise
    handout                     autograder, classroom, generate
    generate                    autograder.checkkit, autograder.checks
    materials                   autograder, coursekit, generate
    coursekit                   (nothing of this repository)

Grading a class (batch, Dask, warm graders) is instructor-only and lives outside, in classroom/;
what ships to learners (releases, the student repository, the Gradescope zip) is this folder and
coursekit/, exactly what grading their own file needs.
"""
