"""NLU accuracy per language on the held-out split (``tests/nlu/``).

Loads the trained model (trained on ``data/`` only), parses every held-out
example and prints, per language (en, zh, zh-Hant, as detected from the
example's own script), intent accuracy, intent macro-F1 and entity
precision/recall/F1, plus the most frequent intent confusions. ``--report``
writes the same as Markdown (``docs/nlu-evaluation.md``).

Run: ``make eval``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Set, Tuple

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import structlog  # noqa: E402
from rasa.core.agent import Agent  # noqa: E402
from rasa.shared.nlu.training_data.loading import load_data  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402

from bot.language import detect_language  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
IDENTIFIERS = {"ticket_id", "application_id"}
#: Entities whose *value* the journeys act on, wherever its span was drawn.
VALUE_ENTITIES = ("permit_type", "complaint_category")
EntityKey = Tuple[str, str, int, int, str]
#: Results are also grouped per held-out file: each style_*.yml is one way of writing.
FILE_GROUP = "file:"


@dataclass
class LanguageResult:
    """Gold and predicted labels of one language group."""

    gold: List[str] = field(default_factory=list)
    predicted: List[str] = field(default_factory=list)
    entity_gold: Set[Tuple[int, EntityKey]] = field(default_factory=set)
    entity_predicted: Set[Tuple[int, EntityKey]] = field(default_factory=set)
    #: entity type → [messages whose value was found, messages that name one]
    values: Dict[str, List[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def row(self, name: str) -> Dict[str, Any]:
        correct = sum(g == p for g, p in zip(self.gold, self.predicted, strict=True))
        labels = sorted(set(self.gold))
        macro = f1_score(self.gold, self.predicted, labels=labels, average="macro", zero_division=0)
        hits = len(self.entity_gold & self.entity_predicted)
        precision = hits / len(self.entity_predicted) if self.entity_predicted else 1.0
        recall = hits / len(self.entity_gold) if self.entity_gold else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "language": name,
            "examples": len(self.gold),
            "intent accuracy": correct / len(self.gold),
            "intent macro-F1": macro,
            "entity precision": precision,
            "entity recall": recall,
            "entity F1": f1,
        }


def entity_key(entity: Dict[str, Any], synonyms: Dict[str, str]) -> EntityKey:
    value = str(entity.get("value", ""))
    if entity["entity"] in IDENTIFIERS:
        value = value.replace(" ", "").replace("-", "").upper()
    else:
        value = synonyms.get(value, value).lower()
    return (entity["entity"], entity.get("role") or "", entity["start"], entity["end"], value)


def language_of(text: str) -> str:
    return detect_language(text).code or "none"


async def evaluate(model: Path, held_out: Path) -> Tuple[Dict[str, LanguageResult], Counter, list]:
    agent = Agent.load(str(model))
    files = sorted(held_out.glob("*.yml")) if held_out.is_dir() else [held_out]
    examples = [
        (path.stem, example) for path in files for example in load_data(str(path)).intent_examples
    ]
    synonyms = load_data(str(ROOT / "data" / "nlu")).entity_synonyms
    results: Dict[str, LanguageResult] = defaultdict(LanguageResult)
    confusions: Counter = Counter()
    timings = []
    for index, (source, example) in enumerate(examples):
        text = example.get("text")
        start = time.perf_counter()
        parsed = await agent.parse_message(text)
        timings.append(time.perf_counter() - start)
        gold, predicted = example.get("intent"), parsed["intent"]["name"]
        for group in (language_of(text), "all", f"{FILE_GROUP}{source}"):
            result = results[group]
            result.gold.append(gold)
            result.predicted.append(predicted)
            result.entity_gold.update(
                (index, entity_key(e, synonyms)) for e in example.get("entities") or []
            )
            result.entity_predicted.update(
                (index, entity_key(e, synonyms)) for e in parsed.get("entities") or []
            )
            for kind in VALUE_ENTITIES:
                wanted = {
                    entity_key(e, synonyms)[4]
                    for e in example.get("entities") or []
                    if e["entity"] == kind
                }
                if wanted:
                    found = {
                        entity_key(e, synonyms)[4]
                        for e in parsed.get("entities") or []
                        if e["entity"] == kind
                    }
                    result.values[kind][0] += wanted <= found
                    result.values[kind][1] += 1
        if gold != predicted:
            confusions[(gold, predicted, text)] += 1
    return results, confusions, timings


def value_cells(result: LanguageResult) -> List[str]:
    """Per value entity: "right% (right/total)", or "–" when no message names one."""
    cells = []
    for kind in VALUE_ENTITIES:
        right, total = result.values.get(kind, [0, 0])
        cells.append(f"{right / total:.1%} ({right}/{total})" if total else "–")
    return cells


def value_table(results: Dict[str, LanguageResult], order: List[str]) -> List[str]:
    """Entity *value* accuracy of the entities the journeys act on, per language."""
    lines = [
        "",
        "## Entity values the journeys act on",
        "",
        "A message that names a permit type or a problem counts as right when the parse has",
        "an entity of that type with the annotated value, wherever its span was drawn",
        "(bot/nlu/entity_linker.py links typos, homophones, Traditional and Cantonese).",
        "",
        "| language | " + " | ".join(VALUE_ENTITIES) + " |",
        "|---|" + "---|" * len(VALUE_ENTITIES),
    ]
    for group in order:
        lines.append(f"| {group} | " + " | ".join(value_cells(results[group])) + " |")
    return lines


def style_table(results: Dict[str, LanguageResult]) -> List[str]:
    """Intent and entity-value accuracy per held-out file (one writing style per file)."""
    files = sorted(group for group in results if group.startswith(FILE_GROUP))
    lines = [
        "",
        "## By writing style (one held-out file each)",
        "",
        "`style_*.yml` were written by a writer who saw neither the training data nor the",
        "code, before the realistic training data (`data/nlu/realistic_*.yml`) was written:",
        "long rambling messages, written Cantonese, indirect requests, typos and IME slips,",
        "code-switching, noisy typing (caps, emoji, full-width). Target: intent accuracy ≥ 93%",
        "per style, ≥ 97% overall.",
        "",
        "| file | examples | intent accuracy | " + " | ".join(VALUE_ENTITIES) + " |",
        "|---|---|---|" + "---|" * len(VALUE_ENTITIES),
    ]
    for group in files:
        result = results[group]
        row = result.row(group)
        cells = value_cells(result)
        name = group[len(FILE_GROUP) :]
        lines.append(
            f"| {name} | {row['examples']} | {row['intent accuracy']:.1%} | "
            + " | ".join(cells)
            + " |"
        )
    return lines


def markdown(rows: List[Dict[str, Any]], confusions: Counter, timings: list, model: Path) -> str:
    header = list(rows[0])
    lines = [
        "# NLU evaluation on the held-out split",
        "",
        f"Model `{model.name}` trained on `data/` only; examples from `tests/nlu/`, grouped by",
        "the language of each example as detected from its own text. Regenerate with `make eval`.",
        "",
        "**How to read these figures.** The split was written together with the first training",
        "data and never trained on (a unit test checks no example is shared). The training data",
        "was later extended by writers who never saw the split, but the *areas* they were asked",
        "to cover (colloquial English, out-of-scope topics, bare answers) were chosen after",
        "looking at this report's errors, so the figures below are somewhat optimistic; the",
        "project's separate hidden set is the real measure of generalisation.",
        "",
        "`tests/nlu/realistic_entities.yml` (222 messages) was added later by a writer who saw",
        "neither the training data nor the code: typos, pinyin-IME slips, paraphrases, written",
        "Cantonese and long messages naming a permit or a problem. Its misses were looked at",
        "while building the entity linker (general mechanisms only: fuzzy pinyin, the complaint",
        "lexicon's words), so it is no longer a clean measure. `realistic_entities_2.yml` (240)",
        "and the `style_*.yml` sets (530: long, Cantonese, indirect, typos, code-switched,",
        "noisy) were written the same way afterwards, before the realistic training data;",
        "only their totals and confusion counts were looked at, never their texts' misses.",
        "On 2026-12-04 a confusion count run with Rasa's debug log on printed about 90 texts",
        "of `realistic_entities`, `style_indirect`, `style_long` and `style_cantonese` (right",
        "and wrong alike) before the permit question words of that evening were written; those",
        "words were checked against the training labels, but the indirect style's gain from",
        "them (80.2 → 82.3 %) may be optimistic. On 2026-12-05 the same kind of slip printed",
        "three texts of `transit.yml`; nothing was written from them. The same day, the",
        "second (n-gram) intent classifier's settings were seen on this split for three",
        "values of its regularisation; the one used was chosen by cross-validation on the",
        'training data (docs/nlu.md, "Two classifiers").',
        "On 2026-12-06 the developer read the first ~35 rows of this report's list of",
        "misclassified examples by mistake; nothing was written from them (that day's",
        "changes were word lists by writers who saw no evaluation set, and the matcher's",
        "mechanics). The model is retrained on every machine, and retraining the same data",
        "on another machine moved intent accuracy by about half a point (95.6 → 95.0 %).",
        "Later that day (session 24) a `git diff` of this report showed about ten changed",
        "rows of that list; nothing was written from them, and no training data was added.",
        "",
        "Entity figures include `stop`, whose value the model no longer learns from a list of",
        "one city's stations: the transit actions find stops from the city's own feed",
        "(docs/transit.md), so a partly marked stop costs the entity score here, not the",
        "answer. Stops of other cities' feeds: [transit-any-city.md](transit-any-city.md).",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    for row in rows:
        cells = [f"{v:.1%}" if isinstance(v, float) else str(v) for v in row.values()]
        lines.append("| " + " | ".join(cells) + " |")
    timings = sorted(timings)
    lines += [
        "",
        f"Parse time per message: p50 {timings[len(timings) // 2] * 1000:.1f} ms, "
        f"p95 {timings[int(len(timings) * 0.95)] * 1000:.1f} ms (this machine, 2 cores).",
        "",
        "## Misclassified examples",
        "",
        "| expected | predicted | text |",
        "|---|---|---|",
    ]
    for (gold, predicted, text), _ in sorted(confusions.items()):
        lines.append(f"| {gold} | {predicted} | {text.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / "city-assistant.tar.gz")
    parser.add_argument("--held-out", type=Path, default=ROOT / "tests" / "nlu")
    parser.add_argument("--report", type=Path, help="write a Markdown report here")
    parser.add_argument("--target", type=float, default=0.95, help="intent accuracy per language")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

    results, confusions, timings = asyncio.run(evaluate(args.model, args.held_out))
    order = [g for g in ("en", "zh", "zh-Hant", "none", "all") if g in results]
    rows = [results[group].row(group) for group in order]
    report = markdown(rows, confusions, timings, args.model)
    values = "\n".join(value_table(results, order) + style_table(results)) + "\n"
    head, _, misclassified = report.partition("\n## Misclassified examples")
    report = head + values + "\n## Misclassified examples" + misclassified
    print(report)
    if args.report:
        args.report.write_text(report, encoding="utf-8")
    below = [
        r["language"]
        for r in rows
        if r["language"] in ("en", "zh") and r["intent accuracy"] < args.target
    ]
    if below:
        print(f"below the {args.target:.0%} intent-accuracy target: {', '.join(below)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
