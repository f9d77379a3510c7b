import datetime as dt
import re

import numpy as np
import pytest

from storyline.ingest.ordering import SpilledArticles, processing_order
from storyline.model import Article, Entity

D = dt.date


def test_spilled_articles_come_back_whole_undated_first_then_by_date_input_order_among_equals(tmp_path):
    articles = [
        Article(id="flood-2", title="Seine peaks", text="La Seine a atteint son pic.", published=D(2018, 1, 29),
                lang="fr", metadata={"section": "France"}),
        Article(id="undated", title="Talks", text="Officials met at Panmunjom.", origin="talks.txt:1"),
        Article(id="flood-1", title="Seine rises", text="La Seine monte.", published=D(2018, 1, 24),
                entities=[Entity("Seine", "LOC", 2)], embedding=np.ones(4, dtype=np.float32)),
        Article(id="flood-1b", title="Paris braces", text="Paris se prépare.", published=D(2018, 1, 24)),
    ]
    with SpilledArticles(directory=str(tmp_path)) as spilled:
        spilled.add(articles[:2])
        spilled.add(articles[2:])
        back = list(spilled.in_processing_order())
        assert len(spilled) == 4
    assert [a.id for a in back] == ["undated", "flood-1", "flood-1b", "flood-2"]
    assert [a.id for a in back] == [a.id for a in sorted(articles, key=processing_order)]
    assert back[1].entities == articles[2].entities and back[3].metadata == {"section": "France"}
    np.testing.assert_array_equal(back[1].embedding, articles[2].embedding)
    assert not list(tmp_path.iterdir())  # the temporary file is removed


def test_a_full_disk_while_sorting_is_an_error_naming_the_folder_and_what_to_do(tmp_path):
    articles = [Article(id=f"a{n}", title=f"Report {n}", text="Floods in the valley. " * 400) for n in range(50)]
    with SpilledArticles(directory=str(tmp_path)) as spilled:
        spilled._conn.execute("PRAGMA max_page_count = 3")  # the disk fills up after a few pages
        with pytest.raises(OSError, match=f"in {re.escape(str(tmp_path))}.*full.*set TMPDIR"):
            spilled.add(articles)
