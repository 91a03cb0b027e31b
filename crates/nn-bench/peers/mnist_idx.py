"""Loads the MNIST training set from the project's gzip'd IDX files with gzip + NumPy only.

Shared by the benchmark's peer scripts so that both read the very bytes the Rust engine reads.
"""

import gzip
import os
import struct

import numpy as np

TRAIN_IMAGES = "train-images-idx3-ubyte.gz"
TRAIN_LABELS = "train-labels-idx1-ubyte.gz"


def _read_idx(path, expected_magic):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic = struct.unpack(">I", raw[:4])[0]
    if magic != expected_magic:
        raise ValueError(f"{path}: magic number {magic}, expected {expected_magic}")
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, raw[4 : 4 + 4 * ndim])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(dims)):
        raise ValueError(f"{path}: {data.size} bytes of data, header says {dims}")
    return data.reshape(dims)


def load_train(mnist_dir):
    """Returns (X, labels): X is 60000 x 784 float32 in [0, 1] (one row per sample, as NumPy
    and PyTorch users lay data out), labels is int64 of digits 0-9."""
    images = _read_idx(os.path.join(mnist_dir, TRAIN_IMAGES), 2051)
    labels = _read_idx(os.path.join(mnist_dir, TRAIN_LABELS), 2049)
    if images.shape[0] != labels.shape[0]:
        raise ValueError(f"{images.shape[0]} images but {labels.shape[0]} labels")
    x = images.reshape(images.shape[0], -1).astype(np.float32) / np.float32(255.0)
    return np.ascontiguousarray(x, dtype=np.float32), labels.astype(np.int64)
