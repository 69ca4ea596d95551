"""Multinomial Naive Bayes over hashed binary features, scored sparsely (pure Python).

For category c with E_c examples and feature total T_c, and a feature f seen n_fc times
in its examples, NB's log score is

    log P(c) + sum _f w_f · log((n_fc + a) / (T_c + a·V))

with V the number of distinct features the tenant's model knows. Splitting each term
into the "never seen" part log(a / (T_c + a·V)) — the same for every feature, so
W·base_c with W = sum  w_f — and the gain log((n_fc + a) / a) of the features c has seen,
a document costs one pass over its own features and the categories each was seen in.

NB's raw posteriors are far too sure of themselves (the character n-grams of a word are
anything but independent), so the confidence is a softmax of the score *per unit of
feature weight* times a sharpness, fitted on held-out data in bench/bench_categorise.py.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat
from operator import add, sub

ALPHA = 0.1  # additive smoothing
META_WEIGHT = 4.0  # amount, day and account features against ~100 text n-grams
SHARPNESS = 5.0  # softmax temperature on the per-feature-weight score (see bench)
RANKED = 4  # the suggestion and up to three alternatives
COVERAGE = 1.0  # confidence x (share of the text's features seen in the category)^this

Ranked = tuple[tuple[uuid.UUID, float], ...]  # (category, confidence), best first


@dataclass(frozen=True, slots=True)
class ClassStats:
    examples: int
    feature_total: int


class Model:
    """A tenant's model as loaded for one call: immutable, predictions memoised."""

    def __init__(
        self,
        classes: dict[uuid.UUID, ClassStats],
        counts: Iterable[tuple[uuid.UUID, int, int]],  # (category, feature, count)
        *,
        vocabulary: int | None = None,  # distinct features known (when counts is a part)
        groups: dict[uuid.UUID, str] | None = None,  # category -> group ("expense:AUD")
    ) -> None:
        self.categories = [
            c for c, s in classes.items() if s.examples > 0 and (groups is None or c in groups)
        ]
        self._groups: dict[str, list[int]] = {}
        for i, c in enumerate(self.categories):
            self._groups.setdefault(groups[c] if groups else "", []).append(i)
        index = {c: i for i, c in enumerate(self.categories)}
        table: dict[int, list[tuple[int, float]]] = {}
        for category, feature, count in counts:
            position = index.get(category)
            if position is not None and count > 0:
                gain = math.log((count + ALPHA) / ALPHA)
                table.setdefault(feature, []).append((position, gain))
        self._table = table
        known = (vocabulary if vocabulary is not None else len(table)) + 1
        examples = sum(classes[c].examples for c in self.categories)
        self._prior = [
            math.log(classes[c].examples / examples) if examples else 0.0 for c in self.categories
        ]
        self._base = [
            math.log(ALPHA / (classes[c].feature_total + ALPHA * known)) for c in self.categories
        ]
        self._memo: dict[tuple[frozenset[int], tuple[int, ...], str], Ranked] = {}
        self._text_memo: dict[tuple[frozenset[int], str], tuple[list[float], list[float]]] = {}
        self._meta_memo: dict[tuple[tuple[int, ...], str, int], list[float]] = {}
        self._members = {
            g: [self.categories[i] for i in members] for g, members in self._groups.items()
        }

    @property
    def is_empty(self) -> bool:
        return not self.categories

    def predict(self, text: frozenset[int], meta: tuple[int, ...], group: str = "") -> Ranked:
        """The best categories of `group` (the kind and currency a suggestion must have)
        with calibrated confidences; empty when the model knows none of that group."""
        key = (text, meta, group)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._predict(text, meta, group)
        return found

    def _text_part(
        self, text: frozenset[int], metas: int, group: str, members: list[int]
    ) -> tuple[list[float], list[float]]:
        """For the group's categories: prior, the unseen part of every feature and the
        gains of the text's features, divided by the document's feature weight; and the
        share of the text's features each category has seen."""
        key = (text, group)
        found = self._text_memo.get(key)
        if found is None:
            weight = len(text) + META_WEIGHT * metas
            scores = [p + weight * b for p, b in zip(self._prior, self._base, strict=True)]
            seen = [0] * len(self.categories)
            table = self._table
            for feature in text:
                for i, gain in table.get(feature, ()):
                    scores[i] += gain
                    seen[i] += 1
            scale = SHARPNESS / max(weight, 1.0)
            known = max(len(text), 1)
            found = self._text_memo[key] = (
                [scores[i] * scale for i in members],
                [(seen[i] / known) ** COVERAGE for i in members],
            )
        return found

    def _meta_part(
        self, meta: tuple[int, ...], group: str, members: list[int], n: int
    ) -> list[float]:
        """The amount, day and account gains of the group's categories, scaled for a
        text of `n` features."""
        key = (meta, group, n)
        found = self._meta_memo.get(key)
        if found is None:
            scores = [0.0] * len(self.categories)
            for feature in meta:
                for i, gain in self._table.get(feature, ()):
                    scores[i] += META_WEIGHT * gain
            scale = SHARPNESS / max(n + META_WEIGHT * len(meta), 1.0)
            found = self._meta_memo[key] = [scores[i] * scale for i in members]
        return found

    def _predict(self, text: frozenset[int], meta: tuple[int, ...], group: str) -> Ranked:
        members = self._groups.get(group)
        if not members:
            return ()
        text_scores, coverage = self._text_part(text, len(meta), group, members)
        scores = list(map(add, text_scores, self._meta_part(meta, group, members, len(text))))
        top = max(scores)
        weights = list(map(math.exp, map(sub, scores, repeat(top))))
        total = sum(weights)
        best = sorted(range(len(weights)), key=weights.__getitem__, reverse=True)[:RANKED]
        categories = self._members[group]
        return tuple((categories[i], weights[i] / total * coverage[i]) for i in best)
