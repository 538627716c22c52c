"""Benchmark: one training epoch of the course's NN against the same MLP in PyTorch.

The network is the course's reference `course.nn.NN` with layers [64, 64, 10]
(ReLU hidden layer, softmax output, cross-entropy loss) on the digits data set:
all 1797 images scaled to 0..1, one-hot labels, one fixed shuffled order. An
epoch is one pass over the 1797 samples in mini-batches of 64 (the last batch
has 5), each batch one forward pass, backward pass and plain SGD step.

When PyTorch is installed, the same MLP in float64 (nn.Linear + ReLU,
CrossEntropyLoss on the logits, torch.optim.SGD) starts from the course NN's
initial weights and sees the same batches in the same order with the same
learning rate. After the first epoch the two networks' weights must agree to
float64 rounding; the largest difference is printed as a check that both sides
do the same work (above 1e-9 the bench stops with an error). Then both train
several more epochs, taking turns epoch by epoch so that both see the same
machine load, and the median time per epoch of each, and their ratio
(course / torch), are printed.
Both sides run single-threaded (numpy's BLAS and torch), so the figure
compares the two implementations, not the number of cores.

torch is an optional extra, never a requirement of the course. Without it the
bench prints the course NN's epoch time and a line saying the comparison was
skipped. To see the comparison, install the CPU-only build (no CUDA
packages, about 750 MB installed), preferably in a separate venv:

    pip install torch --index-url https://download.pytorch.org/whl/cpu

Run it with `make bench` or `python -m bench.training [--epochs 20]`.
"""
import argparse
import statistics
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

from course.datasets import load_digits
from course.reference.classification import activation_softmax_dict, softmax_ce_dict
from course.reference.nn import NN, activation_relu_dict

LAYERS = [64, 64, 10]


def digit_batches(batch_size, seed=0):
    """The digits in one fixed shuffled order, cut into (X, one-hot Y) mini-batches."""
    X, y = load_digits()
    X = X / 16.0
    Y = np.eye(10)[y]
    order = np.random.default_rng(seed).permutation(len(X))
    return [(np.ascontiguousarray(X[order[i:i + batch_size]]), np.ascontiguousarray(Y[order[i:i + batch_size]]))
            for i in range(0, len(X), batch_size)]


def course_epoch(net, batches, lr):
    for Xb, Yb in batches:
        net.train(Xb, Yb, 1, learning_rate=lr, verbose=False)


def torch_model(net):
    """The same MLP in PyTorch, float64, starting from the course NN's current weights."""
    import torch
    layers = []
    for l in range(1, len(LAYERS)):
        linear = torch.nn.Linear(LAYERS[l - 1], LAYERS[l])
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(net.params[f"W{l}"].T))
            linear.bias.copy_(torch.from_numpy(net.params[f"b{l}"].ravel()))
        layers += [linear, torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1])  # logits out: CrossEntropyLoss applies the softmax


def torch_epoch(model, optimizer, batches):
    import torch
    loss_fn = torch.nn.CrossEntropyLoss()
    for Xb, yb in batches:
        optimizer.zero_grad()
        loss_fn(model(Xb), yb).backward()
        optimizer.step()


def median_epochs(runs, epochs):
    """Median seconds per epoch of each run; the runs take turns so that both see the same machine load."""
    times = [[] for _ in runs]
    for _ in range(epochs):
        for run, t in zip(runs, times, strict=True):
            start = time.perf_counter()
            run()
            t.append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20, help="timed epochs per side (default 20)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.5)
    args = parser.parse_args()
    threadpool_limits(1)  # numpy's BLAS on one thread, as torch below

    batches = digit_batches(args.batch_size)
    net = NN(LAYERS, activation_relu_dict, activation_softmax_dict, softmax_ce_dict, seed=0)
    print(f"Training benchmark: digits, {sum(len(X) for X, _ in batches)} samples, MLP {LAYERS}, "
          f"batch {args.batch_size} ({len(batches)} batches/epoch), SGD lr {args.lr}, float64, 1 thread, "
          f"median of {args.epochs} epochs")

    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        torch.set_default_dtype(torch.float64)
        torch.set_num_threads(1)
        model = torch_model(net)
        optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
        torch_batches = [(torch.from_numpy(X), torch.from_numpy(Y.argmax(axis=1))) for X, Y in batches]
        before = [net.params[f"W{l}"].copy() for l in range(1, len(LAYERS))]

    course_epoch(net, batches, args.lr)  # first epoch: warm-up, and the correctness check below
    if torch is not None:
        torch_epoch(model, optimizer, torch_batches)
        linears = [m for m in model if isinstance(m, torch.nn.Linear)]
        diff = max(max(np.abs(net.params[f"W{l}"] - lin.weight.detach().numpy().T).max(),
                       np.abs(net.params[f"b{l}"].ravel() - lin.bias.detach().numpy()).max())
                   for l, lin in enumerate(linears, start=1))
        moved = max(np.abs(net.params[f"W{l}"] - before[l - 1]).max() for l in range(1, len(LAYERS)))
        print(f"  after one epoch: max |course - torch| over weights and biases = {diff:.1e} "
              f"(largest weight change in the epoch {moved:.1e})")
        if diff > 1e-9:
            sys.exit(f"the two networks disagree after one epoch ({diff:.1e} > 1e-9): the comparison is not fair")

    runs = [lambda: course_epoch(net, batches, args.lr)]
    if torch is not None:
        runs.append(lambda: torch_epoch(model, optimizer, torch_batches))
    course, *rest = median_epochs(runs, args.epochs)
    print(f"  course NN (numpy {np.__version__}):  {course * 1e3:8.2f} ms/epoch")
    if torch is None:
        print("  torch not installed: skipping the PyTorch comparison "
              "(pip install torch --index-url https://download.pytorch.org/whl/cpu)")
        return
    print(f"  PyTorch {torch.__version__}:      {rest[0] * 1e3:8.2f} ms/epoch")
    print(f"  ratio course / torch: {course / rest[0]:.2f}")


if __name__ == "__main__":
    main()
