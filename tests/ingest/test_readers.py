"""Reading every supported input format, and turning every kind of bad input into an InputError."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.ingest import content_hash, parse_date, read_inputs, strip_html
from storyline.model import Article, InputError

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"

FLOOD_PARAGRAPHS = [
    (
        "The River Elbe rose above nine metres in Dresden on Wednesday, forcing thousands of residents to leave "
        "their homes as authorities scrambled to reinforce flood barriers along the historic old town."
    ),
    (
        "Officials said the water level was expected to peak overnight, surpassing the record set during the floods "
        "of 2002, when large parts of the city were submerged."
    ),
    (
        '"We are doing everything we can to protect the city centre," Mayor Helma Orosz told reporters, adding that '
        "soldiers had been deployed to fill sandbags along the river banks."
    ),
]

NEWS_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Flood waters rise in Dresden | The Daily Planet</title>
<meta property="og:site_name" content="The Daily Planet">
<link rel="canonical" href="https://www.dailyplanet.example.com/world/2013/06/05/dresden-flood">
<meta property="article:published_time" content="2013-06-05T08:30:00+02:00">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/subscribe">Subscribe for $1 a week</a></li></ul></nav></header>
<main><article>
<h1>Flood waters rise in Dresden as Elbe breaks records</h1>
<p class="byline">By Anna Weber, June 5, 2013</p>
{"".join(f"<p>{p}</p>" for p in FLOOD_PARAGRAPHS)}
</article>
<aside><h3>Most read</h3><ul><li><a href="/a">Celebrity chef opens new restaurant</a></li></ul></aside></main>
<footer><p>&copy; 2013 The Daily Planet. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>"""

RSS_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>World News - The Daily Planet</title><link>https://www.dailyplanet.example.com/world</link>
<language>en-gb</language>
<item>
  <title>Elbe floods force thousands from homes in Dresden</title>
  <link>https://www.dailyplanet.example.com/world/2013/06/05/dresden-flood</link>
  <guid isPermaLink="false">dp-2013-06-05-0012</guid>
  <pubDate>Wed, 05 Jun 2013 08:30:00 +0200</pubDate>
  <description>&lt;p&gt;The River Elbe rose above &lt;b&gt;nine metres&lt;/b&gt; in Dresden.&lt;/p&gt;&lt;p&gt;Soldiers filled sandbags.&lt;/p&gt;</description>
</item>
<item>
  <title>Hungary braces as Danube crest nears Budapest</title>
  <link>https://www.dailyplanet.example.com/world/2013/06/08/budapest-danube</link>
  <pubDate>Sat, 08 Jun 2013 17:05:00 GMT</pubDate>
  <description>Thousands of volunteers piled sandbags along the Danube as the river neared a record level.</description>
</item>
</channel></rss>"""

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <title>Le Quotidien - International</title>
  <link href="https://lequotidien.example.fr/"/>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2018-02-26T09:00:00Z</updated>
  <entry>
    <title>La Corée du Nord prête à discuter avec les États-Unis</title>
    <link href="https://lequotidien.example.fr/monde/coree-du-nord-discussions"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <published>2018-02-25T22:15:00+01:00</published>
    <updated>2018-02-26T08:00:00+01:00</updated>
    <content type="html">&lt;p&gt;Le général Kim Yong-chol a rencontré le président Moon Jae-in avant la cérémonie de clôture des Jeux olympiques.&lt;/p&gt;</content>
  </entry>
</feed>"""

JSONL_ROWS = [
    {
        "id": "kor-1",
        "title": "North Korea willing to hold talks with US",
        "published": "2018-02-25",
        "url": "https://www.bbc.co.uk/news/world-asia-43188674",
        "lang": "en",
        "event": "e1",
        "storyline": "s1",
        "text": "North Korea is willing to hold talks with the US, Pyongyang's delegate to the Winter Olympics has said.",
    },
    {
        "id": 42,
        "published": "2018-01-09T10:20:00+09:00",
        "lang": "en-US",
        "text": "North Korea to send team to Olympics in South Korea\nNorth Korea has agreed to send a delegation.",
    },
]


def articles_and_errors(items):
    items = list(items)
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, InputError)]


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join((row if isinstance(row, str) else json.dumps(row)) + "\n" for row in rows), "utf-8")
    return path


def test_plain_text_headline_is_first_non_empty_line(tmp_path):
    path = tmp_path / "dresden.txt"
    path.write_text("\n\nFlood waters rise in Dresden\n\n" + "\n".join(FLOOD_PARAGRAPHS) + "\n", "utf-8")
    (article,) = read_inputs([str(path)])
    assert article.title == "Flood waters rise in Dresden"
    assert article.text.startswith("Flood waters rise in Dresden\n\nThe River Elbe")
    assert article.origin == str(path)
    assert article.id.startswith("h") and len(article.id) == 17
    assert article.published is None and article.source is None


def test_plain_text_headline_is_below_opening_timestamps(tmp_path):
    path = tmp_path / "dresden.txt"
    path.write_text("Posted 06/04/2013 7:21 AM ET\nFlood waters rise in Dresden\n\n" + "\n".join(FLOOD_PARAGRAPHS), "utf-8")
    (article,) = read_inputs([str(path)])
    assert article.title == "Flood waters rise in Dresden"
    assert article.text.startswith("Posted 06/04/2013 7:21 AM ET\nFlood waters")  # the text is kept whole


