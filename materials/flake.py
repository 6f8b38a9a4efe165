"""`make flake-check`: grade the reference under many seeds; every check must pass every time.

    python -m materials.flake [--seeds 20] [--part N ...] [--submission solutions]

The grader normally uses one fixed seed, so a learner's score never changes between runs. A
threshold that only holds for that seed would still be a coin toss for a learner whose correct
code draws differently, so this grades the reference with seeds 0..N-1 (all parts in one process,
one TensorFlow import), prints each check's pass rate, and each threshold's worst margin.
"""

import argparse
import collections
import sys

from autograder.checkkit import environment, verdict
from autograder.checkkit.registry import course_parts
from autograder.checks import checks_for
from autograder.execute import check_runner, learner_module
from autograder.intake import choose


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m materials.flake", description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--part", type=int, action="append", default=[])
    parser.add_argument("--submission", default="solutions")
    args = parser.parse_args(argv)

    environment.quiet_tensorflow()
    parts = args.part or course_parts()
    passes = collections.Counter()
    margins = collections.defaultdict(list)  # what -> [(margin, value, threshold, at_most)]
    failures = []
    for part in parts:
        module = learner_module.import_part(choose.find_part_file(args.submission, part), part)
        for seed in range(args.seeds):
            for graded in checks_for(part):
                verdict.MEASURED.clear()
                status, message = check_runner.run_check(graded, module, seed=seed)
                passes[(part, graded.name)] += status == "passed"
                if status != "passed":
                    failures.append(f"seed {seed}: part {part} {graded.name}: {message}")
                for what, value, threshold, at_most in verdict.MEASURED:
                    margin = threshold - value if at_most else value - threshold
                    margins[what].append((margin, value, threshold, at_most))
            print(f"part {part}: seed {seed} done", file=sys.stderr, flush=True)

    print(f"{'check':60s} passed")
    for part in parts:
        for graded in checks_for(part):
            print(f"part {part} {graded.name:53s} {passes[(part, graded.name)]}/{args.seeds}")
    print()
    print(f"{'threshold':50s} {'limit':>9s} {'worst':>9s} {'median':>9s} {'margin':>9s}")
    for what, rows in margins.items():
        rows.sort()
        worst = rows[0]
        median = rows[len(rows) // 2]
        sign = "<=" if worst[3] else ">="
        print(f"{what:50s} {sign}{worst[2]:8.4g} {worst[1]:9.4g} {median[1]:9.4g} {worst[0]:+9.4g}")
    if failures:
        print("\n".join(["", "Failures:"] + failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
