"""`make similarity SUBMISSIONS=<folder>`: the pairs of learners whose code is more alike than
working alone explains, with their shared regions side by side.

    python -m classroom.review.similarity SUBMISSIONS [--part N ...] [--out reports/similarity]

The exercises are small and their TODOs prescriptive, so learners who work alone converge on the
reference's lines. Both the released stub and the reference are boilerplate: what is compared is
what remains (structure, shared mistakes, the learner's own way of writing). Comparison is
copydetect's (Moss's winnowing): each file is tokenized with names, strings and comments
abstracted (a renamed local or a dropped comment changes nothing), cut into k-grams and
winnowed into fingerprints; a fingerprint of the boilerplate is dropped, and so is one that more
than COMMON_LEARNERS learners share (Moss's -m: what many write is the obvious way, not copying).

Every pair per part is a pair the class could have copied: n(n-1)/2 of them. A first cut by
fingerprints keeps it practical: an index of which learner holds which fingerprint gives every
pair's count of shared fingerprints at once (a sparse product), and only pairs sharing at least
FIRST_CUT_FINGERPRINTS are compared region by region. A pair is flagged when both of:
    the shared code is at least FLAG_SHARED_CHARACTERS of tokenized code (not a stray idiom), and
    it is at least FLAG_SHARE of the code of the learner who wrote less beyond the boilerplate.

Instructor-side; imported by classroom.review.class_report. Reads learners' files; runs none of them.
"""

import argparse
import dataclasses
import hashlib
import pathlib
import sys
import time

import numpy as np
import scipy.sparse
from copydetect import utils as copydetect_utils
from copydetect.detector import compare_files

from classroom.review import learner_files
from classroom.review.pages import environment

NOISE = 25  # k: characters of tokenized code per k-gram (copydetect's default noise threshold)
GUARANTEE = 30  # a match this long is always found (copydetect's default): window = 30 - 25 + 1
COMMON_LEARNERS = 10  # a fingerprint held by more learners than this is ignored (Moss's -m default)
# Shared fingerprints a pair needs to be compared region by region. Winnowing keeps at least one
# fingerprint in every window of GUARANTEE - NOISE + 1 = 6 k-grams, so FLAG_SHARED_CHARACTERS
# shared hold at least (150 - 25 + 1) / 6 = 21 of them: the cut cannot drop a pair it would flag.
FIRST_CUT_FINGERPRINTS = 4
# Measured on tests/test_similarity.py's class, each of its five learners copied in turn (every
# pair's scores: scripts/bench_classroom.py, BENCHMARKS.md). The copies share 93-100% of the
# smaller learner's own code (247 to 1,548 characters); learners who wrote alone at most 29% (72
# characters), and the most any two of them share is 196 characters (18%). The share decides:
# 50% sits between 29% and 93%. The floor keeps two learners who wrote little beyond the
# reference from being paired for one idiom written alike: below the smallest copy (247).
FLAG_SHARED_CHARACTERS = 150
FLAG_SHARE = 0.5
SHOWN_LINES_AROUND = 3  # lines of context kept around each shared region in the report


@dataclasses.dataclass
class Fingerprint:
    """A file as copydetect compares it (the attributes copydetect.detector.compare_files reads)."""
    filename: str
    raw_code: str
    filtered_code: str
    offsets: np.ndarray
    hashes: set
    hash_idx: dict
    k: int = NOISE

    @property
    def token_coverage(self):
        return copydetect_utils.get_token_coverage(self.hash_idx, self.k, len(self.filtered_code))


@dataclasses.dataclass
class SimilarPair:
    part: int
    first: str
    second: str
    shared: int  # characters of tokenized code the two share, beyond the boilerplate
    share_first: float  # of the first learner's own code (beyond the boilerplate), the share shared
    share_second: float
    first_html: str = ""  # the two files with the shared regions highlighted (report)
    second_html: str = ""

    @property
    def share(self):
        """Of the code of the learner who wrote less beyond the boilerplate, the share shared."""
        return max(self.share_first, self.share_second)

    @property
    def flagged(self):
        return self.shared >= FLAG_SHARED_CHARACTERS and self.share >= FLAG_SHARE

    def summary(self):
        return {"part": self.part, "learners": [self.first, self.second], "shared": int(self.shared),
                "share": round(float(self.share), 3)}


