"""GFLOP/s of numpy (OpenBLAS) sgemm: the MLP's shapes and 2048³ (the machine's fp32 peak here)."""
import json
import time

import numpy as np

def rate(m, n, k, reps):
    a = np.random.rand(m, k).astype(np.float32)
    b = np.random.rand(k, n).astype(np.float32)
    a @ b
    t = time.perf_counter()
    for _ in range(reps):
        a @ b
    return 2 * m * n * k * reps / (time.perf_counter() - t) / 1e9

print(json.dumps({"128x784x256": rate(128, 256, 784, 200), "128x256x10": rate(128, 10, 256, 2000), "784x128x256": rate(784, 256, 128, 200), "peak2048": rate(2048, 2048, 2048, 5)}))
