"""Accuracy of the reply-language detector against langdetect alone.

Reads ``benchmarks/data/language_id.tsv`` (short resident messages labelled
``en``, ``zh``, ``zh-Hant`` or ``none`` for "no language evidence") and prints
the accuracy of ``bot.language.detect_language`` and of plain, seeded
langdetect on the same messages, plus every message our detector gets wrong.

Run: ``make bench-language`` (or ``.venv/bin/python -m benchmarks.language_id``).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import Iterator, Tuple

import langdetect
from langdetect.lang_detect_exception import LangDetectException

from bot.language import detect_language

DATA = Path(__file__).parent / "data" / "language_id.tsv"
_LANGDETECT_TO_LABEL = {"en": "en", "zh-cn": "zh", "zh-tw": "zh-Hant"}


def read_cases(path: Path) -> Iterator[Tuple[str, str]]:
    """Yield (text, label) pairs, skipping the header and comment lines."""
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not row or row[0].startswith("#") or row == ["text", "label"]:
                continue
            yield row[0], row[1]


def ours(text: str) -> str:
    return detect_language(text).code or "none"


def langdetect_alone(text: str) -> str:
    try:
        return _LANGDETECT_TO_LABEL.get(langdetect.detect(text), "other")
    except LangDetectException:
        return "none"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--target", type=float, default=0.995)
    args = parser.parse_args(argv)

    langdetect.DetectorFactory.seed = 0
    cases = list(read_cases(args.data))
    our_errors = [(t, label, ours(t)) for t, label in cases if ours(t) != label]
    baseline_correct = sum(1 for t, label in cases if langdetect_alone(t) == label)
    accuracy = 1 - len(our_errors) / len(cases)

    print(f"messages: {len(cases)}")
    print(f"bot.language.detect_language: {accuracy:.2%} correct")
    print(f"langdetect alone (seeded):    {baseline_correct / len(cases):.2%} correct")
    for text, label, got in our_errors:
        print(f"  wrong: {text!r} expected {label}, got {got}")
    return 0 if accuracy >= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
