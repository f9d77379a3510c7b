"""Timeline summarization scores: date F1, concat ROUGE-1/2 F and alignment-based ROUGE (AR-1/AR-2) F.

AR follows Martschat & Markert, "Improving ROUGE for Timeline Summarization" (EACL 2017), variant
"align+ m:1" (``align_date_content_costs_many_to_one`` in their tilse toolkit), the AR-1/AR-2 reported by
Martschat & Markert (CoNLL 2018) and later work. Each predicted day is matched to the reference day of
least cost (date distance times content dissimilarity) and vice versa; matched ROUGE counts are weighted by
1 / (1 + days apart). tilse itself needs NLTK, textacy, numba and the ROUGE Perl script and stems in English
only, so this is a reimplementation of its "reimpl" counting: tokens are lower-cased content words with the
language's stop words removed (``storyline.understand.sentences.tokenize``), without stemming.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Mapping, Sequence

from storyline.explain.salience import article_sentences
from storyline.explain.timeline import build_timeline
from storyline.ingest import read_inputs
from storyline.model import Article, InputError
from storyline.understand.sentences import tokenize

Timeline = Mapping[dt.date, Sequence[str]]
"""A timeline to score: each day's summary sentences."""


def f_score(precision: float, recall: float) -> float:
    """Harmonic mean, 0 when both are 0."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def date_scores(predicted: Timeline, reference: Timeline) -> dict[str, float]:
    """Precision, recall and F1 of the predicted days against the reference days."""
    hits = len(set(predicted) & set(reference))
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(reference) if reference else 0.0
    return {"precision": precision, "recall": recall, "f_score": f_score(precision, recall)}


def _tokens(timeline: Timeline, lang: str | None) -> dict[dt.date, list[str]]:
    """Each day's content words, its sentences read as one token sequence (as tilse does)."""
    return {day: [token for sentence in sentences for token in tokenize(sentence, lang)] for day, sentences in timeline.items()}


def _overlap(predicted: list[str], reference: list[str], n: int) -> tuple[int, int, int]:
    """(matched n-grams, predicted n-grams, reference n-grams) of two token sequences."""
    pred = Counter(zip(*(predicted[i:] for i in range(n))))
    ref = Counter(zip(*(reference[i:] for i in range(n))))
    return sum((pred & ref).values()), sum(pred.values()), sum(ref.values())


def _rouge_f(predicted: list[str], reference: list[str], n: int) -> float:
    hits, pred_total, ref_total = _overlap(predicted, reference, n)
    return f_score(hits / pred_total if pred_total else 0.0, hits / ref_total if ref_total else 0.0)


def concat_rouge(predicted: Timeline, reference: Timeline, n: int, lang: str | None = None) -> float:
    """ROUGE-n F of all predicted sentences against all reference sentences, dates ignored."""
    pred, ref = _tokens(predicted, lang), _tokens(reference, lang)
    return _rouge_f([t for day in sorted(pred) for t in pred[day]], [t for day in sorted(ref) for t in ref[day]], n)


def alignment_rouge(predicted: Timeline, reference: Timeline, n: int, lang: str | None = None) -> float:
    """AR-n F: ROUGE-n over days aligned many-to-one by date distance and content, discounted by distance."""
    pred, ref = _tokens(predicted, lang), _tokens(reference, lang)
    pred_days, ref_days = sorted(pred), sorted(ref)
    if not pred_days or not ref_days:
        return 0.0

    def cost(p: dt.date, r: dt.date) -> float:
        date_factor = 1 - 1 / (abs((p - r).days) + 1)
        return date_factor * (1 - _rouge_f(pred[p], ref[r], 1)) if date_factor else 0.0

    precision_hits = precision_total = recall_hits = recall_total = 0.0
    for p in pred_days:
        r = min(ref_days, key=lambda day: cost(p, day))  # first of equal costs, as numpy's argmin
        hits, pred_total, _ = _overlap(pred[p], ref[r], n)
        precision_hits += hits / (abs((p - r).days) + 1)
        precision_total += pred_total
    for r in ref_days:
        p = min(pred_days, key=lambda day: cost(day, r))
        hits, _, ref_total = _overlap(pred[p], ref[r], n)
        recall_hits += hits / (abs((p - r).days) + 1)
        recall_total += ref_total
    precision = precision_hits / precision_total if precision_total else 0.0
    recall = recall_hits / recall_total if recall_total else 0.0
    return f_score(precision, recall)


