"""The clauses of a long message that carry its request.

A resident's long message is mostly background ("I moved here from Hunan last year,
my landlord finally gave me the contract…") around one request ("…what do I need to
bring for the residence permit?"), which may come first, in the middle or last. The
classifier reads at most ``limit`` tokens (its cost grows with length, in training
and at every message), so for a longer message the tokenizer keeps the clauses that
look most like a request — questions, question words, "please", "I want", "帮我",
"能不能" — plus the opening clause when it fits, in their original order; a clause
repeated word for word is kept once.

The text seen here is the normalised one (``bot.language.normalise``): written
Cantonese already reads as Mandarin, so one list of Chinese cues serves both.
"""

from __future__ import annotations

import bisect
import re
from typing import Dict, List, Sequence, Tuple

from rasa.nlu.tokenizers.tokenizer import Token

from bot.language.mixed_script import mixed_pattern

#: Where clauses end: sentence punctuation, semicolons, commas, line breaks.
_CLAUSE_END = re.compile(r"[。！？!?；;，,\n…]+|\.(?=\s|$)")
_QUESTION = re.compile(r"[?？]")
#: Words that mark a request or a question (Chinese after normalisation; English).
_CHINESE_CUES = (
    "吗", "呢", "怎么", "怎样", "如何", "哪里", "哪儿", "在哪", "什么", "啥", "多少", "几点",
    "何时", "多久", "能不能", "可不可以", "可以", "请问", "想问", "问一下", "问问", "帮我",
    "帮忙", "麻烦", "请", "要不要", "需要", "有没有", "是否", "查", "进度", "投诉", "反映",
    "举报", "人工", "真人", "转接", "办理", "申请", "怎么办",
)  # fmt: skip
_ENGLISH_CUES = mixed_pattern(
    r"\b(?:how|what|where|when|which|who|why|can you|could you|can i|could i|is there|"
    r"are there|do i|does|did|please|pls|need|want|would like|i'd like|help|tell me|"
    r"let me know|status|update|report|complain|speak to|talk to|a person|human|agent)\b",
    re.IGNORECASE,
)


def clause_spans(text: str) -> List[Tuple[int, int]]:
    """(start, end) of each clause of ``text``, with the punctuation that ends it."""
    spans: List[Tuple[int, int]] = []
    start = 0
    for match in _CLAUSE_END.finditer(text):
        if match.start() > start:
            spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def request_score(clause: str) -> float:
    """How much a clause looks like the request: questions count double."""
    score = 2.0 * len(_QUESTION.findall(clause))
    score += sum(clause.count(cue) for cue in _CHINESE_CUES)
    score += len(_ENGLISH_CUES.findall(clause))
    return score


def keep_request(tokens: Sequence[Token], text: str, limit: int) -> List[Token]:
    """At most ``limit`` tokens: the clauses most like a request, then the opening one.

    Within the budget, clauses are taken by score (a later clause first on a tie:
    requests tend to close a message), then the first clause for context, then the
    remaining clauses from the end. A clause too long for what is left is skipped; if
    nothing fits at all, the last ``limit`` tokens are kept.
    """
    if len(tokens) <= limit:
        return list(tokens)
    # One pass: each token joins the clause its start falls in (a message may have
    # thousands of tokens and hundreds of clauses; no clause-by-token scan).
    spans = clause_spans(text)
    starts = [start for start, _ in spans]
    by_clause: Dict[int, List[int]] = {}
    for i, token in enumerate(tokens):
        n = bisect.bisect_right(starts, token.start) - 1
        if n >= 0 and token.start < spans[n][1]:
            by_clause.setdefault(n, []).append(i)
    clauses = [by_clause[n] for n in sorted(by_clause)]
    if not clauses:
        return list(tokens[-limit:])
    texts = [text[tokens[c[0]].start : tokens[c[-1]].end] for c in clauses]
    scores = [request_score(clause) for clause in texts]
    by_request = sorted(
        (n for n in range(len(clauses)) if scores[n] > 0), key=lambda n: (-scores[n], -n)
    )
    rest = [0] + [n for n in reversed(range(1, len(clauses))) if scores[n] <= 0]
    chosen: set[int] = set()
    seen: set[str] = set()
    budget = limit
    for n in [*by_request, *rest]:
        # A clause the message already said adds nothing; kept twice, repeated
        # background would outweigh the one clause that asks something.
        said = " ".join(texts[n].split())
        if n not in chosen and said not in seen and len(clauses[n]) <= budget:
            chosen.add(n)
            seen.add(said)
            budget -= len(clauses[n])
    if not chosen:
        return list(tokens[-limit:])
    kept = sorted(i for n in chosen for i in clauses[n])
    return [tokens[i] for i in kept]
