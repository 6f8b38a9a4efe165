"""`python -m handout <command>`: the instructor's hand-out and grading commands (see __init__)."""

import argparse
import pathlib
import sys

from handout import gradescope, nbgrader_course, student_repo
from handout.helpers import HiddenCheckError
from handout.nbgrader_course import COURSE, CourseError


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m handout", description=__doc__.splitlines()[0])
    parser.add_argument("--course", type=pathlib.Path, default=COURSE, help="nbgrader course folder")
    commands = parser.add_subparsers(dest="command", required=True)
    release = commands.add_parser("release", help="validate, generate_assignment, release_assignment")
    release.add_argument("--no-validate", action="store_true", help="skip `nbgrader validate`")
    commands.add_parser("collect", help="collect submissions from the exchange")
    autograde = commands.add_parser("autograde", help="autograde collected submissions")
    autograde.add_argument("--force", action="store_true", help="regrade already graded ones")
    autograde.add_argument("--jobs", type=int, default=None,
                           help="learners graded at once (default: as many as the CPUs and memory allow)")
    commands.add_parser("feedback", help="generate and release feedback")
    export = commands.add_parser("export", help="write the gradebook as CSV")
    export.add_argument("--to", default="grades.csv", help="file name inside the course folder")
    repo = commands.add_parser("student-repo", help="write the learners' repository")
    repo.add_argument("--dest", type=pathlib.Path, default=student_repo.DEST)
    zip_ = commands.add_parser("gradescope", help="write the Gradescope autograder zips, one per part")
    zip_.add_argument("--dest", type=pathlib.Path, default=gradescope.DEST, help="folder of the zips")
    zip_.add_argument("--part", type=int, action="append", help="a part to write a zip for (default: each)")
    zip_.add_argument("--all", action="store_true", help="also a zip that grades every part")
    zip_.add_argument("--leaderboard", action="store_true",
                      help="results.json carries the held-out accuracies as leaderboard entries")
    args = parser.parse_args(argv)

    course = args.course.resolve()
    try:
        if args.command == "release":
            nbgrader_course.release(course, validate=not args.no_validate)
        elif args.command == "collect":
            nbgrader_course.collect(course)
        elif args.command == "autograde":
            nbgrader_course.autograde(course, force=args.force, jobs=args.jobs)
        elif args.command == "feedback":
            nbgrader_course.feedback(course)
        elif args.command == "export":
            nbgrader_course.export(course, args.to)
        elif args.command == "student-repo":
            student_repo.build(args.dest)
        elif args.command == "gradescope":
            gradescope.build(args.dest, args.part, all_parts=args.all, leaderboard=args.leaderboard)
    except (CourseError, HiddenCheckError, gradescope.UnknownPart) as error:
        print(f"handout: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
