"""Search terms for full-text search in Chinese and English, on any SQL database.

Chinese has no spaces between words, so a word index would find nothing; a
trigram index needs PostgreSQL extensions and misses two-character words such as
路灯. The console indexes what works on SQLite and PostgreSQL alike: English
words (lower case) and, for Chinese, every single character and every pair of
neighbouring characters. A query's terms must all occur in the conversation:
"路灯不亮" → 路灯 ∧ 灯不 ∧ 不亮, "broken streetlight" → broken ∧ streetlight.
"""

from __future__ import annotations

import re
import unicodedata
from typing import List, Set

MAX_TERM_CHARS = 64
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9a-z][0-9a-z_'-]*")


def _normalise(text: str) -> str:
    # NFKC turns full-width letters and digits (ＳＲ２０２６) into ASCII.
    return unicodedata.normalize("NFKC", text).lower()


def index_terms(text: str) -> Set[str]:
    """Every term a message can be found by."""
    normal = _normalise(text)
    terms: Set[str] = set()
    for run in _CJK_RUN.findall(normal):
        terms.update(run)
        terms.update(run[i : i + 2] for i in range(len(run) - 1))
    terms.update(word.strip("'-")[:MAX_TERM_CHARS] for word in _WORD.findall(normal))
    terms.discard("")
    return terms


def query_terms(query: str) -> List[str]:
    """The terms a query needs: Chinese pairs (or the single character), English words."""
    normal = _normalise(query)
    terms: List[str] = []
    for run in _CJK_RUN.findall(normal):
        terms += [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
    terms += [word.strip("'-")[:MAX_TERM_CHARS] for word in _WORD.findall(normal)]
    unique: List[str] = []
    for term in terms:
        if term and term not in unique:
            unique.append(term)
    return unique
