"""Golden values for src/uncertainty from independent implementations.

AUROC: scipy.stats.mannwhitneyu (U statistic of out vs in, divided by n_in * n_out).
AUPR: average precision computed here directly from its definition over every distinct threshold.
FPR95: brute force over the in-distribution scores. ECE: numpy with right-closed bins.
Temperature: scipy.optimize.minimize_scalar on the NLL.

Run: python3 scripts/goldens/ood_metrics.py > src/uncertainty/fixtures/ood-metrics.json
"""
import json
import sys

import numpy as np
from scipy import optimize, stats

rng = np.random.default_rng(7)


def average_precision(pos, neg):
    scores = np.concatenate([pos, neg])
    labels = np.concatenate([np.ones(len(pos)), np.zeros(len(neg))])
    ap, last_recall = 0.0, 0.0
    for t in np.sort(np.unique(scores))[::-1]:
        sel = scores >= t
        tp = labels[sel].sum()
        precision = tp / sel.sum()
        recall = tp / len(pos)
        ap += (recall - last_recall) * precision
        last_recall = recall
    return float(ap)


def fpr95(s_in, s_out):
    for t in np.sort(np.unique(s_in)):
        if np.mean(s_in <= t) >= 0.95 - 1e-12:
            return float(np.mean(s_out <= t))
    return 1.0


cases = []
for k, (n_in, n_out, shift, decimals) in enumerate([(50, 40, 1.0, 1), (200, 150, 0.5, 2), (31, 17, 2.0, 0), (100, 100, 0.0, 1), (500, 80, 1.5, 3)]):
    s_in = np.round(rng.normal(0, 1, n_in), decimals)
    s_out = np.round(rng.normal(shift, 1, n_out), decimals)
    u = stats.mannwhitneyu(s_out, s_in, alternative="two-sided").statistic
    cases.append({
        "in": s_in.tolist(), "out": s_out.tolist(),
        "auroc": float(u / (n_in * n_out)),
        "aupr_out": average_precision(s_out, s_in),
        "aupr_in": average_precision(-s_in, -s_out),
        "fpr95": fpr95(s_in, s_out),
    })

# Calibration: logits and labels of a 4-class toy problem.
N, K = 300, 4
logits = rng.normal(0, 2, (N, K))
labels = np.array([rng.choice(K, p=np.exp(2 * l) / np.exp(2 * l).sum()) for l in logits])
probs = np.exp(logits - logits.max(1, keepdims=True))
probs /= probs.sum(1, keepdims=True)
conf = probs.max(1)
correct = probs.argmax(1) == labels
bins = 10
ece = 0.0
for b in range(bins):
    lo, hi = b / bins, (b + 1) / bins
    sel = (conf > lo) & (conf <= hi)
    if sel.any():
        ece += sel.mean() * abs(correct[sel].mean() - conf[sel].mean())


def nll(T):
    z = logits / T
    z = z - z.max(1, keepdims=True)
    return float(np.mean(np.log(np.exp(z).sum(1)) - z[np.arange(N), labels]))


res = optimize.minimize_scalar(lambda u: nll(np.exp(u)), bounds=(np.log(0.05), np.log(20)), method="bounded", options={"xatol": 1e-10})
json.dump({
    "source": "scripts/goldens/ood_metrics.py (scipy %s)" % __import__("scipy").__version__,
    "cases": cases,
    "calibration": {"logits": logits.ravel().tolist(), "rows": N, "cols": K, "labels": labels.tolist(), "bins": bins,
                    "ece": float(ece), "nll": nll(1.0), "temperature": float(np.exp(res.x)), "nllAtTemperature": nll(float(np.exp(res.x)))},
}, sys.stdout)
