"""PyTorch reference for the assignment's MLP: forward output, loss and every gradient on fixed
small weights and a fixed batch, for src/nn/mlp.test.ts.

The network and loss are written exactly as the assignment's notebook does: H = relu(X W1 + b1),
O = softmax(H W2 + b2), loss = mean(-log(O[y] + 1e-12)); and the stable variant
cross_entropy(H W2 + b2, y). float32 throughout, like bayesprop's default dtype.

Run: /usr/bin/python3 scripts/goldens/torch_mlp.py > src/nn/fixtures/torch-mlp.json
(needs Debian's python3-torch)
"""
import json
import sys

import numpy as np
import torch

rng = np.random.default_rng(20261128)
M, H, K, N = 784, 16, 10, 8
# Inputs like MNIST pixels: mostly zeros, the rest in (0, 1].
x = rng.random((N, M)).astype(np.float32)
x[rng.random((N, M)) < 0.8] = 0.0
y = rng.integers(0, K, size=N)
W1 = (0.05 * rng.standard_normal((M, H))).astype(np.float32)
b1 = (0.1 * rng.standard_normal(H)).astype(np.float32)
W2 = (0.3 * rng.standard_normal((H, K))).astype(np.float32)
b2 = (0.1 * rng.standard_normal(K)).astype(np.float32)


def run(stable):
    params = [torch.tensor(p, requires_grad=True) for p in (W1, b1, W2, b2)]
    w1, c1, w2, c2 = params
    X = torch.tensor(x)
    Y = torch.tensor(y)
    Hd = torch.relu(X @ w1 + c1)
    logits = Hd @ w2 + c2
    O = torch.softmax(logits, dim=1)
    if stable:
        loss = torch.nn.functional.cross_entropy(logits, Y)
    else:
        loss = torch.mean(-torch.log(O[torch.arange(N), Y] + 1e-12))
    loss.backward()
    return {
        "O": O.detach().numpy().astype(float).ravel().tolist(),
        "loss": float(loss),
        "grads": {name: p.grad.numpy().astype(float).ravel().tolist() for name, p in zip(("W1", "b1", "W2", "b2"), params)},
    }


json.dump({
    "source": "scripts/goldens/torch_mlp.py (PyTorch %s)" % torch.__version__,
    "shape": {"inputs": M, "hidden": H, "outputs": K, "batch": N},
    "x": x.astype(float).ravel().tolist(), "y": y.tolist(),
    "W1": W1.astype(float).ravel().tolist(), "b1": b1.astype(float).tolist(),
    "W2": W2.astype(float).ravel().tolist(), "b2": b2.astype(float).tolist(),
    "assignment": run(False), "stable": run(True),
}, sys.stdout)
