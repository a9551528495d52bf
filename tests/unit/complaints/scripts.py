"""Test examples in every script a resident may write: Simplified, Traditional (Taiwan, Hong Kong)."""

from __future__ import annotations

import functools
from collections.abc import Iterable

import opencc

_CONVERSIONS = ("s2t", "s2tw", "s2hk")


@functools.cache
def _converter(name: str) -> opencc.OpenCC:
    return opencc.OpenCC(name)


def traditional_forms(text: str) -> set[str]:
    """``text`` as OpenCC writes it in Traditional, Taiwan and Hong Kong characters."""
    return {str(_converter(name).convert(text)) for name in _CONVERSIONS}


def in_both_scripts(examples: Iterable[str]) -> list[str]:
    """Each example, then its Traditional forms that differ from it (no repeats, order kept)."""
    out: dict[str, None] = {}
    for example in examples:
        out.setdefault(example, None)
        for form in sorted(traditional_forms(example)):
            out.setdefault(form, None)
    return list(out)
