#!/usr/bin/python3
"""Writes the reference values the walens monitor tests compare with (reference.json and profile.csv).

Run from this folder with Debian's numpy and scipy (apt-get install python3-numpy python3-scipy):

    /usr/bin/python3 make_reference.py

Every number comes from numpy or scipy, not from walens, so the Go tests check walens against an independent
implementation. The inputs are generated with a fixed seed and stored next to the results.
"""
import json
import math

import numpy as np
from scipy import stats
from scipy.spatial import distance

rng = np.random.default_rng(20261130)
PSI_EPS = 1e-4


def psi(p, q):
    p = np.maximum(np.asarray(p, float), PSI_EPS)
    q = np.maximum(np.asarray(q, float), PSI_EPS)
    return float(np.sum((q - p) * np.log(q / p)))


def numeric_psi(x, y, bins=10):
    # Edges at the baseline's deciles (the smallest value whose CDF reaches each level), ties merged.
    edges = []
    for i in range(1, bins):
        e = float(np.quantile(x, i / bins, method="inverted_cdf"))
        if not edges or e > edges[-1]:
            edges.append(e)
    def props(v):
        v = np.sort(v)
        cdf = [np.searchsorted(v, e, side="right") / len(v) for e in edges]
        out, prev = [], 0.0
        for c in cdf:
            out.append(c - prev)
            prev = c
        out.append(1 - prev)
        return out
    return psi(props(x), props(y))


def numeric_case(name, x, y):
    x = np.asarray(x, float)
    y = np.asarray(y, float)
    n, m = len(x), len(y)
    d = stats.ks_2samp(x, y).statistic
    en = n * m / (n + m)
    return {
        "name": name,
        "baseline": x.tolist(),
        "current": y.tolist(),
        "ks_statistic": float(d),
        "ks_pvalue_asymptotic": float(stats.kstwobign.sf(math.sqrt(en) * d)),
        "ks_pvalue_scipy_auto": float(stats.ks_2samp(x, y).pvalue),
        "robust_distance": max(0.0, float(d) - 1.8 * math.sqrt((n + m) / (n * m))),
        "wasserstein": float(stats.wasserstein_distance(x, y)),
        "baseline_std": float(np.std(x)),
        "psi": numeric_psi(x, y),
    }


def pooled_table(a, b):
    # The same pooling walens does: categories expected fewer than 5 times in either row go into one.
    cats = sorted(set(a) | set(b))
    ta, tb = sum(a.values()), sum(b.values())
    n = ta + tb
    cols, pool = [], [0.0, 0.0]
    for k in cats:
        col = a.get(k, 0) + b.get(k, 0)
        if col * ta / n < 5 or col * tb / n < 5:
            pool[0] += a.get(k, 0)
            pool[1] += b.get(k, 0)
        else:
            cols.append([a.get(k, 0), b.get(k, 0)])
    if pool[0] + pool[1] > 0:
        cols.append(pool)
    return np.array(cols, float).T


def categorical_case(name, a, b):
    cats = sorted(set(a) | set(b))
    p = np.array([a.get(k, 0) for k in cats], float)
    q = np.array([b.get(k, 0) for k in cats], float)
    p /= p.sum()
    q /= q.sum()
    table = pooled_table(a, b)
    chi2, pval, dof, _ = stats.chi2_contingency(table, correction=False)
    return {
        "name": name,
        "baseline": a,
        "current": b,
        "linf": float(np.max(np.abs(p - q))),
        "chi2": float(chi2),
        "chi2_dof": int(dof),
        "chi2_pvalue": float(pval),
        "jensen_shannon": float(distance.jensenshannon(p, q)),
        "psi": psi(p, q),
    }


def counts(values):
    out = {}
    for v in values:
        out[str(v)] = out.get(str(v), 0) + 1
    return out


numeric = [
    numeric_case("same normal", rng.normal(0, 1, 800), rng.normal(0, 1, 600)),
    numeric_case("shifted normal", rng.normal(0, 1, 1500), rng.normal(0.3, 1, 1200)),
    numeric_case("scaled lognormal", rng.lognormal(1, 0.5, 1000), rng.lognormal(1, 0.8, 900)),
    numeric_case("integers with ties", rng.integers(0, 20, 700), rng.integers(2, 22, 500)),
    numeric_case("small samples", rng.normal(5, 2, 30), rng.normal(6, 2, 25)),
]

letters = list("abcdef")
categorical = [
    categorical_case("same", counts(rng.choice(letters, 900, p=[.3, .25, .2, .15, .07, .03])),
                     counts(rng.choice(letters, 700, p=[.3, .25, .2, .15, .07, .03]))),
    categorical_case("shifted", counts(rng.choice(letters, 1200, p=[.3, .25, .2, .15, .07, .03])),
                     counts(rng.choice(letters, 1000, p=[.15, .2, .2, .25, .1, .1]))),
    categorical_case("new and rare categories", {"a": 500, "b": 300, "c": 3, "d": 2},
                     {"a": 380, "b": 290, "c": 1, "e": 40, "f": 2}),
]