def test_html_page_main_text_and_metadata_without_boilerplate(tmp_path):
    path = tmp_path / "dresden-flood.html"
    path.write_text(NEWS_PAGE, "utf-8")
    (article,) = read_inputs([str(path)])
    assert article.title == "Flood waters rise in Dresden as Elbe breaks records"
    assert "nine metres in Dresden" in article.text and "sandbags" in article.text
    assert "Subscribe for $1" not in article.text and "All rights reserved" not in article.text
    assert "Celebrity chef" not in article.text
    assert article.published == dt.date(2013, 6, 5)
    assert article.url == "https://www.dailyplanet.example.com/world/2013/06/05/dresden-flood"
    assert article.source == "The Daily Planet"
    assert article.lang == "en"


def test_an_archived_copy_is_credited_to_the_outlet_it_was_archived_from(tmp_path):
    """Crawls such as the gva corpus point at the Wayback Machine; the outlet is the address it archived."""
    archived = [
        "http://web.archive.org/web/20141016201328/http://www.wcti12.com:80/news/onslow-county-father/29114058",
        "https://web.archive.org/web/20160313014311id_/https://patch.com/florida/bradenton/16-year-old-shot",
        "http://web.archive.org/web/20160926212238/fox43.com/2016/08/12/york-man-wanted",
    ]
    rows = [{"id": f"a{n}", "title": "Man shot", "text": "A man was shot on Monday.", "url": url}
            for n, url in enumerate(archived)]
    articles = list(read_inputs([str(write_jsonl(tmp_path / "archived.jsonl", rows))]))
    assert [a.source for a in articles] == ["wcti12.com", "patch.com", "fox43.com"]
    assert [a.url for a in articles] == archived  # the address read stays as given


def test_jsonl_fields_ids_and_metadata(tmp_path):
    path = write_jsonl(tmp_path / "korea.jsonl", JSONL_ROWS)
    first, second = read_inputs([str(path)])
    assert first.id == "kor-1" and first.published == dt.date(2018, 2, 25)
    assert first.source == "bbc.co.uk" and first.origin == f"{path}:1"
    assert first.metadata == {"event": "e1", "storyline": "s1"}
    assert second.id == "42" and second.title == "North Korea to send team to Olympics in South Korea"
    assert second.published == dt.date(2018, 1, 9) and second.lang == "en" and second.origin == f"{path}:2"


def test_csv_and_tsv_with_header(tmp_path):
    csv_path = tmp_path / "wire.csv"
    csv_path.write_text(
        "id,Title,text,published,url,desk\n"
        'ap-1,Quake hits Chile,"A magnitude 8.2 earthquake struck off northern Chile, killing five people.\n'
        'Tsunami warnings were lifted on Wednesday.",2014-04-02,https://apnews.example.com/chile-quake,World\n'
        "ap-2,Markets steady,Asian shares were steady on Thursday after the quake.,02/04/2014,,Business\n",
        "utf-8",
    )
    tsv_path = tmp_path / "wire.tsv"
    tsv_path.write_text(
        "title\ttext\nFires in Valparaíso\tA huge fire swept through the hills of Valparaíso.\n", "utf-8"
    )
    (quake, markets, fire), errors = articles_and_errors(read_inputs([str(csv_path), str(tsv_path)]))
    assert errors == []
    assert quake.id == "ap-1" and quake.title == "Quake hits Chile" and quake.origin == f"{csv_path}:2"
    assert quake.text.endswith("lifted on Wednesday.") and quake.published == dt.date(2014, 4, 2)
    assert quake.source == "apnews.example.com" and quake.metadata == {"desk": "World"}
    assert markets.origin == f"{csv_path}:4" and markets.url is None
    assert fire.title == "Fires in Valparaíso" and fire.origin == f"{tsv_path}:2"


def test_rss_feed_entries(tmp_path):
    path = tmp_path / "world.rss"
    path.write_text(RSS_FEED, "utf-8")
    (elbe, danube), errors = articles_and_errors(read_inputs([str(path)]))
    assert errors == []
    assert elbe.id == "dp-2013-06-05-0012" and elbe.title == "Elbe floods force thousands from homes in Dresden"
    assert elbe.text == "The River Elbe rose above nine metres in Dresden.\nSoldiers filled sandbags."
    assert elbe.published == dt.date(2013, 6, 5) and elbe.source == "World News - The Daily Planet"
    assert elbe.url.endswith("dresden-flood") and elbe.lang == "en" and elbe.origin == f"{path}#1"
    assert danube.published == dt.date(2013, 6, 8) and danube.id.startswith("h")  # no guid: a content hash


def test_atom_feed_sniffed_without_extension(tmp_path):
    path = tmp_path / "international"
    path.write_text(ATOM_FEED, "utf-8")
    (article,) = read_inputs([str(path)])
    assert article.title == "La Corée du Nord prête à discuter avec les États-Unis"
    assert article.text.startswith("Le général Kim Yong-chol a rencontré")
    assert article.published == dt.date(2018, 2, 25)  # the writer's local date, not UTC
    assert article.lang == "fr" and article.source == "Le Quotidien - International"


def write_warc(path: Path, pages: list[tuple[str, str, bytes, str]]) -> None:
    """Write response records (url, content type, payload, WARC date) and a request record, as a crawler would."""
    with open(path, "wb") as stream:
        writer = WARCWriter(stream, gzip=path.name.endswith(".gz"))
        writer.write_record(
            writer.create_warc_record(
                "https://news.example.org/", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
            )
        )
        for url, content_type, payload, date in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(payload),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(record)


