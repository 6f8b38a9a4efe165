"""A synthetic class on disk, for measuring the class report at scale without grading anyone.

    write_results(out, learners, template, seed)    grade-batch's folder: out/grades.csv and
                                                    out/<learner>/results.json
    write_submissions(out, learners, seed)          one folder per learner: partN_*.py files

`template` is a real results.json (the reference graded, every part: scripts/bench_classroom.py
grades it once), so the schema, the checks, their points and the measured quantities are the
grader's own; each learner's outcomes are drawn from it: a check passes with a probability of
its own, a failing check says one of a few sentences with numbers in them, measured values
spread around the threshold (below it exactly when the check fails), times and memory vary
around the reference's. A few learners hand no file in for a part, as in a real class.

The submissions are the reference with a random few of the bank's wrong answers and correct
variants pasted over it (materials/banks.py), and a helper of each learner's own (random
arithmetic: in a real class most of a learner's code is theirs alone, while a bank answer is
pasted by dozens); a few learners copied another's files.
Instructor-side; used by scripts/bench_classroom.py only.
"""

import copy
import csv
import json
import pathlib
import random

NO_FILE_SHARE = 0.02  # learners with no file for a given part
COPIER_SHARE = 0.02  # learners in write_submissions who copied someone's file


def failure_message(rng, part, exercise, check):
    kind = rng.randrange(3)
    number = rng.choice([rng.randint(0, 9), round(rng.uniform(0, 2), 3)])
    said = [f"the value of {check} should be {rng.randint(1, 5)}, got {number}.",
            f"your code raised ValueError: shapes ({rng.randint(1, 64)}, {rng.randint(1, 9)}) are incompatible.",
            "not attempted yet"][kind]
    return f"part {part}, {exercise}: {said}"


def learner_results(rng, template, difficulty, no_file):
    """One learner's results.json drawn from `template`; `difficulty`: {check: pass probability}."""
    results = copy.deepcopy(template)
    problems = {}
    for test in results["tests"]:
        extra = test["extra_data"]
        part, check = extra["part"], extra["check"]
        extra["seconds"] = round(extra["seconds"] * rng.lognormvariate(0, 0.3), 3)
        if part in no_file:
            passed, message = False, f"part {part}, {extra['exercise']}: no file for part {part}"
            extra.pop("measured", None)
            problems[str(part)] = ["no file"]
        else:
            passed = rng.random() < difficulty[part, check]
            message = "" if passed else failure_message(rng, part, extra["exercise"], check)
        for m in extra.get("measured", []):
            gap = abs(rng.gauss(0, 0.05)) + 1e-3
            above = passed != bool(m.get("at_most"))  # a pass lies on the threshold's good side
            m["value"] = m["threshold"] + (gap if above else -gap)
        extra["status"] = "passed" if passed else ("error" if part in no_file else "failed")
        extra["message"] = message
        test["score"] = test["max_score"] if passed else 0
        test["status"] = "passed" if passed else "failed"
    results["score"] = sum(t["score"] for t in results["tests"])
    for part in results.get("extra_data", {}).get("parts", []):
        part["seconds"] = round(part["seconds"] * rng.lognormvariate(0, 0.2), 2)
        part["peak_rss_mb"] = round(part["peak_rss_mb"] * rng.gauss(1, 0.04), 1)
    results.setdefault("extra_data", {})["problems"] = problems
    return results


def write_results(out, learners, template, seed=0):
    """grade-batch's results folder for `learners` synthetic learners; returns their names."""
    rng = random.Random(seed)
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    checks = [(t["extra_data"]["part"], t["extra_data"]["check"]) for t in template["tests"]]
    parts = sorted({part for part, _ in checks})
    difficulty = {key: rng.betavariate(8, 1.5) for key in checks}
    names = [f"learner{number:04d}" for number in range(learners)]
    with open(out / "grades.csv", "w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["learner"] + [f"part{p}" for p in parts] + ["total", "max", "problem"])
        for name in names:
            no_file = {p for p in parts if rng.random() < NO_FILE_SHARE}
            results = learner_results(rng, template, difficulty, no_file)
            (out / name).mkdir(exist_ok=True)
            (out / name / "results.json").write_text(json.dumps(results, indent=2) + "\n")
            by_part = {p: sum(t["score"] for t in results["tests"] if t["extra_data"]["part"] == p) for p in parts}
            problem = "; ".join(f"part {p}: no file" for p in sorted(no_file))
            writer.writerow([name] + [f"{by_part[p]:g}" for p in parts]
                            + [f"{results['score']:g}", f"{results['max_score']:g}", problem])
    return names


def own_code(rng, name):
    """A helper only this learner wrote: random statements with random numbers (about 250
    characters once copydetect has abstracted its names)."""
    forms = ["value = value {op} {a}", "value = abs(value - {a})", "value = max(value, {a}) {op} {b}",
             "if value > {a}:\n        value = value {op} {b}"]
    lines = [f"def {name}_own_helper(value):"]
    for _ in range(16):
        lines.append("    " + rng.choice(forms).format(op=rng.choice("+-*%"), a=rng.randint(2, 997), b=rng.randint(2, 97)))
    return "\n".join(lines + ["    return value", ""])


def write_submissions(out, learners, seed=0, parts=(1, 2, 3)):
    """A class of `learners` folders of partN_*.py files. Returns (copied, pasted): {copier: the
    learner whose files they copied}, {learner: {part: the bank files pasted over the reference}}
    (two learners who pasted the same answer share its code, as two copies would)."""
    from materials import banks

    rng = random.Random(seed)
    out = pathlib.Path(out)
    bank = {part: banks.bank(banks.WRONG_ANSWERS, part) + banks.bank(banks.CORRECT_VARIANTS, part) for part in parts}
    names = [f"learner{number:04d}" for number in range(learners)]
    copied, pasted = {}, {}
    for index, name in enumerate(names):
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        if index and rng.random() < COPIER_SHARE:
            source = rng.choice([n for n in names[:index] if n not in copied])
            copied[name], pasted[name] = source, pasted[source]
            for path in (out / source).glob("part*.py"):
                (folder / path.name).write_text(path.read_text())
            continue
        pasted[name] = {}
        for part in parts:
            if rng.random() < NO_FILE_SHARE:
                continue
            answers = rng.sample(bank[part], k=min(len(bank[part]), rng.randint(1, 4)))
            pasted[name][part] = {answer.name for answer in answers}
            text = banks.reference_file(part).read_text()
            for answer in answers:
                text += f"\n\n# ---- {name}'s version\n" + answer.read_text()
            text += "\n\n" + own_code(rng, name)
            (folder / banks.reference_file(part).name).write_text(text)
    return copied, pasted
