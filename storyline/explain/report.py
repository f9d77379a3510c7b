"""Self-contained Markdown and HTML reports of a storyline view; all article text is escaped, no external assets."""

from __future__ import annotations

import html
import re
from typing import Sequence

from storyline.explain.views import EventSummary, SentenceRef, StorylineSummary

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|>~-])")
_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:52em;margin:2em auto;padding:0 1em;line-height:1.45;color:#222}"
    "h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.6em}.meta{color:#666;font-size:.9em}"
    "time{font-weight:600;margin-right:.5em}ul{padding-left:1.2em}.new{color:#0a5}"
)


def escape_markdown(text: str) -> str:
    """Text safe to put in Markdown: HTML escaped, Markdown syntax characters backslash-escaped, one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(" ".join(text.split()), quote=False))


def render_markdown(storyline: StorylineSummary) -> str:
    """The storyline as a Markdown document: title, summary, entities, timeline, then its events."""
    e = escape_markdown
    counts = f"{counted_articles(storyline.article_count, storyline.copy_count)}, {len(storyline.events)} events"
    lines = [f"# {e(storyline.title)}", "", counts, ""]
    if storyline.entities:
        lines += [f"**Key entities:** {', '.join(e(name) for name in storyline.entities)}", ""]
    lines += [" ".join(e(ref.text) for ref in storyline.summary), "", "## Timeline", ""]
    for entry in storyline.timeline:
        lines.append(f"- **{entry.date.isoformat()}** {' '.join(e(ref.text) for ref in entry.sentences)}")
    for event in storyline.events:
        lines += ["", f"## {e(event.headline)}", "", f"_{e(_event_meta(event))}_", ""]
        lines += [f"- {e(ref.text)}" for ref in event.sentences]
        if event.whats_new:
            lines += ["", "**What's new:**", ""] + [f"- {e(ref.text)}" for ref in event.whats_new]
    return "\n".join(lines) + "\n"


def render_html(storyline: StorylineSummary) -> str:
    """The storyline as one HTML page with inline style and no scripts or external links."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8">',
        f"<title>{e(storyline.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{e(storyline.title)}</h1>",
        f'<p class="meta">{counted_articles(storyline.article_count, storyline.copy_count)}, '
        f'{len(storyline.events)} events'
        + (f" · {e(', '.join(storyline.entities))}" if storyline.entities else "")
        + "</p>",
        f"<p>{_html_sentences(storyline.summary)}</p>",
        "<h2>Timeline</h2><ul>",
    ]
    for entry in storyline.timeline:
        day = entry.date.isoformat()
        parts.append(f'<li><time datetime="{day}">{day}</time>{_html_sentences(entry.sentences)}</li>')
    parts.append("</ul>")
    for event in storyline.events:
        parts += [f"<h2>{e(event.headline)}</h2>", f'<p class="meta">{e(_event_meta(event))}</p>', "<ul>"]
        parts += [f"<li>{e(ref.text)}</li>" for ref in event.sentences]
        parts.append("</ul>")
        if event.whats_new:
            parts += ['<p class="new">What\'s new:</p><ul>'] + [f"<li>{e(ref.text)}</li>" for ref in event.whats_new]
            parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _html_sentences(refs: Sequence[SentenceRef]) -> str:
    return " ".join(html.escape(ref.text) for ref in refs)


def _event_meta(event: EventSummary) -> str:
    when = event.date.isoformat() if event.date else "undated"
    sources = f" from {', '.join(event.outlets)}" if event.outlets else ""
    return f"{when} · {counted_articles(event.article_count, event.copy_count)}{sources}"


def counted_articles(originals: int, copies: int) -> str:
    """"1 article", "3 articles", or "3 articles (+12 copies)" when others reprinted them."""
    reprints = f" (+{copies} {'copy' if copies == 1 else 'copies'})" if copies else ""
    return f"{originals} article{'' if originals == 1 else 's'}{reprints}"