def test_warc_gz_responses_become_articles(tmp_path):
    undated_page = (
        "<html><head><title>Volunteers fill sandbags in Meissen</title></head><body><nav><a href='/'>Start</a></nav>"
        "<h1>Volunteers fill sandbags in Meissen</h1><p>Hundreds of volunteers filled sandbags in Meissen as the Elbe "
        "kept rising, while the fire brigade evacuated the lower streets of the old town near the cathedral hill.</p>"
        "<p>The district administration said the crest was expected to reach the town later in the night.</p></body></html>"
    )
    path = tmp_path / "CC-NEWS-20130606.warc.gz"
    write_warc(
        path,
        [
            (
                "https://www.dailyplanet.example.com/a",
                "text/html; charset=utf-8",
                NEWS_PAGE.encode(),
                "2013-06-06T01:00:00Z",
            ),
            (
                "https://www.dailyplanet.example.com/robots.txt",
                "text/plain",
                b"User-agent: *\nDisallow:",
                "2013-06-06T01:00:01Z",
            ),
            ("https://elbe.example.de/b", "text/html", undated_page.encode(), "2013-06-07T03:00:00Z"),
        ],
    )
    (dated, undated), errors = articles_and_errors(read_inputs([str(path)]))
    assert errors == []
    assert dated.url == "https://www.dailyplanet.example.com/a" and dated.published == dt.date(2013, 6, 5)
    assert "nine metres in Dresden" in dated.text and dated.origin.startswith(f"{path}@")
    assert undated.url == "https://elbe.example.de/b" and undated.published == dt.date(2013, 6, 7)


def test_warc_pages_extracted_by_workers_come_in_input_order_with_their_errors(tmp_path):
    """Workers extract pages (trafilatura costs milliseconds a page); what comes out, and in which order, is the
    same as when the reading process extracts them itself, a page without text included."""
    date = "2013-06-06T01:00:00Z"
    pages = [
        (f"https://www.dailyplanet.example.com/{n}", "text/html; charset=utf-8",
         NEWS_PAGE.replace("nine metres", f"nine metres ({n} cm more)").encode(), date)
        for n in range(40)
    ]
    no_text = b"<html><head><title>Loading</title><script>window.location='/app'</script></head><body><div id=app>"
    pages.insert(17, ("https://www.dailyplanet.example.com/app", "text/html", no_text, date))
    path = tmp_path / "CC-NEWS-20130606.warc.gz"
    write_warc(path, pages)
    inline = list(read_inputs([str(path)]))
    parallel = list(read_inputs([str(path)], workers=2))
    articles, errors = articles_and_errors(parallel)
    assert errors == [inline[17]] and "no article text" in errors[0].reason
    assert [a.url for a in articles] == [f"https://www.dailyplanet.example.com/{n}" for n in range(40)]
    assert [(a.id, a.title, a.text) for a in articles] == [(a.id, a.title, a.text) for a in articles_and_errors(inline)[0]]


def _die(page):
    os._exit(1)


def test_a_dying_extraction_worker_is_a_clear_error(tmp_path, monkeypatch):
    import multiprocessing

    from storyline.ingest import ExtractionError, readers

    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the dying extraction is patched in before the workers fork")
    path = tmp_path / "pages.warc.gz"
    write_warc(path, [(f"https://www.dailyplanet.example.com/{n}", "text/html", NEWS_PAGE.encode(),
                       "2013-06-06T01:00:00Z") for n in range(3)])
    monkeypatch.setattr(readers.HTMLPage, "extract", _die)
    with pytest.raises(ExtractionError, match="re-run the same ingest"):
        list(read_inputs([str(path)], workers=2))


def test_gzipped_jsonl_and_folder_recursion(tmp_path):
    (tmp_path / "2018" / "02").mkdir(parents=True)
    with gzip.open(tmp_path / "2018" / "02" / "korea.jsonl.gz", "wt", encoding="utf-8") as stream:
        stream.write(json.dumps(JSONL_ROWS[0]) + "\n")
    (tmp_path / "2018" / "01.txt").write_text("Olympic team agreed\nNorth Korea will send athletes.", "utf-8")
    (tmp_path / ".hidden.txt").write_text("Draft\nnot for publication", "utf-8")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "old.txt").write_text("Stale\nshould be skipped", "utf-8")
    articles, errors = articles_and_errors(read_inputs([str(tmp_path)]))
    assert errors == []
    assert [a.title for a in articles] == ["Olympic team agreed", "North Korea willing to hold talks with US"]
    assert articles[1].origin.endswith("korea.jsonl.gz:1")


@pytest.mark.parametrize(
    ("data", "title"),
    [
        (b'{"id": "a1", "text": "Quake hits Chile\\nFive people died."}\n', "Quake hits Chile"),
        (NEWS_PAGE.encode(), "Flood waters rise in Dresden as Elbe breaks records"),
        (RSS_FEED.encode(), "Elbe floods force thousands from homes in Dresden"),
        (b"Quake hits Chile\nA magnitude 8.2 earthquake struck.", "Quake hits Chile"),
    ],
    ids=["jsonl", "html", "feed", "text"],
)
def test_stdin_is_sniffed(data, title):
    first = next(read_inputs(["-"], stdin=io.BytesIO(data)))
    assert isinstance(first, Article) and first.title == title
    assert first.origin.startswith("<stdin>")


