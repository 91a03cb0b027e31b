"""Benchmark peer: the reference workload in idiomatic PyTorch on the CPU.

784-128-64-10 (ReLU), softmax cross-entropy on logits, Adam lr 1e-3, f32, MNIST's 60,000
training samples. One epoch = a seeded permutation, gathering each batch by indexing a
pre-made tensor with it, forward, backward and the optimizer step, the last partial batch
included. Data loading is not timed; each epoch is timed on its own.

Prints one JSON line per batch size (wall and process CPU seconds of each epoch):
    {"peer": "pytorch", "threads": 1, "batch": 64, "epoch_seconds": [...], ...}

Usage: pytorch_epoch.py MNIST_DIR [--batch 64 [--batch 128 ...]] [--epochs 5] [--threads 1]
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from mnist_idx import load_train  # noqa: E402


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("mnist_dir", help="folder holding train-{images,labels}-idx*-ubyte.gz")
    p.add_argument("--batch", type=int, action="append", help="batch size (repeatable)")
    p.add_argument("--epochs", type=int, default=5, help="timed epochs per batch size")
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument(
        "--adam",
        choices=["default", "foreach", "fused"],
        default="default",
        help="torch.optim.Adam implementation (default: what PyTorch picks by itself)",
    )
    args = p.parse_args()
    args.batch = args.batch or [64]
    if args.epochs < 1 or args.threads < 1 or any(b < 1 for b in args.batch):
        p.error("--epochs, --threads and --batch must be at least 1")
    return args


def build(seed):
    torch.manual_seed(seed)
    return torch.nn.Sequential(
        torch.nn.Linear(784, 128),
        torch.nn.ReLU(),
        torch.nn.Linear(128, 64),
        torch.nn.ReLU(),
        torch.nn.Linear(64, 10),
    )


def run(x, y, batch, epochs, seed, adam):
    model = build(seed)
    kwargs = {} if adam == "default" else {adam: True}
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, **kwargs)
    loss_fn = torch.nn.CrossEntropyLoss()
    gen = torch.Generator().manual_seed(seed)
    n = x.shape[0]
    times, cpu = [], []
    loss = None
    for _ in range(epochs):
        start, start_cpu = time.perf_counter(), time.process_time()
        perm = torch.randperm(n, generator=gen)
        for i in range(0, n, batch):
            idx = perm[i : i + batch]
            xb, yb = x[idx], y[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return times, cpu, float(loss.item())


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    x_np, y_np = load_train(args.mnist_dir)
    x = torch.from_numpy(x_np)
    y = torch.from_numpy(y_np)
    for batch in args.batch:
        times, cpu, last_loss = run(x, y, batch, args.epochs, args.seed, args.adam)
        print(
            json.dumps(
                {
                    "peer": "pytorch",
                    "threads": torch.get_num_threads(),
                    "batch": batch,
                    "epoch_seconds": times,
                    "cpu_seconds": cpu,
                    "last_loss": last_loss,
                    "adam": args.adam,
                    "version": torch.__version__,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
