"""Two sparse feature matrices side by side: exactly what scipy's hstack gives."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.sparse
from rasa.shared.nlu.training_data.features import Features

from bot.sparse_features import combine_sparse_features, hstack_pair


def random_coo(rows: int, columns: int, density: float, seed: int, dtype: Any = np.float64):
    matrix = scipy.sparse.random(rows, columns, density=density, format="coo", random_state=seed)
    return scipy.sparse.coo_matrix(matrix.astype(dtype))


def assert_identical(ours: Any, theirs: Any) -> None:
    assert type(ours) is type(theirs)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    for name in ("row", "col", "data"):
        mine, scipys = getattr(ours, name), getattr(theirs, name)
        assert mine.dtype == scipys.dtype, name
        assert np.array_equal(mine, scipys), name


@pytest.mark.parametrize(
    "left, right",
    [
        ((1, 3000, 0.002), (1, 7, 0.5)),  # a sentence's count vectors and lexical features
        ((6, 3000, 0.01), (6, 12000, 0.001)),  # a sequence's word and char n-grams
        ((4, 50, 0.0), (4, 30, 0.2)),  # no entries on one side
        ((4, 50, 0.0), (4, 30, 0.0)),  # none on either
        ((0, 5, 0.0), (0, 9, 0.0)),  # an empty message's sequence
    ],
)
def test_two_coo_matrices_are_stacked_exactly_as_scipy_does(left: tuple, right: tuple) -> None:
    a, b = random_coo(*left, seed=1), random_coo(*right, seed=2)
    assert_identical(hstack_pair(a, b), scipy.sparse.hstack([a, b]))


def test_integer_counts_keep_their_dtype() -> None:
    a, b = random_coo(3, 40, 0.2, 1, np.int64), random_coo(3, 60, 0.2, 2, np.int64)
    assert_identical(hstack_pair(a, b), scipy.sparse.hstack([a, b]))


def test_counts_beside_weights_are_upcast_to_float_as_scipy_does() -> None:
    """What Rasa has: a featurizer's int64 counts joined to float64 features."""
    a, b = random_coo(3, 40, 0.2, 1, np.float64), random_coo(3, 60, 0.2, 2, np.int64)
    assert_identical(hstack_pair(a, b), scipy.sparse.hstack([a, b]))
    assert_identical(hstack_pair(b, a), scipy.sparse.hstack([b, a]))


def test_anything_else_goes_to_scipy() -> None:
    """Other formats or mixed dtypes: scipy's own rules (upcasting, format) apply."""
    a = random_coo(3, 40, 0.2, 1, np.float32)
    b = random_coo(3, 60, 0.2, 2, np.float64)
    assert_identical(hstack_pair(a, b), scipy.sparse.hstack([a, b]))
    csr = random_coo(3, 40, 0.2, 3).tocsr()
    stacked = hstack_pair(csr, b.tocsr())
    assert (stacked != scipy.sparse.hstack([csr, b.tocsr()])).nnz == 0


def test_features_of_different_lengths_are_refused_as_rasa_refuses_them() -> None:
    sequence = Features(random_coo(3, 10, 0.3, 1), "sequence", "text", "a")
    other = Features(random_coo(4, 10, 0.3, 2), "sequence", "text", "b")
    with pytest.raises(ValueError, match="sequence dimensions do not match"):
        combine_sparse_features(sequence, other)


def test_rasa_s_features_combine_through_the_fast_path() -> None:
    import bot.speedups  # noqa: F401 - installed when bot is imported

    first = Features(random_coo(2, 30, 0.3, 1), "sentence", "text", "a")
    second = Features(random_coo(2, 20, 0.3, 2), "sentence", "text", "b")
    expected = scipy.sparse.hstack([first.features, second.features])
    first.combine_with_features(second)
    assert Features._combine_sparse_features is combine_sparse_features
    assert_identical(first.features, expected)