def test_content_hash_ignores_case_and_spacing():
    assert content_hash("North Korea  is willing\nto talk.") == content_hash("north korea is willing to talk.")
    assert content_hash("North Korea is willing to talk.") != content_hash("North Korea is unwilling to talk.")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-02-25", dt.date(2018, 2, 25)),
        ("2018-02-25T23:30:00-05:00", dt.date(2018, 2, 25)),
        ("Sun, 25 Feb 2018 14:00:00 +0000", dt.date(2018, 2, 25)),
        ("February 25, 2018", dt.date(2018, 2, 25)),
        ("2018-02-30", None),
        ("next Olympics", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_strip_html_keeps_blocks_and_drops_scripts():
    html = "<p>Kim met <b>Moon</b> &amp; aides.</p><script>track()</script><ul><li>Talks</li><li>Olympics</li></ul>"
    assert strip_html(html) == "Kim met Moon & aides.\nTalks\nOlympics"


# --- bad input ----------------------------------------------------------------------------------


def test_bad_jsonl_lines_are_errors_and_the_rest_is_kept(tmp_path):
    rows = [
        JSONL_ROWS[0],
        '{"id": "broken", "text": "unterminated',
        '["a", "list"]',
        {"id": "empty", "title": "Nothing here", "text": "   "},
        {"id": "kor-1", "text": "A second article reusing an id already seen."},
        {"id": "bad-text", "text": ["not", "a", "string"]},
        JSONL_ROWS[1],
    ]
    path = write_jsonl(tmp_path / "mixed.jsonl", rows)
    articles, errors = articles_and_errors(read_inputs([str(path)]))
    assert [a.id for a in articles] == ["kor-1", "42"]
    reasons = {e.origin: e.reason for e in errors}
    assert reasons[f"{path}:2"].startswith("invalid JSON: Unterminated string")
    assert reasons[f"{path}:3"] == "a JSON line must be an object, not list"
    assert reasons[f"{path}:4"] == "empty article: no text"
    assert reasons[f"{path}:5"] == f"duplicate id 'kor-1', first read from {path}:1"
    assert "must be a string" in reasons[f"{path}:6"]


def test_a_json_line_with_a_lone_surrogate_is_an_error_and_the_file_is_read_on(tmp_path):
    """JSON may escape half of a UTF-16 pair ("\\ud800"), which no UTF-8 store can hold: it made the whole file
    unreadable ("cannot read (UnicodeEncodeError)"), losing its good lines."""
    path = tmp_path / "surrogate.jsonl"
    path.write_text('{"id": "half", "title": "Fire in Millbrook", "text": "A fire on Monday. \\ud83d and so on"}\n'
                    + json.dumps(JSONL_ROWS[1]) + "\n", encoding="utf-8")
    articles, errors = articles_and_errors(read_inputs([str(path)]))
    assert [a.id for a in articles] == ["42"]
    assert errors == [InputError(f"{path}:1", "field 'text' is not valid Unicode: a lone surrogate ('\\ud83d') at "
                                              "character 18")]


def test_duplicate_id_across_files_names_the_first(tmp_path):
    first = write_jsonl(tmp_path / "a.jsonl", [JSONL_ROWS[0]])
    second = write_jsonl(tmp_path / "b.jsonl", [{**JSONL_ROWS[0], "text": "Another article given the same id."}])
    articles, errors = articles_and_errors(read_inputs([str(first), str(second)]))
    assert len(articles) == 1
    assert errors == [InputError(f"{second}:1", f"duplicate id 'kor-1', first read from {first}:1")]


def test_the_same_item_in_two_feeds_is_read_once_without_error(tmp_path):
    """A story in a site's front-page and world feeds (one guid, one text) was a duplicate-id error: every hourly
    ingest of the two feeds failed, though ingesting them one after the other was no error."""
    front, world = tmp_path / "front.xml", tmp_path / "world.xml"
    front.write_text(RSS_FEED, "utf-8")
    world.write_text(RSS_FEED.replace("<title>Hungary braces", "<title>Hungary readies"), "utf-8")
    articles, errors = articles_and_errors(read_inputs([str(front), str(world)]))
    assert [a.origin for a in articles] == [f"{front}#1", f"{front}#2", f"{world}#2"]
    assert errors == []


def test_oversized_line_is_skipped_without_loading_the_rest(tmp_path):
    path = tmp_path / "big.jsonl"
    huge = json.dumps({"id": "huge", "text": "word " * 30_000})
    path.write_text(huge + "\n" + json.dumps(JSONL_ROWS[0]) + "\n", "utf-8")
    articles, errors = articles_and_errors(read_inputs([str(path)], max_bytes=100_000))
    assert [a.id for a in articles] == ["kor-1"]
    assert errors == [InputError(f"{path}:1", "too large: line over the limit of 100,000 bytes")]


def test_oversized_text_file(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_text("Headline\n" + "All work and no play. " * 10_000, "utf-8")
    (error,) = read_inputs([str(path)], max_bytes=50_000)
    assert error == InputError(str(path), "too large: over the limit of 50,000 bytes")


def test_binary_and_missing_files(tmp_path):
    image = tmp_path / "photo.txt"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    missing = tmp_path / "nowhere.jsonl"
    errors = list(read_inputs([str(image), str(missing)]))
    assert errors == [
        InputError(str(image), "binary file (contains NUL bytes), not text"),
        InputError(str(missing), "no such file or directory"),
    ]


def test_encodings_latin1_detected_and_garbage_rejected(tmp_path):
    latin = tmp_path / "paris.txt"
    latin.write_bytes(
        "Grève à Paris\nLe président français a déclaré mercredi que les négociations étaient terminées à Genève, "
        "après une journée de grève très suivie.".encode("latin-1")
    )
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeffQuake hits Chile\nFive people died.".encode("utf-8"))
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(bytes(range(128, 256)) * 8)
    paris, chile, error = read_inputs([str(latin), str(bom), str(garbage)])
    assert paris.title == "Grève à Paris" and "négociations étaient terminées à Genève" in paris.text
    assert chile.title == "Quake hits Chile"
    assert error.origin == str(garbage) and error.reason.startswith("undecodable text")


def test_html_without_article_text(tmp_path):
    path = tmp_path / "broken.html"
    path.write_text(
        "<html><head><title>Loading…</title><script>window.location='/app'</script></head><body><div id=app>", "utf-8"
    )
    (error,) = read_inputs([str(path)])
    assert error == InputError(str(path), "no article text could be extracted from the HTML")


def test_csv_without_text_column_names_columns(tmp_path):
    path = tmp_path / "headlines.csv"
    path.write_text("id,headline,date\n1,Quake hits Chile,2014-04-02\n", "utf-8")
    (error,) = read_inputs([str(path)])
    assert error == InputError(str(path), "no 'text' column; the columns are: id, headline, date")


def test_csv_row_with_wrong_field_count(tmp_path):
    path = tmp_path / "wire.csv"
    path.write_text("title,text\nQuake hits Chile,Five died.,extra\nMarkets steady,Shares were steady.\n", "utf-8")
    articles, errors = articles_and_errors(read_inputs([str(path)]))
    assert [a.title for a in articles] == ["Markets steady"]
    assert errors == [InputError(f"{path}:2", "row has 3 fields, the header has 2")]


def test_a_csv_quote_never_closed_is_an_error_not_rows_run_together(tmp_path):
    """A lenient CSV reader carries an unclosed quote on into the next rows and files them as one article's text."""
    path = tmp_path / "wire.csv"
    path.write_text('id,title,text\n'
                    'a1,Quake hits Chile,"A magnitude 8.2 quake struck off Chile, officials said."\n'
                    'a2,Markets steady,"Shares were steady on Tuesday\n'
                    'a3,Storm nears Maine,"A storm nears the coast of Maine, forecasters said."\n'
                    'a4,Bridge reopens,The bridge reopened on Friday.\n', "utf-8")
    articles, errors = articles_and_errors(read_inputs([str(path)]))
    assert [a.id for a in articles] == ["a1", "a4"]
    assert errors == [InputError(f"{path}:3", "malformed CSV row: a quote inside a quoted field must be doubled "
                                             "(\"\"), or the field ends there and ',' must follow (',' expected after "
                                             "'\"') (lines 3-4 were not read)")]
    path.write_text('title,text\nQuake hits Chile,Five died.\nMarkets steady,"Shares were steady\nand calm.\n', "utf-8")
    articles, errors = articles_and_errors(read_inputs([str(path)]))
    assert [a.title for a in articles] == ["Quake hits Chile"]
    assert errors == [InputError(f"{path}:3", "malformed CSV row: a quoted field is never closed, so the rest of the "
                                             "file could not be read (lines 3-4 were not read)")]


def test_malformed_feed(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text('<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Oops</title><<<', "utf-8")
    (error,) = read_inputs([str(path)])
    assert error.origin == str(path) and error.reason.startswith("malformed feed")


def test_truncated_gzip_keeps_what_was_read(tmp_path):
    data = gzip.compress(("\n".join(json.dumps(r) for r in JSONL_ROWS) + "\n").encode() * 1)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) - 12])
    _, errors = articles_and_errors(read_inputs([str(path)]))
    assert len(errors) == 1 and errors[0].origin == str(path) and "EOFError" in errors[0].reason


