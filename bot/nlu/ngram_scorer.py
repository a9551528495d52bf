"""N-gram text classifiers small enough to score a message in tens of microseconds.

Two NLU components train one (``bot.nlu.intent_ensemble`` for intents,
``bot.nlu.message_values`` for an entity's value): TF-IDF character and word n-grams of
the normalised text into a multinomial logistic regression. Fitted with sklearn,
then kept as plain arrays (``NgramScorer``), because sklearn's per-call overhead is
a hundred times the arithmetic and loading pickled sklearn objects is slow.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline


def ngram_model(c: float, char_ngrams: List[int], word_ngrams: List[int]) -> Pipeline:
    """TF-IDF character and word n-grams into a multinomial logistic regression.

    The vectorizers lower-case what they read, in training and in ``NgramScorer``.
    """

    def tfidf(analyzer: str, ngrams: List[int], **options: Any) -> TfidfVectorizer:
        return TfidfVectorizer(
            analyzer=analyzer,
            ngram_range=(ngrams[0], ngrams[1]),
            min_df=2,
            sublinear_tf=True,
            **options,
        )

    features = FeatureUnion(
        [
            ("chars", tfidf("char_wb", char_ngrams)),
            ("words", tfidf("word", word_ngrams, token_pattern=r"(?u)\b\w+\b")),
        ]
    )
    return Pipeline(
        [("features", features), ("classifier", LogisticRegression(C=c, max_iter=3000))]
    )


@dataclass(frozen=True)
class NgramVocabulary:
    """One fitted TF-IDF vectorizer, reduced to what scoring a message needs."""

    params: Dict[str, Any]  # the vectorizer's constructor arguments (its analyzer)
    terms: List[str]  # in column order
    idf: np.ndarray

    @classmethod
    def from_vectorizer(cls, vectorizer: TfidfVectorizer) -> NgramVocabulary:
        terms = [""] * len(vectorizer.vocabulary_)
        for term, column in vectorizer.vocabulary_.items():
            terms[column] = term
        return cls(vectorizer.get_params(), terms, vectorizer.idf_.astype(np.float32))

    def analyzer(self) -> Callable[[str], List[str]]:
        return TfidfVectorizer(**self.params).build_analyzer()


class NgramScorer:
    """Scores a message as the fitted pipeline does, without sklearn's per-call overhead.

    ``Pipeline.predict_proba`` on one message costs ~1.9 ms, nearly all of it input
    validation and sparse-matrix building; the arithmetic (sublinear TF times IDF,
    L2-normalised per vectorizer, a dot product with the regression's weights and a
    softmax) is tens of microseconds. A unit test checks both give the same numbers.
    """

    def __init__(
        self,
        vocabularies: Sequence[NgramVocabulary],
        weights: np.ndarray,
        intercept: np.ndarray,
        classes: Sequence[str],
    ) -> None:
        self.vocabularies = list(vocabularies)
        self.weights = weights  # (columns of every vocabulary in turn, classes)
        self.intercept = intercept
        self.classes = [str(c) for c in classes]
        self._analyzers = [v.analyzer() for v in self.vocabularies]
        self._columns = [{t: i for i, t in enumerate(v.terms)} for v in self.vocabularies]
        self._offsets = np.cumsum([0] + [len(v.terms) for v in self.vocabularies])[:-1]

    @classmethod
    def from_pipeline(cls, pipeline: Pipeline) -> NgramScorer:
        features: FeatureUnion = pipeline.named_steps["features"]
        classifier: LogisticRegression = pipeline.named_steps["classifier"]
        return cls(
            [NgramVocabulary.from_vectorizer(v) for _, v in features.transformer_list],
            classifier.coef_.T.astype(np.float32),
            classifier.intercept_.astype(np.float32),
            classifier.classes_,
        )

    def state(self) -> Dict[str, Any]:
        """Plain values to persist (no sklearn objects: loading them is slow)."""
        return {
            "vocabularies": [(v.params, v.terms, v.idf) for v in self.vocabularies],
            "weights": self.weights,
            "intercept": self.intercept,
            "classes": self.classes,
        }

    @classmethod
    def from_state(cls, state: Dict[str, Any]) -> NgramScorer:
        return cls(
            [NgramVocabulary(p, t, i) for p, t, i in state["vocabularies"]],
            state["weights"],
            state["intercept"],
            state["classes"],
        )

    def probabilities(self, text: str) -> Dict[str, float]:
        """Every intent's probability for ``text``."""
        scores = self.intercept.astype(np.float64)
        for analyzer, columns, vocabulary, offset in zip(
            self._analyzers, self._columns, self.vocabularies, self._offsets, strict=True
        ):
            counts = Counter(term for term in analyzer(text) if term in columns)
            if not counts:
                continue
            index = np.fromiter((columns[t] for t in counts), dtype=np.int64, count=len(counts))
            values = np.fromiter(
                (1.0 + math.log(n) for n in counts.values()), dtype=np.float64, count=len(counts)
            )
            values *= vocabulary.idf[index]
            values /= np.linalg.norm(values)
            scores = scores + values @ self.weights[index + offset]
        scores = np.exp(scores - scores.max())
        scores /= scores.sum()
        return {name: float(p) for name, p in zip(self.classes, scores, strict=True)}
