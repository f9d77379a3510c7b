from storyline.understand import LanguageDetector, detect_language


def test_detects_english_french_spanish_news_sentences():
    detector = LanguageDetector()
    assert detector.detect("North Korea has agreed to send a delegation to next month's Winter Olympics.") == "en"
    assert detector.detect("La Corée du Nord a accepté d'envoyer une délégation aux Jeux olympiques.") == "fr"
    assert detector.detect("Corea del Norte enviará una delegación a los Juegos Olímpicos de Invierno.") == "es"
    assert detector.detect("Nordkorea schickt eine Delegation zu den Olympischen Winterspielen.") == "de"


def test_no_language_for_text_without_words():
    detector = LanguageDetector()
    assert detector.detect("") is None
    assert detector.detect("12:05 — 3/4 …") is None


def test_wrapper_reuses_a_given_detector():
    detector = LanguageDetector()
    assert detect_language("Le président a annoncé des élections anticipées.", detector) == "fr"
    assert "_detector" in vars(detector)  # the model was loaded on that object, not elsewhere
