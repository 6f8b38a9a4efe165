"""Measure what comes after grading a class, at 100 and 1,000 learners, and write BENCHMARKS.md's
section "After grading a class".

    PYTHONPATH=. .venv/bin/python scripts/bench_classroom.py [--sizes 100 1000] [--out BENCHMARKS.md]

Nobody is graded but the reference, once (every part, for a real results.json to draw the class
from: scripts/synthetic_class.py). Then, for each size, a synthetic class on disk and, timed as
instructors run them (a process each, wall clock): `python -m classroom.review.class_report` on its
results, and `python -m classroom.review.similarity` on its submissions (the reference with bank
answers pasted over it, 2% of learners copying another's files), with the pairs it compared.
The similarity threshold's measurement comes from tests/test_similarity.py's class, scored here
too (every pair, printed in the section).
"""

import argparse
import datetime
import os
import pathlib
import platform
import re
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

HEADING = "## After grading a class: the class report and similar submissions"


def run(*command):
    """(seconds, stdout) of a command run as users run it; fails loudly."""
    begin = time.monotonic()
    result = subprocess.run([sys.executable, *command], cwd=ROOT, capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)))
    if result.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    return time.monotonic() - begin, result.stdout


def reference_results(work):
    """The reference graded, every part: the template the synthetic class is drawn from."""
    report = work / "reference" / "results.json"
    seconds, _ = run("-m", "autograder", "--submission", "solutions", "--report", str(report))
    print(f"graded the reference in {seconds:.1f} s", flush=True)
    import json

    return json.loads(report.read_text())


def measure_report(work, size, template):
    import synthetic_class as synthetic

    results = work / f"results-{size}"
    synthetic.write_results(results, size, template, seed=size)
    seconds, output = run("-m", "classroom.review.class_report", "--from", "batch", "--results", str(results),
                          "--out", str(work / f"report-{size}"))
    print(f"class report, {size} learners: {seconds:.1f} s", flush=True)
    return {"size": size, "seconds": seconds, "summary": output.splitlines()[0]}


def measure_similarity(work, size):
    """Time `python -m classroom.review.similarity` on a synthetic class; sort the pairs it flagged into
    the planted copies, pairs who pasted the same bank answer (the same code beyond the
    reference: flagging them is right), and any other."""
    import synthetic_class as synthetic

    folder = work / f"submissions-{size}"
    copied, pasted = synthetic.write_submissions(folder, size, seed=size)
    seconds, output = run("-m", "classroom.review.similarity", str(folder), "--out", str(work / f"similarity-{size}"))
    parts = [dict(zip(("part", "learners", "pairs", "compared", "seconds"), map(float, match)))
             for match in re.findall(r"^part (\d): (\d+) learners?, (\d+) pairs?, (\d+) past the first cut, "
                                     r"([\d.]+) s$", output, re.MULTILINE)]
    flagged = [(int(part), first, second) for part, first, second
               in re.findall(r"^  part (\d): (\S+) and (\S+): ", output, re.MULTILINE)]
    planted = {tuple(sorted(pair)) for pair in copied.items()}
    found = {tuple(sorted((first, second))) for _, first, second in flagged} & planted
    unplanted = [f for f in flagged if tuple(sorted(f[1:])) not in planted]
    same_answer = [f for f in unplanted if pasted[f[1]].get(f[0], set()) & pasted[f[2]].get(f[0], set())]
    other = [(part, first, sorted(pasted[first].get(part, ())), second, sorted(pasted[second].get(part, ())))
             for part, first, second in unplanted if (part, first, second) not in same_answer]
    print(f"similarity, {size} learners: {seconds:.1f} s", flush=True)
    return {"size": size, "seconds": seconds, "parts": parts, "flagged": len(flagged), "planted": len(planted),
            "found": len(found), "same_answer": len(same_answer), "other": other,
            "phases": phases(folder)}


def phases(folder, part=1):
    """(seconds fingerprinting, seconds for the first cut and the comparisons) of one part, in
    this process: where the time goes."""
    from classroom.review import learner_files, similarity

    files = learner_files.read_class(folder, [part])[part]
    begin = time.monotonic()
    boilerplate = similarity.boilerplate_hashes(part)
    prints = [similarity.fingerprint(f.text, f.path.name, boilerplate) for f in files]
    middle = time.monotonic()
    similarity.drop_common(prints)
    for i, j in similarity.candidate_pairs(prints):
        similarity.compare_files(prints[i], prints[j])
    return middle - begin, time.monotonic() - middle


def threshold_margins(work):
    """Every pair's scores in the similarity test's class, each learner copied in turn."""
    import shutil

    import test_similarity

    from classroom.review import similarity

    copies, independent = [], []
    for copied in test_similarity.INDEPENDENT:
        folder = work / f"threshold-{copied}"
        test_similarity.write_class(folder, copied)
        for pair in similarity.compare_class(folder).parts[0].scored:
            if {pair.first, pair.second} == {copied, "gus"}:
                copies.append(pair)
            elif "gus" not in (pair.first, pair.second):  # gus's other pairs are copied's own
                independent.append(pair)
        shutil.rmtree(folder)
    return copies, independent


