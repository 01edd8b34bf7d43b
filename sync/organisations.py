"""Organisation names as recusal and the registration import compare them (pure).

Organisers type the same school or employer in different ways: `快手(黑龙江)` on one sheet,
`快手（黑龙江）` on another, a stray full-width space, `ＡＢＣ` for `ABC`. `organisation_key`
is the form compared: NFKC (full-width letters, digits, brackets and spaces become their
half-width forms), every whitespace character removed, letters case-folded. Two names are
the *same organisation* when their keys are equal (and not empty).

Names that are not the same but probably mean one organisation are a *near match*
(`near_match`), reported as a warning for a person to decide, never acted on. The rule, on the
keys (with a generic company suffix such as 有限公司 or 分公司 taken off the end, see
`SUFFIXES`):

1. `suffix`: equal once the suffix is taken off (`快手科技有限公司` / `快手科技分公司`);
2. `contains`: one contains the other, the shorter being at least 2 characters
   (`快手` / `快手(黑龙江)`, `哈尔滨商业大学` / `哈尔滨商业大学管理学院`);
3. `spelling`: an edit distance (Levenshtein, characters) of at most one per 6 characters of
   the shorter name, and the shorter has at least 6 (`南京职业技术学院` / `南京职业技朮学院`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, Literal

__all__ = ["SUFFIXES", "NearMatch", "near_match", "organisation_key", "same_organisation"]

SUFFIXES: Final = ("股份有限公司", "有限责任公司", "有限公司", "分公司", "子公司", "公司",
                   "集团", "分院", "分校", "co.,ltd.", "co.ltd.", "co.,ltd", "ltd.", "ltd",
                   "inc.", "inc")
"""Generic endings taken off before comparing for a near match (longest first)."""
CONTAINS_AT_LEAST: Final = 2
SPELLING_PER: Final = 6
"""One edit allowed per this many characters of the shorter name."""

NearMatch = Literal["suffix", "contains", "spelling"]
_SPACE: Final = re.compile(r"\s+")


def organisation_key(name: str) -> str:
    """The form compared: NFKC, no whitespace, case-folded."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", name)).casefold()


def same_organisation(a: str, b: str) -> bool:
    """Whether `a` and `b` name the same organisation (empty names never do)."""
    key = organisation_key(a)
    return bool(key) and key == organisation_key(b)


def _stem(key: str) -> str:
    for suffix in SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[:-len(suffix)]
    return key


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of `a` and `b`, or `limit + 1` once it is known to exceed it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def near_match(a: str, b: str) -> NearMatch | None:
    """Why `a` and `b` look like one organisation although they are not the same (module
    doc), or None: when they are the same, when either is empty, or when they are unalike."""
    ka, kb = organisation_key(a), organisation_key(b)
    if not ka or not kb or ka == kb:
        return None
    sa, sb = _stem(ka), _stem(kb)
    if sa == sb:
        return "suffix"
    shorter, longer = sorted((sa, sb), key=len)
    if len(shorter) >= CONTAINS_AT_LEAST and shorter in longer:
        return "contains"
    limit = len(shorter) // SPELLING_PER
    if limit and _distance(shorter, longer, limit) <= limit:
        return "spelling"
    return None
