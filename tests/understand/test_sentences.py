from storyline.understand.sentences import split_sentences, stopwords, tokenize


def test_english_abbreviations_and_headline_line():
    text = "North Korea to send team to Olympics\nMr. Moon met Gen. Kim in Seoul on Saturday. The U.S. welcomed it! Talks follow."
    spans = split_sentences(text, "en")
    assert [s.text for s in spans] == [
        "North Korea to send team to Olympics",
        "Mr. Moon met Gen. Kim in Seoul on Saturday.",
        "The U.S. welcomed it!",
        "Talks follow.",
    ]
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_spanish_and_french_abbreviations_and_marks():
    es = split_sentences("El Sr. García llegó a EE.UU. ayer. ¿Por qué? Nadie lo sabe.", "es")
    assert [s.text for s in es] == ["El Sr. García llegó a EE.UU. ayer.", "¿Por qué?", "Nadie lo sabe."]
    fr = split_sentences("M. Dupont a parlé à Mme Leroy. « L'armée est arrivée », dit-il.", "fr")
    assert [s.text for s in fr] == ["M. Dupont a parlé à Mme Leroy.", "« L'armée est arrivée », dit-il."]


def test_empty_and_unknown_language():
    assert split_sentences("", "en") == []
    assert split_sentences(" \n\n ", None) == []
    assert [s.text for s in split_sentences("Ein Satz hier. Noch einer.", "de")] == ["Ein Satz hier.", "Noch einer."]
    assert stopwords("xx") == frozenset() and stopwords(None) == frozenset()


def test_tokenize_drops_stopwords_keeps_acronyms_and_years():
    assert "the" in stopwords("en") and "de" in stopwords("es") and "le" in stopwords("fr")
    assert tokenize("North Korea is willing to hold talks with the US in 2018", "en") == [
        "north", "korea", "willing", "hold", "talks", "us", "2018",
    ]
    assert tokenize("L'armée égyptienne a tué 327 personnes", "fr") == ["armée", "égyptienne", "tué", "personnes"]
    assert tokenize("Los manifestantes marcharon en El Cairo", "es") == ["manifestantes", "marcharon", "cairo"]
