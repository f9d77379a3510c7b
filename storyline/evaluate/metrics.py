"""Clustering quality against gold labels: B-cubed precision/recall/F1 and adjusted mutual information."""

from __future__ import annotations

from collections import Counter
from typing import Hashable, Sequence


def bcubed(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> dict[str, float]:
    """Item-averaged B-cubed precision, recall and F1 (Bagga & Baldwin 1998) of two labelings.

    ``gold[i]`` and ``predicted[i]`` are the cluster labels of item ``i``.
    """
    if len(gold) != len(predicted):
        raise ValueError(f"gold has {len(gold)} labels but predicted has {len(predicted)}")
    n = len(gold)
    if n == 0:
        return {"bcubed_precision": 0.0, "bcubed_recall": 0.0, "bcubed_f1": 0.0}
    pair_counts = Counter(zip(gold, predicted))
    gold_sizes = Counter(gold)
    pred_sizes = Counter(predicted)
    # every item in the (gold g, predicted p) cell shares its predicted cluster with `count` correct items
    precision = sum(count * count / pred_sizes[p] for (g, p), count in pair_counts.items()) / n
    recall = sum(count * count / gold_sizes[g] for (g, p), count in pair_counts.items()) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"bcubed_precision": precision, "bcubed_recall": recall, "bcubed_f1": f1}


def clustering_scores(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> dict[str, float]:
    """B-cubed scores plus AMI and the cluster counts, the record every evaluation prints."""
    from sklearn.metrics import adjusted_mutual_info_score

    scores = bcubed(gold, predicted)
    scores["ami"] = float(adjusted_mutual_info_score(list(map(str, gold)), list(map(str, predicted))))
    scores["gold_clusters"] = len(set(gold))
    scores["predicted_clusters"] = len(set(predicted))
    return scores
