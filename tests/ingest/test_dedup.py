"""Exact and near-duplicate detection on wire copies, reprints and look-alike articles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from storyline.ingest import NearDuplicateIndex, content_hash, exact_duplicates, read_inputs
from storyline.ingest.dedup import headline_words, same_headline
from storyline.model import Article

D = dt.date
SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"

WIRE_STORY = (
    "SEOUL, Feb 25 (Reuters) - North Korea is willing to hold talks with the United States, the South Korean "
    "presidential office said on Sunday, after a senior North Korean delegation met President Moon Jae-in ahead "
    "of the closing ceremony of the Winter Olympics in PyeongChang. General Kim Yong-chol, who leads the "
    "delegation, said North Korean leader Kim Jong Un wanted to improve ties with Washington and had ample "
    "intentions of holding talks, according to Moon's office. The meeting took place at an undisclosed location "
    "in PyeongChang, hours before the ceremony at which Ivanka Trump, the daughter and adviser of U.S. President "
    "Donald Trump, led the American delegation. Kim Yong-chol is blamed by Seoul for the 2010 sinking of a South "
    "Korean navy corvette that killed 46 sailors, and his visit drew protests from conservative lawmakers and "
    "families of the victims, who blocked a road near the border on Sunday morning. The United States has said "
    "it is open to talks but that the aim must be the denuclearisation of the Korean peninsula, a goal Pyongyang "
    "has repeatedly rejected as it presses on with its nuclear and missile programmes."
)

# The same wire copy as a regional paper printed it: own dateline, one sentence cut, a few words changed.
REPRINT = (
    "North Korea is willing to hold talks with the United States, the South Korean presidential office said on "
    "Sunday, after a senior North Korean delegation met President Moon Jae-in ahead of the closing ceremony of the "
    "Winter Olympics in PyeongChang. General Kim Yong-chol, who heads the delegation, said North Korean leader Kim "
    "Jong Un wanted to improve ties with Washington and had ample intentions of holding talks, according to Moon's "
    "office. The meeting took place at an undisclosed location in PyeongChang, hours before the ceremony at which "
    "Ivanka Trump, the daughter and adviser of U.S. President Donald Trump, led the American delegation. Kim "
    "Yong-chol is blamed by Seoul for the 2010 sinking of a South Korean navy corvette that killed 46 sailors, and "
    "his visit drew protests from conservative lawmakers and families of the victims, who blocked a road near the "
    "border on Sunday morning. The United States has said it is open to talks but that the aim must be the "
    "denuclearisation of the Korean peninsula, a goal Pyongyang has repeatedly rejected."
)

# Same storyline, same actors, a different happening and a different writer.
SAME_TOPIC = (
    "North and South Korea agreed on Tuesday that the North would send athletes, cheerleaders and a high-level "
    "delegation to the Winter Olympics in PyeongChang, in the first formal talks between the rivals in more than "
    "two years. The talks at the border village of Panmunjom lasted for most of the day. South Korean President "
    "Moon Jae-in has pushed for engagement with Pyongyang, while the United States said it would watch closely "
    "whether the North Korean leader Kim Jong Un was sincere about reducing tension on the Korean peninsula."
)


def test_lightly_edited_reprint_is_found_and_same_topic_article_is_not():
    index = NearDuplicateIndex()
    index.add("reuters-1", index.signature(WIRE_STORY))
    assert index.find(index.signature(REPRINT)) == "reuters-1"
    assert index.find(index.signature(SAME_TOPIC)) is None


def test_signature_ignores_case_and_punctuation_and_is_stable():
    index = NearDuplicateIndex()
    shouted = WIRE_STORY.upper().replace(",", " ").replace(".", " ;")
    assert index.signature(WIRE_STORY).jaccard(index.signature(shouted)) == 1.0
    # a second index with the same settings gives the same signature: stored signatures stay comparable
    assert NearDuplicateIndex().signature(WIRE_STORY) == index.signature(WIRE_STORY)


def test_signatures_survive_bytes_and_rebuild_the_index():
    index = NearDuplicateIndex()
    stored = NearDuplicateIndex.to_bytes(index.signature(WIRE_STORY))
    rebuilt = NearDuplicateIndex()
    rebuilt.add("reuters-1", NearDuplicateIndex.from_bytes(stored))
    assert "reuters-1" in rebuilt and len(rebuilt) == 1
    assert rebuilt.find(rebuilt.signature(REPRINT)) == "reuters-1"
    rebuilt.remove("reuters-1")
    assert rebuilt.find(rebuilt.signature(REPRINT)) is None and len(rebuilt) == 0


def test_a_reprint_within_the_window_is_found_and_one_after_it_is_not():
    index = NearDuplicateIndex(window_days=7)
    index.add("reuters-1", index.signature(WIRE_STORY), D(2018, 2, 25))
    reprint = index.signature(REPRINT)
    assert index.find(reprint, D(2018, 3, 4)) == "reuters-1"
    assert index.find(reprint, D(2018, 2, 20)) == "reuters-1"  # copies may be filed before their original
    assert index.find(reprint, D(2018, 3, 5)) is None
    assert index.find(reprint) == "reuters-1"  # an undated copy is dated by the index's clock


def test_a_copy_of_several_equally_close_originals_is_filed_under_the_earliest_in_every_process():
    """Copies of one wire story that each got past the detector (their own edits) are all as close to a later
    reprint: it points at the earliest, not at whichever the LSH's set of candidates gives last."""
    index = NearDuplicateIndex(window_days=7)
    signature = index.signature(WIRE_STORY)
    for outlet in ("abc", "bbc", "cbc", "dw", "nhk", "rte", "sbs", "zdf"):
        index.add(f"{outlet}-wire", signature, D(2018, 2, 26))
    index.add("yonhap-wire", signature, D(2018, 2, 25))
    index.add("undated-wire", signature)
    assert index.find(index.signature(REPRINT), D(2018, 2, 27)) == "yonhap-wire"
    index = NearDuplicateIndex(window_days=7)
    for outlet in ("zdf", "sbs", "abc", "nhk"):
        index.add(f"{outlet}-wire", signature, D(2018, 2, 26))
    assert index.find(index.signature(REPRINT), D(2018, 2, 27)) == "abc-wire"  # one day: by id