def machine():
    cores = len(os.sched_getaffinity(0))
    return (f"{platform.processor() or platform.machine()}, {cores} cores shared with other work (load average "
            f"{os.getloadavg()[1]:.1f} over the last 5 minutes, at the end); Python {platform.python_version()}")


def render(reports, similarities, copies, independent):
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    from classroom.review import similarity

    lines = [HEADING, "",
             f"Measured alone (`scripts/bench_classroom.py`) at commit {commit} on {datetime.date.today()}: "
             f"{machine()}. A synthetic class on disk (scripts/synthetic_class.py; nobody graded but the reference, "
             "once, for a real results.json to draw it from); each command timed as a process of its own, "
             "start-up included.", "",
             "| learners | `make class-report` (results on disk -> reports/class/index.html) |",
             "|---|---|"]
    lines += [f"| {r['size']:,} | {r['seconds']:.1f} s |" for r in reports]
    lines += ["", "| learners | `make similarity` (3 parts) | pairs per part | compared past the first cut "
              "(per part) | copies planted / found | other pairs flagged: the same bank answer pasted / otherwise |",
              "|---|---|---|---|---|---|"]
    for s in similarities:
        pairs = int(s["parts"][0]["pairs"]) if s["parts"] else 0
        compared = ", ".join(f"{int(p['compared']):,}" for p in s["parts"])
        per_part = ", ".join(f"{p['seconds']:.1f}" for p in s["parts"])
        lines.append(f"| {s['size']:,} | {s['seconds']:.1f} s (per part {per_part} s) | {pairs:,} | {compared} | "
                     f"{s['planted']} / {s['found']} | {s['same_answer']} / {len(s['other'])} |")
    top_copy = min(copies, key=lambda p: (p.share, p.shared))
    top_alone = max(independent, key=lambda p: p.share)
    most_shared = max(independent, key=lambda p: p.shared)
    with_reference = [p for p in independent if "fay" in (p.first, p.second)]
    largest = similarities[-1]
    fingerprinting, comparing = largest["phases"]
    other = next((s["other"][0] for s in similarities if s["other"]), None)
    lines += ["",
              "Pairs grow as n(n-1)/2 per part; the work does not. Fingerprinting is linear in the class "
              "(each file tokenized by Pygments and winnowed once): in part 1 of the class of "
              f"{largest['size']:,}, {fingerprinting:.1f} s, against {comparing:.1f} s for the rest. The first "
              "cut counts every pair's shared fingerprints at once (a sparse learner-by-fingerprint product, "
              "after dropping the stub's and the reference's fingerprints and those more than "
              f"{similarity.COMMON_LEARNERS} learners share), and only pairs sharing at least "
              f"{similarity.FIRST_CUT_FINGERPRINTS} fingerprints are compared region by region.", "",
              "The synthetic learners are the reference with one to four of the banks' answers pasted over "
              "it and a helper of their own (random arithmetic: most of a real learner's code is theirs "
              "alone); 2% copy another's files. Two learners who pasted the same answer share that code "
              "beyond the reference, as a copy would, and are flagged when it is most of what they wrote; "
              f"an answer more than {similarity.COMMON_LEARNERS} learners pasted, as in the larger class, is "
              "common code and is not."
              + (f" Flagged otherwise: pairs who pasted different answers (the banks' answers to one exercise "
                 f"are often variations of each other), e.g. part {other[0]}: {other[1]}, {', '.join(other[2])}; "
                 f"and {other[3]}, {', '.join(other[4])}." if other else ""), "",
              f"The threshold (flag when the shared code is at least {similarity.FLAG_SHARED_CHARACTERS} "
              f"characters of tokenized code and at least {similarity.FLAG_SHARE:.0%} of the smaller "
              "learner's own code) comes from tests/test_similarity.py's class, each of its five independent "
              "learners copied in turn (locals renamed, comments dropped, re-formatted, handed in as a "
              f"notebook): the least similar copy shares {top_copy.share:.0%} ({top_copy.shared} characters, "
              f"{top_copy.first} and {top_copy.second}); the most similar pair of learners who wrote alone "
              f"{top_alone.share:.0%} ({top_alone.shared} characters, {top_alone.first} and {top_alone.second}), "
              f"and the pair sharing the most code {most_shared.shared} characters ({most_shared.share:.0%}, "
              f"{most_shared.first} and {most_shared.second}); the learner who handed in the reference (fay) "
              + (f"shares at most {max(p.share for p in with_reference):.0%} with anyone." if with_reference
                 else "shares too little with anyone to pass the first cut.")]
    return "\n".join(lines) + "\n"


def write_section(section, out):
    text = out.read_text()
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    text = pattern.sub(lambda _: section + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    out.write_text(text)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-classroom-") as work:
        work = pathlib.Path(work)
        template = reference_results(work)
        reports = [measure_report(work, size, template) for size in args.sizes]
        similarities = [measure_similarity(work, size) for size in args.sizes]
        copies, independent = threshold_margins(work)
    section = render(reports, similarities, copies, independent)
    write_section(section, args.out)
    print(section)
    print(f"bench: rewrote \"{HEADING.removeprefix('## ')}\" in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