@pytest.mark.skipif(
    not (SHARED / "seeds").is_dir(), reason="shared seeds not found beside the repository (../shared/seeds)"
)
def test_seed_articles():
    seeds = SHARED / "seeds"
    (talks, olympics), errors = articles_and_errors(read_inputs([str(seeds / "seeds.jsonl")]))
    assert errors == []
    assert talks.id == "000_2d17110a08b0926d" and talks.title == "North Korea willing to hold talks with US"
    assert talks.published == dt.date(2018, 2, 25) and olympics.published == dt.date(2018, 1, 9)
    texts = [next(read_inputs([str(seeds / f"{a.id}.txt")])) for a in (talks, olympics)]
    assert [t.title for t in texts] == [talks.title, olympics.title]
    assert "Kim Yong-chol" in texts[0].text and "Panmunjom" in texts[1].text


def test_stdin_pipe_without_peek_streams_jsonl():
    read_end, write_end = os.pipe()
    with open(write_end, "wb") as writer:
        writer.write(("\n".join(json.dumps(row) for row in JSONL_ROWS) + "\n").encode())
    with open(read_end, "rb", buffering=0) as raw_pipe:  # an unbuffered pipe has no peek()
        articles = list(read_inputs(["-"], stdin=raw_pipe))
    assert [(a.id, a.origin) for a in articles] == [("kor-1", "<stdin>:1"), ("42", "<stdin>:2")]


def test_folder_reads_only_article_formats(tmp_path):
    """A saved page's scripts, styles and images and a README beside the articles are no articles; a file with no
    extension is sniffed, and a file named on the command line is read whatever its name."""
    (tmp_path / "page_files").mkdir()
    (tmp_path / "page.html").write_text(NEWS_PAGE, "utf-8")
    (tmp_path / "page_files" / "site.js").write_text("var tracker = window.analytics || [];\n", "utf-8")
    (tmp_path / "page_files" / "style.css").write_text("body { margin: 0 }\n", "utf-8")
    (tmp_path / "page_files" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "README.md").write_text("# Crawl of 2013\nPages saved by hand.", "utf-8")
    (tmp_path / "2d17110a08b0926d").write_text("Quake hits Chile\nA magnitude 8.2 earthquake struck.", "utf-8")
    articles, errors = articles_and_errors(read_inputs([str(tmp_path)]))
    assert errors == []
    assert sorted(a.title for a in articles) == ["Flood waters rise in Dresden as Elbe breaks records", "Quake hits Chile"]
    named, _ = articles_and_errors(read_inputs([str(tmp_path / "README.md")]))
    assert [a.title for a in named] == ["# Crawl of 2013"]


