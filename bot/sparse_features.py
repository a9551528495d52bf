"""Two sparse feature matrices side by side, without scipy's general block assembly.

Rasa combines a message's sparse features (each featurizer's, then sentence and
sequence parts) with ``scipy.sparse.hstack``, pairwise: ~5 combinations per message,
each through ``bmat``, which builds an object array of blocks, converts each to COO,
validates it, and constructs the result, ~0.2 ms apiece — ~1 ms of a ~12 ms parse
under cProfile on 2026-12-05. For the case Rasa always has — two COO matrices of the
same row count, float or integer counts (float64 beside int64 is float64, as
scipy upcasts) — :func:`hstack_pair` concatenates the entries directly and
builds the result once. It returns exactly what ``hstack`` returns (same class, shape,
dtype, index dtype, entries in the same order); anything else goes to ``hstack``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse


def hstack_pair(left: Any, right: Any) -> Any:
    """``scipy.sparse.hstack([left, right])``, faster for two COO matrices (see above)."""
    if not (
        type(left) is scipy.sparse.coo_matrix
        and type(right) is scipy.sparse.coo_matrix
        and (left.dtype == right.dtype or np.result_type(left.dtype, right.dtype) == np.float64)
        and left.shape[0] == right.shape[0]
    ):
        return scipy.sparse.hstack([left, right])
    shape = (left.shape[0], left.shape[1] + right.shape[1])
    row = np.concatenate([left.row, right.row])
    col = np.concatenate([left.col, right.col + np.int64(left.shape[1])])
    data = np.concatenate([left.data, right.data])
    # The constructor casts the indices to the dtype scipy picks for the shape, as bmat's.
    return scipy.sparse.coo_matrix((data, (row, col)), shape=shape)


def combine_sparse_features(features: Any, additional: Any) -> None:
    """``Features._combine_sparse_features`` with :func:`hstack_pair` (same checks)."""
    if features.features.shape[0] != additional.features.shape[0]:
        raise ValueError(
            f"Cannot combine sparse features as sequence dimensions do not "
            f"match: {features.features.shape[0]} != "
            f"{additional.features.shape[0]}."
        )
    features.features = hstack_pair(features.features, additional.features)
    features._cached_fingerprint = None