def test_originals_retire_as_the_stream_moves_on_and_undated_ones_follow_the_clock():
    index = NearDuplicateIndex(window_days=7)
    index.add("timeless", index.signature(SAME_TOPIC))  # undated before any date: kept
    index.add("reuters-1", index.signature(WIRE_STORY), D(2018, 2, 25))
    index.add("undated", index.signature("Quake hits Chile"))  # dated by the clock: 25 February
    index.add("next-week", index.signature("Quake hits Peru"), D(2018, 3, 4))
    assert len(index) == 4
    index.add("later", index.signature("Floods in Peru"), D(2018, 3, 5))
    assert len(index) == 3 and all(i in index for i in ("timeless", "next-week", "later"))
    assert index.find(index.signature(REPRINT), D(2018, 2, 26)) is None  # retired, even for an early copy


def test_max_size_evicts_the_oldest_added():
    index = NearDuplicateIndex(max_size=2)
    for n, text in enumerate((WIRE_STORY, SAME_TOPIC, "Quake hits Chile")):
        index.add(f"story-{n}", index.signature(text), D(2018, 2, 25))
    assert "story-0" not in index and len(index) == 2
    assert index.find(index.signature(REPRINT)) is None


# What a crawler extracts from a page behind a paywall: the same notice under every headline of the site.
PAYWALL = (
    "Subscribe to continue reading. You have reached the limit of free articles this month. Subscribers get "
    "unlimited access to local news, sports, obituaries and the e-edition, with home delivery on Sundays. Already a "
    "subscriber? Log in to your account or call our customer service desk, open weekdays from 8 a.m. to 5 p.m."
)


