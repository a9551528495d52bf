"""Rasa's DIET, trained on batches of messages of similar length and saved for serving.

**Length-bucketed batches.** Rasa pads every training batch to its longest message.
Our training data mixes one-word answers ("好的", "PA20250042") with long, rambling
messages kept up to 64 tokens, so nearly every shuffled batch holds one long message
and pads all the others to it: the median message has 5 tokens, the padded batches
about seven times as many tokens as the text. The transformer and the entity CRFs
then spent most of a training epoch on padding (cutting the tokenizer to 24 tokens
made an epoch ~2.5 times faster; docs/nlu.md, "Training time"). Here, within each
window of a few consecutive batches (after Rasa's own shuffling and class balancing),
the examples are ordered by length before the window is cut into batches, and the
batches are then shuffled. Each window still holds Rasa's balanced class mix; only
which batch an example lands in changes.

**No optimizer state in the saved model.** Keras saves Adam's two moment estimates
with the weights: two thirds of DIET's checkpoint (~60 of ~90 MB, nearly all of it the
sparse input layers' moments), which every start of the server extracts from the
model archive and predictions never read. The model is saved without them.
Fine-tuning a model (`rasa train --finetune`) then starts Adam afresh from the saved
weights.

**No tf.data autotuning.** Keras feeds DIET's batch generator through a `tf.data`
pipeline that it rebuilds every epoch; with autotuning on (TensorFlow's default),
dropping the last epoch's pipeline waited for its tuning thread, and both cores sat
idle for ~3–4 s at the end of most epochs, close to half of each ~8 s epoch (seen
with vmstat and gdb, docs/nlu.md "Training time"). The pipeline is a generator and a
fixed one-batch prefetch, so there is nothing for autotuning to tune: it is turned
off for the datasets Keras builds during DIET's training. The batches are the same.

Prediction and loading are DIET's own, unchanged.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Dict, Iterator, List

import numpy as np
import tensorflow as tf
from keras.engine import data_adapter
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.utils import train_utils
from rasa.utils.tensorflow.constants import SEQUENCE_LENGTH
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import Data

BATCHES_PER_WINDOW = "batches_per_length_window"


def length_bucketed_order(
    lengths: np.ndarray, batch_size: int, batches_per_window: int, rng: Any
) -> np.ndarray:
    """Return an order of example positions whose consecutive batches are length-alike.

    `lengths[i]` is the token count of the example at position i of an already
    shuffled (and balanced) epoch. Positions are taken window by window
    (`batches_per_window` batches each), sorted by length inside the window and
    cut into batches of `batch_size`; the full batches are then shuffled with `rng`.
    A short last batch stays last, because Rasa slices batch k as positions
    [k * batch_size, (k + 1) * batch_size): moving it would shift every batch after.
    """
    count = len(lengths)
    if batch_size <= 0 or batches_per_window <= 1 or count <= batch_size:
        return np.arange(count)
    window = batch_size * batches_per_window
    batches: List[np.ndarray] = []
    for start in range(0, count, window):
        positions = np.arange(start, min(start + window, count))
        positions = positions[np.argsort(lengths[positions], kind="stable")]
        batches.extend(
            positions[offset : offset + batch_size]
            for offset in range(0, len(positions), batch_size)
        )
    short_last = [batch for batch in batches if len(batch) < batch_size]
    full = [batch for batch in batches if len(batch) == batch_size]
    shuffled = [full[index] for index in rng.permutation(len(full))]
    return np.concatenate(shuffled + short_last)


def example_lengths(data: Data) -> np.ndarray:
    """Token counts of the text of every example of Rasa's model data."""
    return np.asarray(data[TEXT][SEQUENCE_LENGTH][0]).reshape(-1)


class LengthBucketedBatchGenerator(RasaBatchDataGenerator):
    """Rasa's batch generator, with each epoch's batches grouped by message length."""

    batches_per_window = 8

    def _shuffle_and_balance(self, batch_size: int) -> Data:
        data = super()._shuffle_and_balance(batch_size)
        if TEXT not in data or SEQUENCE_LENGTH not in data[TEXT]:
            return data
        order = length_bucketed_order(
            example_lengths(data), batch_size, self.batches_per_window, np.random
        )
        return self.model_data._data_for_ids(data, order)


@contextmanager
def _without_optimizer_state(model: Any) -> Iterator[None]:
    """Leave the optimizer out of what `model.save_weights` writes, meanwhile.

    A Keras model writes every trackable child into its checkpoint; hiding the
    `optimizer` child (an instance attribute shadowing the class's method) keeps the
    weights and their names exactly as they were.
    """
    children = type(model)._trackable_children

    def without_optimizer(save_type: str = "checkpoint", **kwargs: Any) -> Dict[str, Any]:
        found = dict(children(model, save_type, **kwargs))
        found.pop("optimizer", None)
        return found

    model._trackable_children = without_optimizer
    try:
        yield
    finally:
        del model._trackable_children


@contextmanager
def _length_bucketed_batches(batches_per_window: int) -> Iterator[None]:
    """Make `create_data_generators` build length-bucketed generators meanwhile.

    DIET builds its generator inside `train` through `rasa.utils.train_utils`;
    swapping the class there for the duration of one `train` call is the one
    seam that leaves the rest of DIET's training untouched.
    """

    class Configured(LengthBucketedBatchGenerator):
        pass

    Configured.batches_per_window = batches_per_window
    original = train_utils.RasaBatchDataGenerator
    train_utils.RasaBatchDataGenerator = Configured
    try:
        yield
    finally:
        train_utils.RasaBatchDataGenerator = original


@contextmanager
def _tf_data_without_autotune() -> Iterator[None]:
    """Make the datasets Keras builds from batch generators skip autotuning, meanwhile.

    Keras wraps a `Sequence` (Rasa's batch generator) in a `GeneratorDataAdapter`,
    whose `get_dataset` is the one place every epoch's pipeline comes from; the
    options are added there, for the duration of one `train` call.
    """
    adapter = data_adapter.GeneratorDataAdapter
    original = adapter.get_dataset

    def get_dataset(self: Any) -> Any:
        options = tf.data.Options()
        options.autotune.enabled = False
        return original(self).with_options(options)

    adapter.get_dataset = get_dataset
    try:
        yield
    finally:
        adapter.get_dataset = original


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    ],
    is_trainable=True,
)
class LeanDIETClassifier(DIETClassifier):
    """`DIETClassifier` trained on length-alike batches, saved without optimizer state."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        """DIET's defaults, plus how many batches share one length window (1: off)."""
        return {**DIETClassifier.get_default_config(), BATCHES_PER_WINDOW: 8}

    def train(self, training_data: TrainingData) -> Resource:
        """Train as DIET does, on length-bucketed batches, without tf.data autotuning."""
        windows = int(self.component_config[BATCHES_PER_WINDOW])
        with _length_bucketed_batches(windows), _tf_data_without_autotune():
            return super().train(training_data)

    def persist(self) -> None:
        """Save as DIET does, without the optimizer's state."""
        if self.model is None:
            super().persist()
            return
        with _without_optimizer_state(self.model):
            super().persist()
