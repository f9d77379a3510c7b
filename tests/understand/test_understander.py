import datetime as dt

import numpy as np

from storyline.config import UnderstandConfig
from storyline.model import Article
from storyline.understand import Understander

D = dt.date


def test_fills_language_entities_dates_and_embedding(seeds):
    for article in seeds:
        article.lang = None
    Understander().understand(seeds)
    for article in seeds:
        assert article.lang == "en"
        assert {"kim jong un", "moon jae in", "pyongyang"} <= {entity.key for entity in article.entities}
        assert article.embedding is not None and article.embedding.shape == (256,)
    talks = next(a for a in seeds if a.published == D(2018, 1, 9))
    assert talks.date == D(2018, 1, 9)
    assert float(seeds[0].embedding @ seeds[1].embedding) > 0.5  # one storyline


def test_undated_article_gets_its_dateline_first_and_relative_days_from_it():
    article = Article(
        id="fr-1",
        title="Inondations à Paris",
        text="Inondations à Paris\n9 janvier 2018\nLa Seine a débordé samedi et les quais sont fermés depuis hier.",
    )
    Understander(UnderstandConfig(ner=False, embedder="none")).understand([article])
    assert article.lang == "fr"
    assert article.mentioned_dates == [D(2018, 1, 9), D(2018, 1, 6), D(2018, 1, 8)]
    assert article.date == D(2018, 1, 9)
    assert article.embedding is None
    assert {"Paris", "Seine"} <= {entity.name for entity in article.entities}


def test_given_language_is_kept_and_spanish_text_is_read_as_spanish():
    article = Article(
        id="es-1",
        title="Protesta en Damasco",
        text="Decenas de personas protestaron el martes en Damasco contra el presidente Bashar Asad.",
        published=D(2011, 3, 17),
        lang="es",
    )
    Understander(UnderstandConfig(embedder="none")).understand([article])
    assert article.lang == "es"
    assert article.mentioned_dates == [D(2011, 3, 15)]
    assert {"Damasco", "Bashar Asad"} <= {entity.name for entity in article.entities}


def test_empty_batch_and_empty_article():
    understander = Understander(UnderstandConfig(ner=False))
    understander.understand([])
    article = Article(id="empty", title="", text="")
    understander.understand([article])
    assert article.lang is None and article.entities == [] and article.mentioned_dates == []
    assert article.embedding is not None and not np.isnan(article.embedding).any()


def test_worker_processes_read_a_batch_as_this_process_does(demo_records):
    """Large batches are read by worker processes while the caller goes on; they must find exactly the same."""
    def articles():
        return [Article(id=r["id"], title=r["title"], text=r["text"], published=D.fromisoformat(r["published"]))
                for r in demo_records]

    alone = articles()
    Understander(UnderstandConfig(workers=1)).understand(alone)
    parallel = Understander(UnderstandConfig(workers=2, min_parallel=10))
    try:
        together = articles()
        job = parallel.start(together)
        assert len(job.chunks) == 8  # four chunks a worker
        parallel.understand(together[:30], job)  # a job may cover more articles than are filed with it
        parallel.understand(together[30:], job)
    finally:
        parallel.close()
    assert [(a.lang, a.mentioned_dates, a.entities) for a in together] == [
        (a.lang, a.mentioned_dates, a.entities) for a in alone]
    assert all(np.allclose(a.embedding, b.embedding) for a, b in zip(together, alone))
    assert {a.lang for a in alone} == {"en", "fr", "es"} and all(a.entities for a in alone)


def test_articles_come_back_one_by_one_as_their_chunk_is_read(demo_records):
    """``understood`` gives the articles of a chunk the workers have finished without waiting for later chunks, so
    that the engine tracks them while the workers still read the rest."""
    from concurrent.futures import Future
    from itertools import islice

    from storyline.understand.pipeline import ReadingJob

    articles = [Article(id=r["id"], title=r["title"], text=r["text"], published=D.fromisoformat(r["published"]))
                for r in demo_records[:6]]
    understander = Understander(UnderstandConfig(workers=1))
    readings = understander.read(articles)
    first, second = Future(), Future()
    job = ReadingJob([([a.id for a in articles[:3]], first), ([a.id for a in articles[3:5]], second)])
    first.set_result(readings[:3])  # the second chunk is still being read
    given = understander.understood(articles, job)  # the sixth is in no chunk: it is read here
    early = list(islice(given, 3))
    assert [a.id for a in early] == [a.id for a in articles[:3]]
    assert [a.entities for a in early] == [r.entities for r in readings[:3]] and all(a.entities for a in early)
    assert not second.done()
    second.set_result(readings[3:5])
    assert [a.id for a in given] == [a.id for a in articles[3:]]
    assert [a.mentioned_dates for a in articles] == [r.mentioned_dates for r in readings]


def test_workers_inherit_models_loaded_before_they_fork(demo_records):
    """Where workers fork, the models each language needs are loaded once, here, instead of once per worker."""
    import multiprocessing
    from dataclasses import replace

    from storyline.understand.pipeline import _worker_understander

    if multiprocessing.get_start_method() != "fork":
        return  # spawned workers load their own models
    config = UnderstandConfig(workers=2, min_parallel=10)
    articles = [Article(id=r["id"], title=r["title"], text=r["text"]) for r in demo_records]
    understander = Understander(config)
    try:
        understander.start(articles)
        reader = _worker_understander(replace(config, workers=1))  # the one the forked workers use
        assert "embedder" in reader.__dict__ and "_detector" in reader.language_detector.__dict__
    finally:
        understander.close()


def test_what_is_alive_when_workers_fork_is_left_out_of_collections_until_they_stop(demo_records):
    """The loaded models are frozen out of garbage collection before the fork (less work, fewer shared pages
    written); once the workers stop, a long-lived caller's objects frozen with them are collected as usual again."""
    import gc
    import multiprocessing

    if multiprocessing.get_start_method() != "fork":
        return  # nothing is shared with spawned workers
    understander = Understander(UnderstandConfig(workers=2, min_parallel=10))
    try:
        understander.start([Article(id=r["id"], title=r["title"], text=r["text"]) for r in demo_records])
        assert gc.get_freeze_count() > 0
    finally:
        understander.close()
    assert gc.get_freeze_count() == 0


def test_days_are_read_from_the_leading_part_of_a_huge_page():
    text = "Inondations à Paris\nLa Seine a débordé le 9 janvier 2018.\n" + "Texte. " * 40 + "Le 3 mars 2017."
    reader = Understander(UnderstandConfig(ner=False, embedder="none", date_chars=100))
    article = Article(id="fr-2", title="Inondations à Paris", text=text, published=D(2018, 1, 10), lang="fr")
    reader.understand([article])
    assert article.mentioned_dates == [D(2018, 1, 9)]
    whole = Article(id="fr-3", title="Inondations à Paris", text=text, published=D(2018, 1, 10), lang="fr")
    Understander(UnderstandConfig(ner=False, embedder="none")).understand([whole])
    assert whole.mentioned_dates == [D(2018, 1, 9), D(2017, 3, 3)]