# Chi-squared and Kolmogorov survival functions at a few points.
special = {
    "chi2_sf": [{"x": x, "dof": k, "sf": float(stats.chi2.sf(x, k))} for x, k in [(0.5, 1), (3.84, 1), (10, 4), (30, 12), (200, 150)]],
    "kolmogorov_sf": [{"x": x, "sf": float(stats.kstwobign.sf(x))} for x in [0.2, 0.5, 0.8, 1.0, 1.36, 2.0, 3.0]],
}

# A dataset for the profile: numbers of several shapes, a column with missing values, a categorical column.
rows = 5000
a = rng.normal(100, 15, rows)
b = rng.integers(-50, 50, rows)
c = rng.exponential(2.0, rows)
c_missing = rng.random(rows) < 0.1
cat = rng.choice(["red", "green", "blue", "amber"], rows, p=[.4, .3, .2, .1])
with open("profile.csv", "w") as f:
    f.write("a,b,c,colour\n")
    for i in range(rows):
        cv = "" if c_missing[i] else repr(float(c[i]))
        f.write(f"{float(a[i])!r},{int(b[i])},{cv},{cat[i]}\n")


def describe(v):
    v = np.asarray(v, float)
    return {
        "count": int(len(v)),
        "mean": float(np.mean(v)),
        "sum": float(np.sum(v)),
        "std": float(np.std(v)),
        "min": float(np.min(v)),
        "max": float(np.max(v)),
        "quantiles": {str(q): float(np.quantile(v, q, method="inverted_cdf")) for q in [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]},
        "histogram": np.histogram(v, bins=10, range=(float(np.min(v)), float(np.max(v))))[0].tolist(),
    }


profile = {
    "rows": rows,
    "a": describe(a),
    "b": describe(b),
    "c": describe(c[~c_missing]),
    "colour": counts(cat),
}

# Model-quality metrics on generated labels and scores.
y = rng.integers(0, 2, 400)
score = np.clip(0.35 * y + rng.normal(0.35, 0.2, 400), 0, 1)
pred = (score >= 0.5).astype(int)
tp = int(np.sum((pred == 1) & (y == 1)))
fp = int(np.sum((pred == 1) & (y == 0)))
fn = int(np.sum((pred == 0) & (y == 1)))
precision = tp / (tp + fp)
recall = tp / (tp + fn)
u = stats.mannwhitneyu(score[y == 1], score[y == 0]).statistic
binary = {
    "label": y.tolist(), "score": score.tolist(),
    "accuracy": float(np.mean(pred == y)), "precision": precision, "recall": recall,
    "f1": 2 * precision * recall / (precision + recall),
    "auc": float(u / (np.sum(y == 1) * np.sum(y == 0))),
}

classes = ["cat", "dog", "bird"]
yt = rng.choice(classes, 300)
yp = np.where(rng.random(300) < 0.7, yt, rng.choice(classes, 300))
per = []
for k in classes:
    tpk = np.sum((yp == k) & (yt == k))
    pk = tpk / max(1, np.sum(yp == k))
    rk = tpk / max(1, np.sum(yt == k))
    per.append((pk, rk, 0 if pk + rk == 0 else 2 * pk * rk / (pk + rk), np.sum(yt == k)))
weights = np.array([p[3] for p in per], float) / len(yt)
multi = {
    "label": yt.tolist(), "prediction": yp.tolist(),
    "accuracy": float(np.mean(yt == yp)),
    "precision_macro": float(np.mean([p[0] for p in per])),
    "recall_macro": float(np.mean([p[1] for p in per])),
    "f1_macro": float(np.mean([p[2] for p in per])),
    "f1_weighted": float(np.sum(weights * np.array([p[2] for p in per]))),
}

yr = rng.normal(10, 3, 250)
pr = yr + rng.normal(0, 1.5, 250)
regression = {
    "label": yr.tolist(), "prediction": pr.tolist(),
    "mae": float(np.mean(np.abs(yr - pr))),
    "mse": float(np.mean((yr - pr) ** 2)),
    "rmse": float(np.sqrt(np.mean((yr - pr) ** 2))),
    "r2": float(1 - np.sum((yr - pr) ** 2) / np.sum((yr - np.mean(yr)) ** 2)),
}

with open("reference.json", "w") as f:
    json.dump({
        "generator": "make_reference.py with numpy %s and scipy %s" % (np.__version__, __import__("scipy").__version__),
        "numeric": numeric, "categorical": categorical, "special": special, "profile": profile,
        "binary": binary, "multiclass": multi, "regression": regression,
    }, f, indent=1)
    f.write("\n")