@dataclasses.dataclass
class PartComparison:
    part: int
    learners: int
    pairs: int  # every pair of the part: n(n-1)/2
    compared: int  # pairs past the first cut
    seconds: float
    scored: list  # [SimilarPair] of every pair compared, flagged or not


@dataclasses.dataclass
class ClassSimilarity:
    parts: list  # [PartComparison]

    @property
    def pairs(self):
        """The flagged pairs, most alike first."""
        found = [p for part in self.parts for p in part.scored if p.flagged]
        return sorted(found, key=lambda p: (-p.share, -p.shared, p.part, p.first, p.second))

    @property
    def settings(self):
        return {"common_learners": COMMON_LEARNERS, "flag_characters": FLAG_SHARED_CHARACTERS,
                "flag_share": FLAG_SHARE}

    def headline(self):
        counted = ", ".join(f"part {p.part}: {plural(p.learners, 'learner')}, {plural(p.pairs, 'pair')}, "
                            f"{p.compared} compared past the first cut" for p in self.parts)
        return f"Similar submissions: {plural(len(self.pairs), 'pair')} above the threshold ({counted or 'no files'})"


def plural(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"


def stable_hashes(code, k=NOISE):
    """The 64-bit hash of every k-gram of `code`. copydetect hashes with Python's hash(), which
    changes from one process to the next (PYTHONHASHSEED), and so would its winnowed fingerprints
    and every score: these do not."""
    return np.array([int.from_bytes(hashlib.blake2b(code[i:i + k].encode(), digest_size=8).digest(),
                                    "little", signed=True) for i in range(len(code) - k + 1)], dtype=np.int64)


def fingerprint(text, name, boilerplate=None):
    """The winnowed fingerprints of one file, those in `boilerplate` (an array of hashes) dropped:
    copydetect's steps."""
    filtered, offsets = copydetect_utils.filter_code(text, name, "python")
    hashes = stable_hashes(filtered)
    if len(hashes):
        hashes, indexes = copydetect_utils.winnow(hashes, GUARANTEE - NOISE + 1, remove_duplicates=False)
    else:
        indexes = np.array([], dtype=np.int64)
    keep = ~np.isin(hashes, boilerplate if boilerplate is not None else np.array([], dtype=np.int64))
    hash_idx = {}
    for value, index in zip(hashes[keep].tolist(), indexes[keep].tolist()):
        hash_idx.setdefault(value, []).append(index)
    return Fingerprint(name, text, filtered, offsets, set(hash_idx), hash_idx)


def boilerplate_hashes(part, course=learner_files.COURSE):
    """Every k-gram hash of the part's stub and reference (all of them, not only winnowed ones),
    as one sorted array."""
    found = [np.array([], dtype=np.int64)]
    for text in learner_files.boilerplate(part, course):
        filtered, _ = copydetect_utils.filter_code(text, "boilerplate.py", "python")
        found.append(stable_hashes(filtered))
    return np.unique(np.concatenate(found))


def drop_common(prints, limit=COMMON_LEARNERS):
    """Forget every fingerprint more than `limit` learners hold (in place)."""
    held = {}
    for one in prints:
        for value in one.hashes:
            held[value] = held.get(value, 0) + 1
    common = {value for value, count in held.items() if count > limit}
    for one in prints:
        one.hashes -= common
        for value in common & one.hash_idx.keys():
            del one.hash_idx[value]


def candidate_pairs(prints, at_least=FIRST_CUT_FINGERPRINTS):
    """[(i, j)] with i < j of the learners sharing at least `at_least` fingerprints: a learner by
    fingerprint matrix times its transpose counts every pair's shared fingerprints at once."""
    column = {value: c for c, value in enumerate(sorted(set().union(*(p.hashes for p in prints))))}
    rows = [r for r, p in enumerate(prints) for _ in p.hashes]
    columns = [column[value] for p in prints for value in p.hashes]
    held = scipy.sparse.csr_matrix((np.ones(len(rows), dtype=np.int32), (rows, columns)),
                                   shape=(len(prints), max(1, len(column))))
    shared = scipy.sparse.triu(held @ held.T, k=1).tocoo()
    return sorted((int(i), int(j)) for i, j, count in zip(shared.row, shared.col, shared.data) if count >= at_least)


def highlighted(code, slices, colour):
    """The file as HTML (escaped), shared regions marked, long stretches between them cut."""
    html, _ = copydetect_utils.highlight_overlap(code, slices, f"<span class='highlight-{colour}'>", "</span>",
                                                 truncate=SHOWN_LINES_AROUND, escape_html=True)
    return html


def compare_part(part, files, course=learner_files.COURSE):
    """PartComparison of one part's LearnerFiles."""
    begin = time.monotonic()
    boilerplate = boilerplate_hashes(part, course)
    prints = [fingerprint(f.text, f.path.name, boilerplate) for f in files]  # ~95% of the time
    drop_common(prints)
    scored = []
    for i, j in candidate_pairs(prints):
        shared, (share_i, share_j), (slices_i, slices_j) = compare_files(prints[i], prints[j])
        pair = SimilarPair(part, files[i].learner, files[j].learner, int(shared), float(share_i), float(share_j))
        if pair.flagged:
            pair.first_html = highlighted(prints[i].raw_code, slices_i, "red")
            pair.second_html = highlighted(prints[j].raw_code, slices_j, "green")
        scored.append(pair)
    n = len(files)
    return PartComparison(part, n, n * (n - 1) // 2, len(scored), time.monotonic() - begin, scored)


def compare_class(submissions, parts=None, course=learner_files.COURSE):
    """ClassSimilarity of every part of the class in the folder `submissions` (notebooks read
    against `course`'s source notebooks)."""
    found = learner_files.read_class(submissions, parts, course)
    return ClassSimilarity([compare_part(part, files, course) for part, files in sorted(found.items())])


def write_report(similarity, out):
    """out/index.html: the flagged pairs side by side (the class report's section, alone)."""
    out.mkdir(parents=True, exist_ok=True)
    page = environment().get_template("similarity.html").render(similarity=similarity)
    (out / "index.html").write_text(page)
    return out / "index.html"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m classroom.review.similarity", description=__doc__.splitlines()[0])
    parser.add_argument("submissions", type=pathlib.Path, help="a folder with one folder per learner")
    parser.add_argument("--part", type=int, action="append", default=[], help="a part to compare (repeat)")
    parser.add_argument("--course", type=pathlib.Path, default=learner_files.COURSE,
                        help="the nbgrader course whose source notebooks learners' notebooks are read against")
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("reports/similarity"))
    args = parser.parse_args(argv)
    if not args.submissions.is_dir():
        print(f"similarity: no such folder: {args.submissions}", file=sys.stderr)
        return 2
    try:
        similarity = compare_class(args.submissions, args.part or None, args.course)
    except FileNotFoundError as error:
        print(f"similarity: {error}", file=sys.stderr)
        return 2
    for part in similarity.parts:
        print(f"part {part.part}: {plural(part.learners, 'learner')}, {plural(part.pairs, 'pair')}, {part.compared} past "
              f"the first cut, {part.seconds:.1f} s")
    for pair in similarity.pairs:
        print(f"  part {pair.part}: {pair.first} and {pair.second}: {pair.share:.0%} of their own code "
              f"shared ({pair.shared} characters of tokenized code)")
    print(similarity.headline())
    print(f"Report: {write_report(similarity, args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
