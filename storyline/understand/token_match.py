"""spaCy's French token-match pattern, compiled in milliseconds instead of seconds.

The French tokenizer keeps hyphenated and elided words whole by matching them against one alternation of
266 anchored patterns, 1.4 MB long, that spells out a class of 3,000 letters 800 times. Python's ``re``
compiles every copy anew: 2.5 s in each process that reads French (spaCy#2679), most of the time a French
corpus of a few hundred articles takes. Most alternatives end in the same run of classes (the letters that
may follow ``anti-``, ``auto-``, ...), and ``(?:h1 T)|(?:h2 T)`` matches what ``(?:h1|h2)T`` matches: factored
so, the pattern holds each class a few times and the tokenizer keeps the same words whole.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")
_CLASS = re.compile(r"\[[^\[\]]*\]")
_CLASS_TAIL = re.compile(r"(?:\[[^\[\]]*\][*+?]?)+\$\Z")  # a run of classes that ends the alternative
_PATCHING = threading.RLock()  # one thread at a time swaps re.compile, so the original is always put back


def factor_shared_tails(pattern: str) -> str | None:
    """``pattern``, an alternation ``(?:a1)|(?:a2)|...`` with optional leading flags, with the alternatives
    that end in the same run of character classes grouped as ``(?:(?:h1)|(?:h2))tail``; ``None`` when the
    pattern is not such an alternation of simple alternatives (no nested ``|`` at their top level)."""
    flags = _FLAGS.match(pattern)
    prefix = flags.group() if flags else ""
    body = pattern[len(prefix) :]
    if not (body.startswith("(?:") and body.endswith(")")):
        return None
    tails: dict[str, list[str]] = {}
    for alternative in body[3:-1].split(")|(?:"):
        if not _is_simple(alternative):
            return None
        tail = _CLASS_TAIL.search(alternative)
        cut = tail.start() if tail and _is_simple(alternative[: tail.start()]) else len(alternative)
        tails.setdefault(alternative[cut:], []).append(alternative[:cut])
    return prefix + "|".join(
        "(?:(?:{}){})".format("|".join(f"(?:{head})" for head in heads), tail) for tail, heads in tails.items()
    )


def _is_simple(regex: str) -> bool:
    """Whether ``regex`` is a whole regex with no alternation at its top level (classes aside): brackets and
    parentheses balance and it does not end in a lone backslash."""
    rest = _CLASS.sub("", regex)
    if "[" in rest or "]" in rest or (len(rest) - len(rest.rstrip("\\"))) % 2:
        return False
    depth = 0
    for char in rest.replace("\\\\", "").replace("\\(", "").replace("\\)", "").replace("\\|", ""):
        depth += (char == "(") - (char == ")")
        if depth < 0 or (char == "|" and depth == 0):
            return False
    return depth == 0


@contextmanager
def long_patterns_factored(min_length: int = 100_000) -> Iterator[None]:
    """While inside, ``re.compile`` factors the shared tails of patterns of ``min_length`` characters or more
    before compiling them; shorter patterns (and every pattern after) compile as ever."""
    with _PATCHING:
        compile_ = re.compile

        def compile_factored(pattern, flags=0):
            if isinstance(pattern, str) and len(pattern) >= min_length:
                pattern = factor_shared_tails(pattern) or pattern
            return compile_(pattern, flags)

        re.compile = compile_factored
        try:
            yield
        finally:
            re.compile = compile_
