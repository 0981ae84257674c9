"""scikit-learn peer of the few-shot report: the same cached embeddings, the same draws.

Usage: python3 sklearn_peer.py <cache dir> <draws.json>; prints one JSON list on stdout.
LogisticRegression() and LogisticRegressionCV() with scikit-learn's defaults on the raw embeddings.
"""
import json
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV

warnings.filterwarnings("ignore", category=ConvergenceWarning)

cache, draws_path = sys.argv[1], sys.argv[2]
meta = json.load(open(f"{cache}/meta.json"))
d = meta["Dimension"]
pool = np.fromfile(f"{cache}/pool.f32", dtype="<f4").reshape(-1, d)
pool_y = np.fromfile(f"{cache}/pool.labels.i32", dtype="<i4")
test = np.fromfile(f"{cache}/test.f32", dtype="<f4").reshape(-1, d)
test_y = np.fromfile(f"{cache}/test.labels.i32", dtype="<i4")

results = []
for draw in json.load(open(draws_path)):
    idx = np.array(draw["indices"])
    x, y = pool[idx], pool_y[idx]
    row = {"shots": draw["shots"], "draw": draw["draw"]}
    for name, model in (("lr", LogisticRegression()), ("lrcv", LogisticRegressionCV())):
        start = time.perf_counter()
        model.fit(x, y)
        row[name + "_ms"] = 1000 * (time.perf_counter() - start)
        row[name + "_acc"] = float((model.predict(test) == test_y).mean())
    results.append(row)
    print(f"sklearn shots {draw['shots']} draw {draw['draw']}: LR {row['lr_acc']:.4f}, LRCV {row['lrcv_acc']:.4f}", file=sys.stderr)

json.dump(results, sys.stdout)
