"""Measure the local certificate parser against a labelled corpus.

    python bench/parsing_eval.py [CORPUS_DIR] [--verbose]

CORPUS_DIR holds NN.txt / NN.json pairs (default: <repo>/../shared/corpus).
Scoring follows the corpus README: strings match case-insensitively after
whitespace and dash normalisation; dates, format, body and is_certificate
exactly; hours within 0.01; categories as a whole name -> hours map.
The last line printed is `overall field accuracy: NN.N%`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from app.parsing.local import parse_text
from app.parsing.schema import Draft

FIELDS = ("is_certificate", "title", "provider", "completed_on", "hours", "format", "categories",
          "approval.body", "approval.number", "participant")
_STRING_FIELDS = {"title", "provider", "participant", "approval.number"}
_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")


@dataclass
class Report:
    """Hits per field over all files, and every miss for --verbose."""

    hits: dict[str, int] = field(default_factory=lambda: {f: 0 for f in FIELDS})
    files: int = 0
    misses: list[tuple[str, str, Any, Any]] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        return self.hits[name] / self.files if self.files else 0.0

    @property
    def overall(self) -> float:
        total = self.files * len(FIELDS)
        return sum(self.hits.values()) / total if total else 0.0


def _norm(value: Any) -> str | None:
    if value is None:
        return None
    text = _DASHES.sub("-", str(value))
    text = re.sub(r"\s*-\s*", "-", text)
    return " ".join(text.split()).lower()


def _get(record: dict[str, Any], name: str) -> Any:
    if name.startswith("approval."):
        return (record.get("approval") or {}).get(name.split(".", 1)[1])
    return record.get(name)


def _category_map(value: Any) -> dict[str, float]:
    return {item["name"]: round(float(item["hours"]), 2) for item in value or []}


def field_matches(expected: dict[str, Any], got: dict[str, Any]) -> dict[str, bool]:
    """Per-field verdicts for one file; both sides in the corpus JSON shape."""
    verdicts = {}
    for name in FIELDS:
        want, have = _get(expected, name), _get(got, name)
        if name in _STRING_FIELDS:
            ok = _norm(want) == _norm(have)
        elif name == "hours":
            ok = (want is None and have is None) or (
                want is not None and have is not None and abs(float(want) - float(have)) <= 0.01)
        elif name == "categories":
            mine, theirs = _category_map(want), _category_map(have)
            ok = mine.keys() == theirs.keys() and all(abs(mine[k] - theirs[k]) <= 0.01 for k in mine)
        else:
            ok = want == have
        verdicts[name] = ok
    return verdicts


def as_record(draft: Draft) -> dict[str, Any]:
    """A draft in the corpus JSON shape."""
    extraction = draft.extraction
    data = extraction.model_dump(mode="json", exclude={"confidence"})
    data["hours"] = float(extraction.hours) if extraction.hours is not None else None
    data["categories"] = [{"name": c.name, "hours": float(c.hours)} for c in extraction.categories]
    return data


def evaluate(corpus_dir: Path | str = DEFAULT_CORPUS, parse: Callable[..., Draft] = parse_text,
             today: date | None = None) -> Report:
    """Run `parse` over every NN.txt with an NN.json beside it and tally the verdicts."""
    report = Report()
    for text_path in sorted(Path(corpus_dir).glob("*.txt")):
        truth_path = text_path.with_suffix(".json")
        if not truth_path.exists():
            continue
        expected = json.loads(truth_path.read_text(encoding="utf-8"))
        got = as_record(parse(text_path.read_text(encoding="utf-8"), today=today))
        report.files += 1
        for name, ok in field_matches(expected, got).items():
            if ok:
                report.hits[name] += 1
            else:
                report.misses.append((text_path.stem, name, _get(expected, name), _get(got, name)))
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--verbose", "-v", action="store_true", help="print every miss")
    args = parser.parse_args(argv)
    if not Path(args.corpus).is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    report = evaluate(args.corpus)
    if args.verbose:
        for stem, name, want, have in report.misses:
            print(f"{stem}  {name:16} expected {want!r}  got {have!r}")
        print()
    print(f"files: {report.files}")
    for name in FIELDS:
        print(f"{name:16} {report.accuracy(name) * 100:5.1f}%  ({report.hits[name]}/{report.files})")
    print(f"overall field accuracy: {report.overall * 100:.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
