import datetime as dt
import os
import re
import signal
import subprocess
import sys

import numpy as np
import pytest

from storyline.ingest.ordering import SpilledArticles, processing_order, sqlite_scratch_folder
from storyline.model import Article, Entity

D = dt.date


def test_spilled_articles_come_back_whole_undated_first_then_by_date_input_order_among_equals():
    articles = [
        Article(id="flood-2", title="Seine peaks", text="La Seine a atteint son pic.", published=D(2018, 1, 29),
                lang="fr", metadata={"section": "France"}),
        Article(id="undated", title="Talks", text="Officials met at Panmunjom.", origin="talks.txt:1"),
        Article(id="flood-1", title="Seine rises", text="La Seine monte.", published=D(2018, 1, 24),
                entities=[Entity("Seine", "LOC", 2)], embedding=np.ones(4, dtype=np.float32)),
        Article(id="flood-1b", title="Paris braces", text="Paris se prépare.", published=D(2018, 1, 24)),
    ]
    with SpilledArticles() as spilled:
        spilled.add(articles[:2])
        spilled.add(articles[2:])
        back = list(spilled.in_processing_order())
        assert len(spilled) == 4
    assert [a.id for a in back] == ["undated", "flood-1", "flood-1b", "flood-2"]
    assert [a.id for a in back] == [a.id for a in sorted(articles, key=processing_order)]
    assert back[1].entities == articles[2].entities and back[3].metadata == {"section": "France"}
    np.testing.assert_array_equal(back[1].embedding, articles[2].embedding)


KILLED_WHILE_SORTING = """
import os, random, signal
from storyline.ingest.ordering import SpilledArticles
from storyline.model import Article

words = [f"w{n}x{n * 7919 % 104729}" for n in range(20000)]
spilled = SpilledArticles()
for batch in range(4):  # some 10 MB: more than SQLite keeps in memory, so its file is written
    spilled.add([Article(id=f"{batch}-{n}", title="Report", text=" ".join(random.choices(words, k=600)))
                 for n in range(1000)])
links = []
for fd in os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else []:
    try:
        links.append(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        pass
print(sum(link.startswith(os.environ["TMPDIR"]) and link.endswith("(deleted)") for link in links), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="kills a process")
def test_an_ingest_killed_while_sorting_leaves_no_file_behind(tmp_path):
    """SQLite unlinks its temporary database as it opens it: a killed sort of a huge archive fills no folder."""
    child = subprocess.run([sys.executable, "-c", KILLED_WHILE_SORTING], env={**os.environ, "TMPDIR": str(tmp_path)},
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr
    if os.path.isdir("/proc/self/fd"):  # the file was there, open but already unlinked, when the process died
        assert child.stdout.split() == ["1"]
    assert not list(tmp_path.iterdir())


def test_a_full_disk_while_sorting_is_an_error_naming_the_folder_and_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("SQLITE_TMPDIR", str(tmp_path))
    assert sqlite_scratch_folder() == str(tmp_path)
    articles = [Article(id=f"a{n}", title=f"Report {n}", text="Floods in the valley. " * 400) for n in range(50)]
    with SpilledArticles() as spilled:
        spilled._conn.execute("PRAGMA max_page_count = 3")  # the disk fills up after a few pages
        with pytest.raises(OSError, match=f"in {re.escape(str(tmp_path))}.*full.*set TMPDIR"):
            spilled.add(articles)
