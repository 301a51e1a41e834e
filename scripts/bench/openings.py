"""Score how the archive reads real report openings against their expected readings.

    python scripts/bench/openings.py [FOLDER ...] [--details] [--write docs/benchmarks.md]

Each FOLDER holds ``NNN.txt`` files and an ``expected.json`` list (``../shared/real-openings`` by default;
see its README for the schema); a folder without one is read against ``scripts/bench/<folder name>.json``: the
openings the developers gathered (``openings-extra``, ``openings-holdout``), whose texts are saved outside the
repository under the file names it lists.  Every expected field is scored right, missing (the archive left it null)
or wrong (the archive gave another value): a wrong value is worse than a missing one, since a null field
carries a warning and a wrong one misleads.  The texts stay outside the repository; only this script,
and the addresses and expected readings of openings gathered by the developers
(``scripts/bench/openings-extra.json``), are kept in it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from gongwen.model import InputError, Report
from gongwen.pipeline import SourceFile, report_from_source

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEFAULT_FOLDERS = [REPO.parent / "shared" / "real-openings"]
#: Expected readings of the openings the developers gathered, by the name of the folder their texts are saved in
#: outside the repository: ``openings-extra.json`` for a folder ``openings-extra``.
REGION_KEYS = ("province", "city", "county")
SECTION_START = "<!-- openings:start -->"
SECTION_END = "<!-- openings:end -->"


@dataclass
class Score:
    """Counts of right, missing and wrong fields, and a line for each field not right."""

    counts: Counter = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)

    def add(self, name: str, outcome: str, detail: str) -> None:
        self.counts[outcome] += 1
        self.counts[f"{name}:{outcome}"] += 1
        if outcome != "right":
            self.misses.append(f"{outcome:7} {name:12} {detail}")

    @property
    def total(self) -> int:
        return self.counts["right"] + self.counts["missing"] + self.counts["wrong"]


def read_expected(folder: Path) -> list[dict]:
    """The folder's expected.json, else the developers' gathered readings (whose texts live outside the repo)."""
    own = folder / "expected.json"
    return json.loads((own if own.exists() else HERE / f"{folder.name}.json").read_text("utf-8"))


def read_report(path: Path) -> Report | InputError:
    """The report the archive makes of one file, or the error it refuses the file with."""
    try:
        return report_from_source(SourceFile(path=path.name, data=path.read_bytes()))
    except InputError as error:
        return error


def score_file(entry: dict, result: Report | InputError, score: Score) -> None:
    """Add one file's fields to ``score``."""
    expected, name = entry["expected"], entry["file"]
    published = isinstance(result, Report)
    if not expected["published"]:
        score.add("published", "wrong" if published else "right", f"{name}: should be refused")
        return
    if not published:
        score.add("published", "missing", f"{name}: refused: {result}")
        return
    _score_value(score, name, "title", result.title, expected["title_any_of"])
    _score_value(score, name, "year", result.year, [expected["year"]])
    _score_value(score, name, "doc_number", result.doc_number, [expected["doc_number"]])
    signed = result.date_signed.isoformat() if result.date_signed else None
    _score_value(score, name, "date_signed", signed, [expected["date_signed"]])
    if expected.get("issuer_contains"):
        _score_issuer(score, name, result, expected["issuer_contains"])
    for key in REGION_KEYS:
        _score_region(score, name, key, getattr(result, key), expected)


def _score_value(score: Score, name: str, key: str, value, allowed: list) -> None:
    if value in allowed:
        score.add(key, "right", f"{name}")
    elif value is None:
        score.add(key, "missing", f"{name}: expected {allowed[0]!r}")
    else:
        score.add(key, "wrong", f"{name}: {value!r}, expected {allowed[0]!r}")


def _score_issuer(score: Score, name: str, report: Report, wanted: str) -> None:
    names = [value for value in (report.issuer, report.bureau_name) if value]
    if any(wanted in value for value in names):
        score.add("issuer", "right", name)
    elif not names:
        score.add("issuer", "missing", f"{name}: expected {wanted!r}")
    else:
        score.add("issuer", "wrong", f"{name}: {names!r}, expected {wanted!r}")


def _score_region(score: Score, name: str, key: str, value, expected: dict) -> None:
    """A region key the file names must match (null is right where ``*_may_be_null``); one it does not name must
    stay null only when a coarser key is named as null-able or absent too (nothing else is scored)."""
    if key not in expected:
        if value is not None and not any(expected.get(k) for k in REGION_KEYS[REGION_KEYS.index(key):]):
            coarser = [k for k in REGION_KEYS[:REGION_KEYS.index(key)] if k in expected]
            if not coarser or all(expected.get(f"{k}_may_be_null") for k in coarser):
                score.add(key, "wrong", f"{name}: {value!r}, the text does not settle it")
        return
    wanted = expected[key]
    if value == wanted or (value is None and expected.get(f"{key}_may_be_null")):
        score.add(key, "right", name)
    elif value is None:
        score.add(key, "missing", f"{name}: expected {wanted!r}")
    else:
        score.add(key, "wrong", f"{name}: {value!r}, expected {wanted!r}")


def score_folder(folder: Path, score: Score) -> int:
    """Score every file of ``folder`` whose text is there; the count of files scored."""
    scored = 0
    for entry in read_expected(folder):
        path = folder / entry["file"]
        if path.exists():
            score_file(entry, read_report(path), score)
            scored += 1
    return scored


def summary(score: Score, files: int) -> str:
    right, total = score.counts["right"], score.total
    share = 100 * right / total if total else 0.0
    return (f"{files} files, {total} fields: {right} right ({share:.1f} %), "
            f"{score.counts['missing']} missing, {score.counts['wrong']} wrong")


def write_section(path: Path, lines: list[str]) -> None:
    text = path.read_text("utf-8")
    block = "\n".join([SECTION_START, *lines, SECTION_END])
    if SECTION_START in text:
        head, _, rest = text.partition(SECTION_START)
        text = head + block + rest.partition(SECTION_END)[2]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=DEFAULT_FOLDERS)
    parser.add_argument("--details", action="store_true", help="list every field not right")
    parser.add_argument("--write", type=Path, help="rewrite the openings section of this Markdown file")
    args = parser.parse_args(argv)
    lines = []
    for folder in args.folders:
        if not folder.is_dir():
            print(f"{folder}: no such folder, skipped", file=sys.stderr)
            continue
        score = Score()
        files = score_folder(folder, score)
        lines.append(f"- `{folder.name}`: {summary(score, files)}")
        print(lines[-1])
        if args.details:
            print("\n".join(f"    {miss}" for miss in score.misses))
    if args.write and lines:
        stamp = f"Measured {dt.date.today().isoformat()} on {platform.machine()} ({platform.python_version()})."
        write_section(args.write, [stamp, "", *lines])
    return 0


if __name__ == "__main__":
    sys.exit(main())