@pytest.mark.parametrize("line, reason", [
    ('{"id": 1' + "0" * 5000 + ', "text": "x"}', "invalid JSON: Exceeds the limit (4300 digits)"),
    ('{"id": "deep", "text": "x", "m": ' + "[" * 100_000 + "]" * 100_000 + "}", "invalid JSON: maximum recursion"),
], ids=["long number", "deep nesting"])
def test_a_json_line_json_cannot_hold_is_an_error_and_the_file_is_read_on(tmp_path, line, reason):
    """A number of over 4,300 digits (ValueError) or deep nesting (RecursionError) ended the whole file with
    "cannot read", naming no line and losing the lines after it."""
    path = write_jsonl(tmp_path / "odd.jsonl", [line, JSONL_ROWS[0]])
    articles, errors = articles_and_errors(read_inputs([str(path)]))
    assert [a.id for a in articles] == ["kor-1"]
    assert [e.origin for e in errors] == [f"{path}:1"] and errors[0].reason.startswith(reason)


def test_a_csv_text_longer_than_pythons_default_field_limit_is_read(tmp_path):
    """Python's csv refuses fields over 131,072 characters by default: a long article was an error ("field larger
    than field limit") although far below the article size limit."""
    path = tmp_path / "long.csv"
    long_text = "The inquiry heard evidence for a further day. " * 4_000
    path.write_text(f'id,title,text\nlong,Inquiry continues,"{long_text}"\nshort,Markets steady,Shares held.\n',
                    "utf-8")
    articles, errors = articles_and_errors(read_inputs([str(path)]))
    assert errors == []
    assert [(a.id, len(a.text)) for a in articles] == [("long", len(long_text.strip())), ("short", 12)]


def test_a_semicolon_separated_csv_is_read(tmp_path):
    """Excel in much of Europe saves CSV with ';' between fields: the header was taken as one column named
    'id;title;text' and the file refused for having no 'text' column."""
    path = tmp_path / "export.csv"
    path.write_text('"id";"title";"text"\nb1;Grève à Paris;"Les syndicats, réunis mardi; la grève continue."\n',
                    "cp1252")
    articles, errors = articles_and_errors(read_inputs([str(path)]))
    assert errors == []
    assert [(a.id, a.title, a.text) for a in articles] == [
        ("b1", "Grève à Paris", "Les syndicats, réunis mardi; la grève continue.")]


@pytest.mark.parametrize("name", ["feed.xml", "crawl.warc", "wire.jsonl", "wire.csv", "page.html", "empty.jsonl.gz"])
def test_an_empty_file_is_an_error_whatever_its_format(tmp_path, name):
    """An empty feed was "cannot read (AttributeError): object has no attribute 'version'", an empty WARC or JSONL
    file was passed over in silence, an empty CSV had "no 'text' column"."""
    path = tmp_path / name
    path.write_bytes(gzip.compress(b"") if name.endswith(".gz") else b"")
    assert list(read_inputs([str(path)])) == [InputError(str(path), "empty: nothing to read")]


def test_a_gzip_inside_a_gzip_is_read(tmp_path):
    """A gzipped file gzipped again (a crawler that compresses whatever it stores) was "cannot read
    (AttributeError): 'int' object has no attribute 'startswith'"."""
    path = tmp_path / "twice.jsonl.gz"
    path.write_bytes(gzip.compress(gzip.compress((json.dumps(JSONL_ROWS[0]) + "\n").encode())))
    assert [a.id for a in read_inputs([str(path)])] == ["kor-1"]


def _two_page_warc(path: Path) -> bytes:
    pages = [(f"https://www.dailyplanet.example.com/{n}", "text/html; charset=utf-8",
              NEWS_PAGE.replace("nine metres", f"nine metres ({n} cm more)").encode(), "2013-06-06T01:00:00Z")
             for n in range(2)]
    write_warc(path, pages)
    return path.read_bytes()


@pytest.mark.parametrize("name", ["cut.warc.gz", "cut.warc"])
def test_a_truncated_warc_keeps_its_whole_records_and_is_an_error(tmp_path, name):
    """A cut download: gzipped, its last records were dropped in silence; uncompressed, the cut record was stored
    with part of its text; either way with no error."""
    path = tmp_path / name
    if name.endswith(".gz"):
        data = _two_page_warc(path)
    else:
        data = gzip.decompress(_two_page_warc(tmp_path / "whole.warc.gz"))
    path.write_bytes(data[: len(data) - 300])
    articles, errors = articles_and_errors(read_inputs([str(path)]))
    assert [a.url for a in articles] == ["https://www.dailyplanet.example.com/0"]
    assert len(errors) == 1 and errors[0].origin.startswith(f"{path}@") and errors[0].reason.startswith("truncated")


def test_a_bad_warc_record_is_named_by_its_offset_in_printable_words(tmp_path):
    """A corrupt record ended the archive with "cannot read (ArchiveLoadFailed)", no offset, and its garbage bytes
    printed to the terminal."""
    path = tmp_path / "bad.warc.gz"
    data = _two_page_warc(path)
    with path.open("rb") as stream:
        records = ArchiveIterator(stream)
        offsets = [records.get_record_offset() for _ in records]  # a request, then the two pages
    first_end = offsets[2]
    path.write_bytes(data[:first_end + 10] + bytes(len(data) - first_end - 10))
    articles, errors = articles_and_errors(read_inputs([str(path)]))
    assert [a.url for a in articles] == ["https://www.dailyplanet.example.com/0"]
    (error,) = errors
    assert error.origin == f"{path}@{first_end}" and error.reason.startswith("invalid WARC record")
    assert error.reason.isprintable() and error.reason.isascii() and len(error.reason) < 200


