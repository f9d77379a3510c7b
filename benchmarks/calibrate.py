"""Fit the same-event model's weights on the first halves of ECB+ and gva and score the held-out halves.

    python -m benchmarks.calibrate [--data-dir ../shared/data] [--hold N]

Prints the fitted weights (the tuple for ``TrackConfig.same_event_weights``), then, for each
held-out half, the pair ROC AUC and the B-cubed F1 of event clustering with the fitted and with
the current default weights. ``--hold N`` keeps the default weights of the first N signals and the
bias and fits only the others, which is how signals added later were weighted. See docs/tuning.md.
"""

from __future__ import annotations

import argparse
import copy
import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from storyline.config import TrackConfig
from storyline.engine import processing_order
from storyline.evaluate.metrics import bcubed
from storyline.ingest import read_inputs
from storyline.model import Article
from storyline.track.features import FeatureExtractor
from storyline.track.scoring import pair_signal_rows
from storyline.track.tracker import Tracker
from storyline.understand import Understander

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data"
PAIR_HORIZON = 150  # each article is paired with this many articles before it in the stream
WINDOW_DAYS = 30


def load(path: Path) -> list[Article]:
    """Understood articles of a labelled file, in processing order, with the gold event in metadata."""
    articles = sorted((a for a in read_inputs([str(path)]) if isinstance(a, Article)), key=processing_order)
    Understander().understand(articles)
    return articles


def pairs(articles: list[Article]) -> tuple[np.ndarray, np.ndarray]:
    """Signals and same-event labels of each article with its recent predecessors."""
    extractor = FeatureExtractor()
    features = [extractor.extract(a) for a in articles]
    rows, labels = [], []
    for i, a in enumerate(articles):
        recent = [j for j in range(max(0, i - PAIR_HORIZON), i)
                  if not (a.date and articles[j].date and abs((a.date - articles[j].date).days) > WINDOW_DAYS)]
        rows += pair_signal_rows(features[i], [features[j] for j in recent]).T.tolist()
        labels += [a.metadata.get("event") == articles[j].metadata.get("event") for j in recent]
    return np.array(rows), np.array(labels)


def event_f1(articles: list[Article], weights) -> float:
    config = replace(TrackConfig(), same_event_weights=tuple(weights))
    stream = [copy.copy(a) for a in articles]
    Tracker(config).track(stream)
    return bcubed([a.metadata.get("event") for a in stream], [a.event_id for a in stream])["bcubed_f1"]


def halves(data_dir: Path) -> dict[str, tuple[list[Article], list[Article]]]:
    """ECB+ split by topic (1-12 / 13-25), gva by time (earlier / later half)."""
    ecb = load(data_dir / "ecbplus" / "docs.jsonl")
    gva = load(data_dir / "gva" / "docs.jsonl")
    topic = {a.id: int(a.metadata.get("topic", 0)) for a in ecb}
    dated = sorted(gva, key=lambda a: a.published)
    return {
        "ecbplus": ([a for a in ecb if topic[a.id] <= 12], [a for a in ecb if topic[a.id] > 12]),
        "gva": (dated[: len(dated) // 2], dated[len(dated) // 2 :]),
    }


def fit_weights(X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray, hold: int = 0,
                C: float = 10.0) -> list[float]:
    """L2-regularised logistic regression (scikit-learn's objective), as the weight tuple with the bias last.

    With ``hold`` > 0 the first ``hold`` weights and the bias stay at their defaults and only the
    rest are fitted: a new signal is weighed against the shipped model instead of re-balancing it.
    """
    if not hold:
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=C, max_iter=3000).fit(X, y, sample_weight=sample_weight)
        return [round(float(w), 1) for w in model.coef_[0]] + [round(float(model.intercept_[0]), 1)]
    from scipy.optimize import minimize

    default = TrackConfig().same_event_weights
    offset = X[:, :hold] @ np.array(default[:hold]) + default[-1]
    free, target = X[:, hold:], y.astype(float)

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        z = free @ w + offset
        residual = sample_weight * (1.0 / (1.0 + np.exp(-z)) - target)
        value = C * float(sample_weight @ (np.logaddexp(0.0, z) - target * z)) + 0.5 * float(w @ w)
        return value, C * (free.T @ residual) + w

    fitted = minimize(loss, np.zeros(free.shape[1]), jac=True, method="L-BFGS-B").x
    return list(default[:hold]) + [round(float(w), 1) for w in fitted] + [default[-1]]


def main(argv: list[str] | None = None) -> None:
    from sklearn.metrics import roc_auc_score

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--hold", type=int, default=0, metavar="N",
                        help="keep the default weights of the first N signals and the bias; fit the others")
    args = parser.parse_args(argv)
    split = halves(args.data_dir)
    fitted = [pairs(sorted(fit, key=processing_order)) for fit, _ in split.values()]
    X = np.vstack([x for x, _ in fitted])
    y = np.concatenate([labels for _, labels in fitted])
    balance = np.concatenate([np.full(len(labels), len(y) / (len(fitted) * len(labels))) for _, labels in fitted])
    weights = fit_weights(X, y, balance, args.hold)
    report = {"fitted_weights": weights, "default_weights": list(TrackConfig().same_event_weights), "held_out": {}}
    for name, (_, test) in split.items():
        test = sorted(test, key=processing_order)
        Xt, yt = pairs(test)
        scores = Xt @ np.array(weights[:-1]) + weights[-1]
        report["held_out"][name] = {
            "pairs": int(len(yt)), "pair_auc": round(float(roc_auc_score(yt, scores)), 4),
            "bcubed_f1_fitted": round(event_f1(test, weights), 4),
            "bcubed_f1_default": round(event_f1(test, TrackConfig().same_event_weights), 4),
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
