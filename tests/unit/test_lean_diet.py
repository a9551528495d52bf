"""DIET trained on length-alike batches and saved for serving (bot/nlu/lean_diet.py)."""

import numpy as np
import pytest
import tensorflow as tf
from rasa.utils import train_utils
from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator
from rasa.utils.tensorflow.model_data import FeatureArray, RasaModelData

from bot.nlu.lean_diet import (
    LeanDIETClassifier,
    LengthBucketedBatchGenerator,
    _length_bucketed_batches,
    _tf_data_without_autotune,
    _without_optimizer_state,
    length_bucketed_order,
)


def batches(order: np.ndarray, size: int) -> list[np.ndarray]:
    return [order[start : start + size] for start in range(0, len(order), size)]


def padded_tokens(lengths: np.ndarray, order: np.ndarray, size: int) -> int:
    """Tokens a batch pipeline computes when every batch pads to its longest message."""
    return sum(len(batch) * int(lengths[batch].max()) for batch in batches(order, size))


def realistic_lengths(count: int, seed: int = 0) -> np.ndarray:
    """Mostly short messages and a few long ones, like the training data."""
    rng = np.random.default_rng(seed)
    lengths = rng.geometric(0.15, count) + 1
    lengths[rng.random(count) < 0.03] = 64
    return np.minimum(lengths, 64)


def test_every_example_is_trained_on_exactly_once_per_epoch() -> None:
    lengths = realistic_lengths(1_000)
    order = length_bucketed_order(lengths, 64, 8, np.random.default_rng(1))
    assert sorted(order.tolist()) == list(range(1_000))


def test_batches_pad_far_less_than_shuffled_batches() -> None:
    lengths = realistic_lengths(5_000)
    order = length_bucketed_order(lengths, 160, 8, np.random.default_rng(1))
    shuffled = np.arange(5_000)
    assert padded_tokens(lengths, order, 160) * 3 < padded_tokens(lengths, shuffled, 160)


def test_a_short_last_batch_stays_last_so_later_batches_are_not_shifted() -> None:
    lengths = realistic_lengths(1_000)
    order = length_bucketed_order(lengths, 64, 4, np.random.default_rng(2))
    cut = batches(order, 64)
    assert all(len(batch) == 64 for batch in cut[:-1])
    assert len(cut[-1]) == 1_000 % 64
    # The short batch is the tail of the last window, sorted like the rest of it.
    assert list(lengths[cut[-1]]) == sorted(lengths[cut[-1]])


def test_the_batch_order_is_shuffled_not_sorted_by_length() -> None:
    lengths = realistic_lengths(4_096)
    order = length_bucketed_order(lengths, 64, 64, np.random.default_rng(3))
    longest = [int(lengths[batch].max()) for batch in batches(order, 64)]
    assert longest != sorted(longest)


def test_windows_of_one_batch_keep_rasas_order() -> None:
    lengths = realistic_lengths(300)
    assert list(length_bucketed_order(lengths, 64, 1, np.random.default_rng(0))) == list(range(300))


def model_data(lengths: np.ndarray) -> RasaModelData:
    count = len(lengths)
    ids = FeatureArray(np.arange(count, dtype=float).reshape(count, 1), 2)
    return RasaModelData(
        label_key="label",
        label_sub_key="ids",
        data={
            "text": {"sequence_lengths": [FeatureArray(lengths.astype(float), 1)]},
            "label": {"ids": [ids]},
        },
    )


def test_the_generator_hands_keras_length_alike_batches_of_every_example() -> None:
    lengths = realistic_lengths(640)
    generator = LengthBucketedBatchGenerator(
        model_data(lengths), batch_size=64, epochs=1, batch_strategy="sequence"
    )
    seen: list[int] = []
    for index in range(len(generator)):
        text_lengths, label_ids = generator[index][0]
        seen.extend(int(value) for value in np.asarray(label_ids).reshape(-1))
    assert sorted(seen) == list(range(640))
    epoch = np.array(generator._data["text"]["sequence_lengths"][0], dtype=float).reshape(-1)
    original = lengths.astype(float)
    assert padded_tokens(epoch, np.arange(640), 64) < padded_tokens(original, np.arange(640), 64)


def test_rasas_generator_is_back_after_training_even_when_training_fails() -> None:
    with pytest.raises(RuntimeError), _length_bucketed_batches(8):
        assert issubclass(train_utils.RasaBatchDataGenerator, LengthBucketedBatchGenerator)
        raise RuntimeError("training failed")
    assert train_utils.RasaBatchDataGenerator is RasaBatchDataGenerator


def test_the_component_is_diet_with_one_more_setting() -> None:
    config = LeanDIETClassifier.get_default_config()
    assert config["batches_per_length_window"] == 8
    assert config["epochs"] == 300  # DIET's own default, overridden in config.yml


def trained_keras_model() -> tf.keras.Model:
    class Tiny(tf.keras.Model):
        def __init__(self) -> None:
            super().__init__()
            self.dense = tf.keras.layers.Dense(4)

        def call(self, inputs: tf.Tensor) -> tf.Tensor:
            return self.dense(inputs)

    model = Tiny()
    model.compile(optimizer=tf.keras.optimizers.Adam(), loss="mse")
    model.fit(np.ones((8, 3)), np.ones((8, 4)), verbose=0)
    return model


def test_the_saved_weights_leave_the_optimizer_state_out_and_load_back(tmp_path) -> None:
    model = trained_keras_model()
    with _without_optimizer_state(model):
        model.save_weights(str(tmp_path / "lean"), save_format="tf")
    saved = tf.train.load_checkpoint(str(tmp_path / "lean")).get_variable_to_shape_map()
    assert not [name for name in saved if "optimizer" in name]
    assert any(name.startswith("dense/kernel") for name in saved)

    fresh = type(model)()
    fresh(np.ones((1, 3)))
    fresh.load_weights(str(tmp_path / "lean")).expect_partial()
    np.testing.assert_array_equal(fresh.dense.kernel.numpy(), model.dense.kernel.numpy())


def test_the_model_saves_its_optimizer_again_afterwards(tmp_path) -> None:
    model = trained_keras_model()
    with _without_optimizer_state(model):
        pass
    model.save_weights(str(tmp_path / "full"), save_format="tf")
    saved = tf.train.load_checkpoint(str(tmp_path / "full")).get_variable_to_shape_map()
    assert [name for name in saved if name.startswith("optimizer/")]


class Batches(tf.keras.utils.Sequence):
    """Two fixed batches, as Rasa's batch generator hands them to Keras."""

    def __len__(self) -> int:
        return 2

    def __getitem__(self, index: int):
        return np.full((2, 3), float(index)), np.full((2, 4), float(index))


def keras_dataset_for(sequence: tf.keras.utils.Sequence) -> tf.data.Dataset:
    """The dataset Keras's `fit` builds from a Sequence (the adapter `fit` picks)."""
    from keras.engine import data_adapter

    handler = data_adapter.get_data_handler(x=sequence, epochs=1, model=None)
    return handler._dataset


def test_keras_pipelines_built_during_training_are_not_autotuned() -> None:
    with _tf_data_without_autotune():
        dataset = keras_dataset_for(Batches())
        assert dataset.options().autotune.enabled is False
        assert [float(x[0, 0]) for x, _ in dataset] == [0.0, 1.0]


def test_autotuning_is_tensorflows_default_again_after_training_even_if_it_fails() -> None:
    with pytest.raises(RuntimeError), _tf_data_without_autotune():
        raise RuntimeError("training failed")
    assert keras_dataset_for(Batches()).options().autotune.enabled is not False
