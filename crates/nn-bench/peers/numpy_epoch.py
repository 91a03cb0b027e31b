"""Benchmark peer: the reference workload written from scratch in NumPy, as the studies do.

784-128-64-10 (ReLU), softmax cross-entropy, Adam lr 1e-3 written by hand, f32, MNIST's
60,000 training samples laid out one row per sample (Z = X @ W.T + b). One epoch = a seeded
permutation, gathering each batch by fancy indexing, forward, backward and the Adam update,
the last partial batch included. Data loading is not timed; each epoch is timed on its own.

Prints one JSON line per batch size (wall and process CPU seconds of each epoch):
    {"peer": "numpy", "threads": 1, "batch": 64, "epoch_seconds": [...], ...}

Usage: numpy_epoch.py MNIST_DIR [--batch 64 [--batch 128 ...]] [--epochs 5] [--threads 1]
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

from mnist_idx import load_train  # noqa: E402

F32 = np.float32
SIZES = [784, 128, 64, 10]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("mnist_dir", help="folder holding train-{images,labels}-idx*-ubyte.gz")
    p.add_argument("--batch", type=int, action="append", help="batch size (repeatable)")
    p.add_argument("--epochs", type=int, default=5, help="timed epochs per batch size")
    p.add_argument("--threads", type=int, default=1, help="BLAS threads (threadpoolctl)")
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args()
    args.batch = args.batch or [64]
    if args.epochs < 1 or args.threads < 1 or any(b < 1 for b in args.batch):
        p.error("--epochs, --threads and --batch must be at least 1")
    return args


def init_params(rng):
    """He-normal weights (out x in) for the hidden layers, Xavier for the output, zero biases."""
    params = []
    for i, (fan_in, fan_out) in enumerate(zip(SIZES[:-1], SIZES[1:])):
        last = i == len(SIZES) - 2
        std = np.sqrt(2.0 / (fan_in + fan_out)) if last else np.sqrt(2.0 / fan_in)
        params.append((rng.standard_normal((fan_out, fan_in)) * std).astype(F32))
        params.append(np.zeros(fan_out, dtype=F32))
    return params


class Adam:
    def __init__(self, params, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr, self.b1, self.b2, self.eps = F32(lr), F32(beta1), F32(beta2), F32(eps)
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, params, grads):
        self.t += 1
        bc1 = F32(1.0 - float(self.b1) ** self.t)
        bc2 = F32(1.0 - float(self.b2) ** self.t)
        for p, g, m, v in zip(params, grads, self.m, self.v):
            m *= self.b1
            m += (F32(1.0) - self.b1) * g
            v *= self.b2
            v += (F32(1.0) - self.b2) * (g * g)
            p -= self.lr * (m / bc1) / (np.sqrt(v / bc2) + self.eps)


def train_step(params, xb, yb, adam):
    w1, b1, w2, b2, w3, b3 = params
    m = F32(xb.shape[0])
    # forward
    z1 = xb @ w1.T + b1
    a1 = np.maximum(z1, F32(0.0))
    z2 = a1 @ w2.T + b2
    a2 = np.maximum(z2, F32(0.0))
    z3 = a2 @ w3.T + b3
    # softmax cross-entropy on logits
    z3 = z3 - z3.max(axis=1, keepdims=True)
    e = np.exp(z3)
    p = e / e.sum(axis=1, keepdims=True)
    rows = np.arange(xb.shape[0])
    loss = -np.log(p[rows, yb] + F32(1e-12)).mean()
    # backward
    d3 = p
    d3[rows, yb] -= F32(1.0)
    d3 /= m
    gw3 = d3.T @ a2
    gb3 = d3.sum(axis=0)
    d2 = (d3 @ w3) * (z2 > 0)
    gw2 = d2.T @ a1
    gb2 = d2.sum(axis=0)
    d1 = (d2 @ w2) * (z1 > 0)
    gw1 = d1.T @ xb
    gb1 = d1.sum(axis=0)
    adam.step(params, [gw1, gb1, gw2, gb2, gw3, gb3])
    return loss


def run(x, y, batch, epochs, seed):
    rng = np.random.default_rng(seed)
    params = init_params(rng)
    adam = Adam(params)
    n = x.shape[0]
    times, cpu = [], []
    loss = None
    for _ in range(epochs):
        start, start_cpu = time.perf_counter(), time.process_time()
        perm = rng.permutation(n)
        for i in range(0, n, batch):
            idx = perm[i : i + batch]
            loss = train_step(params, x[idx], y[idx], adam)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    assert all(p.dtype == F32 for p in params), "parameters left float32"
    return times, cpu, float(loss)


def main():
    args = parse_args()
    from threadpoolctl import threadpool_info, threadpool_limits

    x, y = load_train(args.mnist_dir)
    with threadpool_limits(limits=args.threads, user_api="blas"):
        blas = [
            f"{i.get('internal_api')}/{i.get('architecture')}/{i.get('num_threads')}"
            for i in threadpool_info()
            if i.get("user_api") == "blas"
        ]
        for batch in args.batch:
            times, cpu, last_loss = run(x, y, batch, args.epochs, args.seed)
            print(
                json.dumps(
                    {
                        "peer": "numpy",
                        "threads": args.threads,
                        "batch": batch,
                        "epoch_seconds": times,
                        "cpu_seconds": cpu,
                        "last_loss": last_loss,
                        "blas": blas,
                        "version": np.__version__,
                    }
                ),
                flush=True,
            )


if __name__ == "__main__":
    main()