def timeline_scores(predicted: Timeline, reference: Timeline, lang: str | None = None) -> dict[str, float]:
    """The five figures of the evaluation record: date F1, AR-1/AR-2 F, concat ROUGE-1/2 F."""
    return {
        "date_f1": date_scores(predicted, reference)["f_score"],
        "ar1_f": alignment_rouge(predicted, reference, 1, lang),
        "ar2_f": alignment_rouge(predicted, reference, 2, lang),
        "rouge1_f": concat_rouge(predicted, reference, 1, lang),
        "rouge2_f": concat_rouge(predicted, reference, 2, lang),
    }


def first_sentence_baseline(articles: Sequence[Article], max_dates: int) -> dict[dt.date, list[str]]:
    """The ``max_dates`` days with most articles, each summarised by the first sentence of its earliest article."""
    by_day: dict[dt.date, list[Article]] = {}
    for article in articles:  # input order stands for publication order within a day
        if article.published is not None:
            by_day.setdefault(article.published, []).append(article)
    days = sorted(by_day, key=lambda day: (-len(by_day[day]), day))
    timeline = {}
    for day in days:
        sentences = next((article_sentences(a, include_headline=True) for a in by_day[day] if a.text.strip()), [])
        if sentences:
            timeline[day] = [sentences[0].text]
        if len(timeline) == max_dates:
            break
    return timeline


def read_articles(path: Path) -> list[Article]:
    """Articles of a JSONL file in the shared data schema, read by the ingest stage's reader."""
    articles = []
    for item in read_inputs([str(path)]):
        if isinstance(item, InputError):
            raise ValueError(str(item))
        articles.append(item)
    return articles


def read_reference(path: Path) -> dict[dt.date, list[str]]:
    """A reference timeline: JSONL lines of ``{"date": "YYYY-MM-DD", "sentences": [...]}`` (same days merged)."""
    timeline: dict[dt.date, list[str]] = {}
    with path.open(encoding="utf-8-sig") as lines:  # a byte-order mark (a file saved on Windows) is not line 1's
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                timeline.setdefault(dt.date.fromisoformat(row["date"]), []).extend(row["sentences"])
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number}: not a timeline record ({error})") from error
    return timeline


def evaluate_timeline_dir(path: str | Path) -> dict:
    """Score Storyline's timeline and the first-sentence baseline of a topic folder against its reference.

    The folder holds ``articles.jsonl`` (all one storyline) and ``timeline.jsonl``; both timelines get as
    many days as the reference has.
    """
    folder = Path(path)
    for name in ("articles.jsonl", "timeline.jsonl"):
        if not (folder / name).is_file():
            raise FileNotFoundError(f"{folder}: no {name} (expected articles.jsonl and timeline.jsonl)")
    articles = read_articles(folder / "articles.jsonl")
    reference = read_reference(folder / "timeline.jsonl")
    langs = Counter(article.lang for article in articles if article.lang)
    lang = langs.most_common(1)[0][0] if langs else None
    print(f"{folder}: timeline of {len(articles)} articles, {len(reference)} reference days", file=sys.stderr)
    entries = build_timeline(articles, max_dates=len(reference))
    predicted = {entry.date: [sentence.text for sentence in entry.sentences] for entry in entries}
    scores = timeline_scores(predicted, reference, lang)
    scores["baseline"] = timeline_scores(first_sentence_baseline(articles, len(reference)), reference, lang)
    return scores