def test_the_same_text_under_another_headline_is_no_copy_but_a_reprint_with_its_site_name_is():
    index = NearDuplicateIndex()
    index.add("mill-fire", index.signature(PAYWALL), headline="Fire destroys Elmbrook flour mill")
    assert index.find(index.signature(PAYWALL), headline="Ashby Vale re-elects Mayor Ana Ruiz") is None
    assert index.find(index.signature(PAYWALL), headline="Fire destroys Elmbrook flour mill - Elmbrook Gazette") \
        == "mill-fire"
    assert index.find(index.signature(PAYWALL)) == "mill-fire"  # a copy without a headline is judged by its text
    assert content_hash(PAYWALL, "Fire destroys Elmbrook flour mill") != content_hash(PAYWALL, "Mayor re-elected")
    assert content_hash(PAYWALL, "Fire destroys  Elmbrook flour MILL") == content_hash(PAYWALL, "fire destroys elmbrook flour mill")


@pytest.mark.parametrize("first, second, same", [
    ("Man shot in Houston", "Man shot in Houston - KHOU 11 News", True),  # a site's name added
    ("4 people shot in southeast Atlanta", "Atlanta News: 4 shot in northwest", False),  # half the words only
    ("Police: Man killed in drive-by", "", True),  # no headline to tell them apart
    ("Quake hits Chile", "Floods in Peru", False),
])
def test_headlines_agree_when_most_words_of_the_shorter_are_in_the_longer(first, second, same):
    assert same_headline(headline_words(first), headline_words(second)) is same


def test_texts_without_words_match_nothing():
    index = NearDuplicateIndex()
    empty = index.signature("— … —")
    index.add("blank", empty)
    assert len(index) == 0 and index.find(empty) is None


def test_short_text_is_one_shingle():
    index = NearDuplicateIndex()
    index.add("brief", index.signature("Quake hits Chile"))
    assert index.find(index.signature("quake hits chile!")) == "brief"
    assert index.find(index.signature("Quake hits Peru")) is None


def test_exact_duplicates_against_store_and_within_batch():
    def article(article_id: str, text: str) -> Article:
        return Article(id=article_id, title="", text=text, content_hash=content_hash(text))

    batch = [
        article("a", WIRE_STORY),
        article("b", "  " + WIRE_STORY.replace(" ", "\n", 3)),
        article("c", SAME_TOPIC),
        article("d", SAME_TOPIC.lower()),
    ]
    assert exact_duplicates(batch, {}) == {"b": "a", "d": "c"}
    assert exact_duplicates(batch, {content_hash(SAME_TOPIC): "stored-1"}) == {
        "b": "a",
        "c": "stored-1",
        "d": "stored-1",
    }


@pytest.mark.skipif(
    not (SHARED / "data" / "ecbplus").is_dir(), reason="shared data not found beside the repository (../shared/data)"
)
def test_near_duplicates_in_ecbplus_are_reports_of_one_event():
    """ECB+ pairs look-alike events; the few near copies it holds must never cross events."""
    articles = [a for a in read_inputs([str(SHARED / "data" / "ecbplus" / "docs.jsonl")]) if isinstance(a, Article)]
    index = NearDuplicateIndex()
    pairs = []
    for article in articles:
        signature = index.signature(article.text)
        original = index.find(signature)
        if original is None:
            index.add(article.id, signature)
        else:
            pairs.append((original, article.id))
    event = {a.id: a.metadata["event"] for a in articles}
    assert 3 <= len(pairs) <= 20
    assert all(event[first] == event[second] for first, second in pairs)


def test_copies_are_compared_by_their_beginning_however_long_the_page():
    tail_a = " ".join(f"alpha{i}" for i in range(3000))
    tail_b = " ".join(f"beta{i}" for i in range(3000))
    capped = NearDuplicateIndex(max_chars=len(WIRE_STORY))
    capped.add("page-a", capped.signature(WIRE_STORY + " " + tail_a))
    assert capped.find(capped.signature(WIRE_STORY + " " + tail_b)) == "page-a"
    whole = NearDuplicateIndex()
    whole.add("page-a", whole.signature(WIRE_STORY + " " + tail_a))
    assert whole.find(whole.signature(WIRE_STORY + " " + tail_b)) is None
