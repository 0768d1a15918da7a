"""The title among the markup's candidates, by a learned ranker.

Every title source (`markup.PRIORITY`) offers a value, and most pages offer several that differ:
the h1 the page shows ('Gym Workouts for Beginners'), the <title> and og:title with the site's
name ('Gym Workouts for Beginners | Site') or with a section's, the JSON-LD headline (sometimes
an SEO title worded apart from the h1). Which one a reader calls the page's title depends on the
page: the h1 on an article, the <title> without the site on a shop's category, the og:title on
a service page whose h1 is a slogan. `title_candidates` turns the values into distinct texts,
each as written and without the site's name (`markup_fields.strip_site`), with features of its
sources, their agreement, its length, its words against the URL's slug and the other
candidates; `pick_title` ranks them with the model that `bench/train_markup_title.py` fits
(`cleaner/models/markup-title.json`, LambdaRank trees as the other metadata models).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cleaner.meta.markup_fields import is_site_name, strip_site
from cleaner.meta.markup_sources import H1, JSON_LD, META, MICRODATA, OPENGRAPH, TITLE_TAG, TWITTER, Candidates
from cleaner.meta.scoring import MODELS, Scorer, load_model
from cleaner.meta.slug import fold as slug_fold
from cleaner.meta.slug import slug_words, url_path

TITLE_SOURCES = (JSON_LD, OPENGRAPH, META, TWITTER, MICRODATA, TITLE_TAG, H1)
_WORD = re.compile(r"[^\W_]+")
_SEPARATOR = re.compile(r"\s(?:[|·•»›~]|::|-{1,2}|–|—|/)\s|:\s")
MAX_CANDIDATES = 24  # distinct texts ranked; a page of cards offers many h1s and item names

TITLE_FEATURES = (
    *(f"from_{source}" for source in TITLE_SOURCES),  # the source says this text as written
    *(f"stripped_{source}" for source in TITLE_SOURCES),  # ... once the site's name is cut off
    "sources", "share_of_sources", "only_stripped", "first_h1", "h1_rank", "h1_count", "article",
    "content_item", "page_item", "path_depth", "site_name",
    "log_words", "chars", "separators", "site_part", "upper_share", "ends_with_dot",
    "slug_words_in_text", "text_words_in_slug", "slug_known",
    "inside_other", "holds_other", "words_shared", "longest", "shortest", "candidates",
)
TITLE_MODEL = MODELS / "markup-title.json"


@dataclass
class _Candidate:
    text: str
    sources: set[str] = field(default_factory=set)
    stripped: set[str] = field(default_factory=set)
    h1_rank: int = -1  # place among the page's h1s, -1 when no h1 says it


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def title_candidates(found: Candidates, sites: Sequence[str],
                     url: str | None) -> list[tuple[str, str, list[float]]]:
    """(text, its source, features in `TITLE_FEATURES` order) of each distinct title candidate
    of the page, in the sources' order (`TITLE_SOURCES`). The source is the h1 when the page's
    h1 shows the text, else the first source that says it."""
    values = [(src, " ".join(raw.split())) for src, raw in found.get("title", ()) if src in TITLE_SOURCES]
    raws = [raw for _, raw in values]
    by_key: dict[str, _Candidate] = {}
    h1s = 0
    for src, raw in sorted(values, key=lambda pair: TITLE_SOURCES.index(pair[0])):
        rank = -1
        if src == H1:
            rank, h1s = h1s, h1s + 1
        cut = strip_site(raw, sites, [other for other in raws if other != raw])
        for text, stripped in ((raw, False), (cut, True)):
            key = _key(text)
            if not key:
                continue
            one = by_key.setdefault(key, _Candidate(text))
            (one.stripped if stripped else one.sources).add(src)
            if rank >= 0 and (one.h1_rank < 0 or rank < one.h1_rank):
                one.h1_rank = rank
    found_sources = {src for src, _ in values}
    article = bool(found.get("kind"))
    items = {value for _, value in found.get("item", ())}
    depth = float(len([part for part in url_path(url).split("/") if part])) if url else -1.0
    slug = slug_words(url)
    chosen = list(by_key.values())[:MAX_CANDIDATES]
    word_sets = [set(_key(one.text).split()) for one in chosen]
    lengths = [len(words) for words in word_sets]
    rows = []
    for n, one in enumerate(chosen):
        words = word_sets[n]
        text = one.text
        said = one.sources | one.stripped
        others = [w for m, w in enumerate(word_sets) if m != n]
        folded = {slug_fold(w) for w in words}
        letters = [c for c in text if c.isalpha()]
        features = [
            *(float(src in one.sources) for src in TITLE_SOURCES),
            *(float(src in one.stripped and src not in one.sources) for src in TITLE_SOURCES),
            float(len(said)), len(said) / max(1, len(found_sources)), float(not one.sources),
            float(one.h1_rank == 0), float(one.h1_rank), float(h1s), float(article),
            float("content" in items), float("page" in items), depth, float(is_site_name(text, sites, loose=False)),
            math.log1p(len(words)), float(len(text)), float(len(_SEPARATOR.findall(text))),
            float(any(is_site_name(part, sites) for part in _SEPARATOR.split(text)[1:] + _SEPARATOR.split(text)[:1])
                  if _SEPARATOR.search(text) else 0.0),
            sum(c.isupper() for c in letters) / max(1, len(letters)), float(text.rstrip().endswith(".")),
            len(folded & slug) / max(1, len(slug)) if slug else -1.0,
            len(folded & slug) / max(1, len(folded)) if slug else -1.0,
            float(bool(slug)),
            float(any(words < other for other in others)), float(any(other < words for other in others if other)),
            max((len(words & other) / max(1, len(words)) for other in others), default=0.0),
            float(lengths[n] == max(lengths)), float(lengths[n] == min(lengths)), float(len(chosen)),
        ]
        # The source named for it: the page's h1 when the h1 shows it, else the first by order.
        rows.append((text, H1 if H1 in one.sources else min(said, key=TITLE_SOURCES.index), features))
    return rows


def pick_title(found: Candidates, sites: Sequence[str], url: str | None,
               model: Scorer | None = None, path: Path = TITLE_MODEL) -> tuple[str, str] | None:
    """(source, text) of the candidate the title model ranks first; None without candidates."""
    candidates = title_candidates(found, sites, url)
    if not candidates:
        return None
    scorer = model or load_model(path, TITLE_FEATURES)
    scores = scorer.scores([features for _, _, features in candidates])
    best = max(range(len(candidates)), key=lambda n: (scores[n], -n))
    text, source, _ = candidates[best]
    return source, text
