"""The plumbing both n-gram NLU components share: build, persist and load one scorer.

``NgramIntentEnsemble`` (intents) and ``MessageValueClassifier`` (an entity's value) each
fit an ``NgramScorer`` on labelled texts and keep it in the model archive as plain arrays;
they differ only in what they learn from and what they do with its probabilities.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, ClassVar, Dict, List, TypeVar

import joblib
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

from bot.nlu.ngram_scorer import NgramScorer, ngram_model

logger = logging.getLogger(__name__)

Component = TypeVar("Component", bound="NgramComponent")


class NgramComponent(GraphComponent):
    """A graph component holding one fitted ``NgramScorer`` (or none, untrained)."""

    #: The scorer's file in the component's part of the model archive.
    MODEL_FILE: ClassVar[str]

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: NgramScorer | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls: type[Component],
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Component:
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls: type[Component],
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> Component:
        model = None
        try:
            with model_storage.read_from(resource) as directory:
                path = Path(directory) / cls.MODEL_FILE
                if path.exists():
                    model = NgramScorer.from_state(joblib.load(path))
        except ValueError:
            logger.debug("%s: no n-gram model in this model archive.", cls.__name__)
        return cls(config, model_storage, resource, model)

    def fit(self, texts: List[str], labels: List[str]) -> Resource:
        """Fits the scorer with the configured n-grams and ``c``, and stores it."""
        pipeline = ngram_model(
            float(self._config["c"]),
            list(self._config["char_ngrams"]),
            list(self._config["word_ngrams"]),
        )
        pipeline.fit(texts, labels)
        self._model = NgramScorer.from_pipeline(pipeline)
        with self._model_storage.write_to(self._resource) as directory:
            joblib.dump(self._model.state(), Path(directory) / self.MODEL_FILE)
        return self._resource