def test_a_warc_without_html_pages_is_an_error(tmp_path):
    """A WARC of images and feeds gave no article and no word about it."""
    path = tmp_path / "media.warc.gz"
    write_warc(path, [("https://www.dailyplanet.example.com/logo.png", "image/png", b"\x89PNG",
                       "2013-06-06T01:00:00Z")])
    assert list(read_inputs([str(path)])) == [
        InputError(str(path), "no HTML page in the archive (a record of an HTTP 200 response of type text/html)")]


def test_utf16_files_are_read_in_every_format(tmp_path):
    """UTF-16 (Windows' "Unicode", what PowerShell's '>' writes): a JSONL or CSV file with a byte order mark was cut
    into lines of half characters ("undecodable text", "invalid JSON"), a text without one refused as binary, and a
    feed without an extension stored as one article of XML."""
    jsonl = tmp_path / "export.jsonl"
    jsonl.write_bytes("".join(json.dumps(r, ensure_ascii=False) + "\r\n" for r in JSONL_ROWS).encode("utf-16"))
    csv_file = tmp_path / "export.csv"
    csv_file.write_bytes("id,title,text\r\nb1,Grève à Paris,La grève continue.\r\n".encode("utf-16"))
    text = tmp_path / "note.txt"
    text.write_bytes("Grève à Paris\nLes syndicats ont manifesté mardi.".encode("utf-16-le"))
    feed = tmp_path / "feed"
    feed.write_bytes(RSS_FEED.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    articles, errors = articles_and_errors(read_inputs([str(p) for p in (jsonl, csv_file, text, feed)]))
    assert errors == []
    assert [a.title for a in articles] == [
        "North Korea willing to hold talks with US", "North Korea to send team to Olympics in South Korea",
        "Grève à Paris", "Grève à Paris", "Elbe floods force thousands from homes in Dresden",
        "Hungary braces as Danube crest nears Budapest"]


@pytest.mark.parametrize("cut_before, error_at", [
    ("<item>\n  <title>Hungary", ""), ("</description>\n</item>\n</channel>", "#2"),
], ids=["between entries", "inside an entry"])
def test_a_truncated_feed_keeps_its_whole_entries_and_is_an_error(tmp_path, cut_before, error_at):
    """A cut download of a feed lost its last entries in silence, or stored the cut one with part of its text."""
    path = tmp_path / "cut.xml"
    path.write_text(RSS_FEED[: RSS_FEED.index(cut_before)], "utf-8")
    articles, errors = articles_and_errors(read_inputs([str(path)]))
    assert [a.id for a in articles] == ["dp-2013-06-05-0012"]
    assert [e.origin for e in errors] == [f"{path}{error_at}"] and errors[0].reason.startswith("truncated")


def test_a_json_document_is_read_whole(tmp_path):
    """A .json file holding one array of records, one record or pretty-printed JSON gave one "invalid JSON" error a
    line and no article."""
    array = tmp_path / "wire.json"
    array.write_text(json.dumps([*JSONL_ROWS, "not a record"], indent=2), "utf-8")
    single = tmp_path / "one.json"
    single.write_text(json.dumps({**JSONL_ROWS[0], "id": "one"}, indent=4), "utf-8")
    wrapped = tmp_path / "api"  # no extension: sniffed
    wrapped.write_text(json.dumps({"status": "ok", "totalResults": 1, "articles": [{**JSONL_ROWS[1], "id": 7}]},
                                  indent=1), "utf-8")
    articles, errors = articles_and_errors(read_inputs([str(array), str(single), str(wrapped)]))
    assert [(a.id, a.origin) for a in articles] == [
        ("kor-1", f"{array}#1"), ("42", f"{array}#2"), ("one", f"{single}"), ("7", f"{wrapped}#1")]
    assert errors == [InputError(f"{array}#3", "a JSON record must be an object, not str")]
    assert articles[0].metadata == {"event": "e1", "storyline": "s1"}  # the same field rules as a JSON line


def test_json_lines_in_a_json_file_or_sniffed_stay_lines(tmp_path):
    named = write_jsonl(tmp_path / "wire.json", ["", *JSONL_ROWS])
    sniffed = write_jsonl(tmp_path / "wire", ['{"id": "broken", "text": "unterminated', {**JSONL_ROWS[1], "id": 3}])
    pretty = tmp_path / "pretty.jsonl"  # a .jsonl file is read by lines, whatever it holds
    pretty.write_text(json.dumps({**JSONL_ROWS[0], "id": 4}, indent=2), "utf-8")
    articles, errors = articles_and_errors(read_inputs([str(named), str(sniffed), str(pretty)]))
    assert [(a.id, a.origin) for a in articles] == [
        ("kor-1", f"{named}:2"), ("42", f"{named}:3"), ("3", f"{sniffed}:2")]
    assert errors[0].origin == f"{sniffed}:1" and errors[0].reason.startswith("invalid JSON: Unterminated string")
    assert [e.origin for e in errors[1:]] == [f"{pretty}:{n}" for n in range(1, 11)]


@pytest.mark.parametrize("data, reason", [
    (b"[1, 2", "invalid JSON: Expecting ',' delimiter"),
    (b'"just a string"', "a JSON document must be an array of records or a record, not str"),
    (b"[" + b'{"text": "Fire in Millbrook."},' * 2000 + b"{}]", "too large: over the limit of 20,000 bytes"),
], ids=["invalid", "string", "too large"])
def test_a_bad_json_document_is_one_error_naming_the_file(tmp_path, data, reason):
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    (error,) = read_inputs([str(path)], max_bytes=1_000)
    assert error.origin == str(path) and error.reason.startswith(reason)


def test_stdin_json_array_is_sniffed_and_text_in_brackets_is_text():
    data = json.dumps(JSONL_ROWS).encode()
    assert [a.origin for a in read_inputs(["-"], stdin=io.BytesIO(data))] == ["<stdin>#1", "<stdin>#2"]
    (text,) = read_inputs(["-"], stdin=io.BytesIO(b"[Updated] Quake hits Chile\nFive people died."))
    assert text.title == "[Updated] Quake hits Chile"


def test_a_unix_time_is_read_as_its_utc_date(tmp_path):
    """A ``published`` in seconds or milliseconds since 1970 (a number, or digits in a CSV) was no date: the article
    was stored undated with a warning."""
    future = int(dt.datetime.now(dt.timezone.utc).timestamp()) + 3 * 86_400
    rows = [{"id": str(n), "text": f"Fire in Millbrook, report {n}.", "published": published}
            for n, published in enumerate([1370413800, 1370413800000, "1370413800", 1370462399.5, 42, future])]
    jsonl = write_jsonl(tmp_path / "times.jsonl", rows)
    csv_path = tmp_path / "times.csv"
    csv_path.write_text("id,text,published\nc1,Quake hits Chile.,1396396800000\n", "utf-8")
    articles, errors = articles_and_errors(read_inputs([str(jsonl), str(csv_path)]))
    assert errors == []
    june_5 = dt.date(2013, 6, 5)
    assert [a.published for a in articles] == [june_5, june_5, june_5, june_5, None, None, dt.date(2014, 4, 2)]
    assert [a.metadata.get("published_raw") for a in articles[4:6]] == [42, future]  # undated, with a warning
    assert parse_date("20180225") == dt.date(2018, 2, 25) and parse_date(10**400) is None


def test_an_id_or_title_that_is_a_list_or_object_is_an_error_and_a_nul_is_removed(tmp_path):
    """An id or title given as a list or an object was filed as its printed form ("['a', 'b']"), a blank id was an
    id no one could see, and a NUL escaped in JSON ("\\u0000") was stored in the headline and text."""
    rows = [
        {"id": ["a", "b"], "text": "Fire in Millbrook."},
        {"id": {"value": 3}, "text": "Fire in Millbrook."},
        {"id": "t1", "title": ["Fire", "in Millbrook"], "text": "Fire in Millbrook."},
        {"id": "t2", "title": {"en": "Fire"}, "text": "Fire in Millbrook."},
        {"id": "t3", "text": {"body": "Fire in Millbrook."}},
        {"id": "t4", "text": ["Fire in Millbrook.", "Two homes burned."]},
        {"id": "  ", "title": "Quake\u0000 hits Chile", "text": "Five\u0000 people died."},
        {"id": 0, "text": "Zero is an id."},
    ]
    path = write_jsonl(tmp_path / "kinds.jsonl", rows)
    articles, errors = articles_and_errors(read_inputs([str(path)]))
    assert [(e.origin, e.reason) for e in errors] == [
        (f"{path}:1", "field 'id' must be a string, not list"), (f"{path}:2", "field 'id' must be a string, not dict"),
        (f"{path}:3", "field 'title' must be a string, not list"),
        (f"{path}:4", "field 'title' must be a string, not dict"),
        (f"{path}:5", "field 'text' must be a string, not dict"), (f"{path}:6", "field 'text' must be a string, not list"),
    ]
    blank, zero = articles
    assert blank.id.startswith("h") and (blank.title, blank.text) == ("Quake hits Chile", "Five people died.")
    assert zero.id == "0"


def test_a_csv_naming_a_column_twice_is_an_error_naming_the_file(tmp_path):
    """A header with the 'text' column twice (two exports pasted side by side) read the last one in silence."""
    path = tmp_path / "twice.csv"
    path.write_text("id,Text,title,text,\nq1,Quake hits Chile.,Quake,Markets steady.,\n", "utf-8")
    assert list(read_inputs([str(path)])) == [
        InputError(str(path), "the header names a column more than once, so which to read is unclear: 'text'")]


def test_a_symlinked_folder_is_read_once_and_a_link_loop_ends(tmp_path):
    """A folder linked into the input folder (a shared archive) was skipped in silence."""
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "quake.txt").write_text("Quake hits Chile\nFive people died.", "utf-8")
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "fire.txt").write_text("Fire in Millbrook\nTwo homes burned.", "utf-8")
    (inputs / "linked").symlink_to(tmp_path / "archive")
    (inputs / "linked again").symlink_to(tmp_path / "archive")
    (inputs / "loop").symlink_to(inputs)
    articles, errors = articles_and_errors(read_inputs([str(inputs)]))
    assert errors == []
    assert [(a.title, a.origin) for a in articles] == [
        ("Fire in Millbrook", str(inputs / "fire.txt")), ("Quake hits Chile", str(inputs / "linked" / "quake.txt"))]


def test_json_lines_sniffed_on_stdin_are_read_as_they_come():
    """Sniffed JSON lines were read to their end before the first was handed on: an ingest from a pipe left open
    filed nothing."""
    read_end, write_end = os.pipe()
    writer = open(write_end, "wb", buffering=0)
    writer.write((json.dumps(JSONL_ROWS[0]) + "\n" + json.dumps(JSONL_ROWS[1]) + "\n").encode())
    with open(read_end, "rb", buffering=0) as raw_pipe:
        items = read_inputs(["-"], stdin=raw_pipe)
        assert next(items).id == "kor-1"  # the pipe is still open
        writer.close()
        assert [a.id for a in items] == ["42"]
