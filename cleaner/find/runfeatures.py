"""Features of the run a line sits in, for the text line scorer (`cleaner/find/finder.py`).

The per-line features (`cleaner/find/linefeatures.py`) see a line, its two neighbours either
side and window means. What decides much of the junk kept after an article, and the list bodies
dropped inside one, is the shape of the run around a line:

- where it sits against the end of the hand-written region, counted in words (a line count says
  little when the lines after the article are one-word links), and how much prose is still below;
- how long the run of lines of its kind (prose or not) is, and how uniform the lengths around
  it are: steps, specs, table rows and verse are runs of lines of one shape, a menu is too, and
  the scorer tells them apart by what surrounds the run;
- the teaser pattern: a short title line followed by a line of summary, again and again, which
  is how related stories and listings print below an article;
- how far the next cue line (comments, related links, author box, share row) lies below.

Everything is computed from the rows `linefeatures.page_features` built, with numpy over the
whole page; none of it depends on blank lines or on lines glued together, so a crawler dump (one
block a line) and a scrape read the same. No site names, no corpus strings.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from cleaner.find.linefeatures import FEATURES

FloatArray = npt.NDArray[np.float64]

RUN_FEATURES: tuple[str, ...] = (
    "words_after_end_log",  # signed log of the words between the region's end and the line (< 0 inside)
    "prose_below_log",  # log(1 + prose words below the line)
    "kept_below_share",  # share of the hand-written finder's kept words below the line
    "run_kind_log",  # log of the length of the run of lines of the line's kind (prose or not)
    "run_kind_words_log",  # log(1 + words in that run)
    "words_spread~5",  # standard deviation of words_log over 5 lines either side
    "shape_change~5",  # mean |change of words_log| between neighbouring lines in the window
    "alike~5",  # share of the window's lines shaped like this one (length and ending)
    "teaser",  # a short title line with a line of summary under it
    "teaser~5",
    "teaser~15",
    "teasers_below~15",  # teaser lines among the next 15
    "prose~31",
    "cue~31",
    "cue_below_words_log",  # log(1 + words down to the next cue line; all words below when none)
)

_COLUMN = {name: j for j, name in enumerate(FEATURES)}
TEASER_TITLE_WORDS = (2, 16)  # a teaser's title: this many words, no closing sentence mark
TEASER_SUMMARY_WORDS = 8  # its summary: at least this many words


def _window_mean(values: FloatArray, k: int) -> FloatArray:
    """Mean of ``values`` over ``k`` lines either side of each line (clipped at the page's ends)."""
    n = len(values)
    sums = np.concatenate(([0.0], np.cumsum(values)))
    index = np.arange(n)
    low, high = np.maximum(0, index - k), np.minimum(n, index + k + 1)
    result: FloatArray = (sums[high] - sums[low]) / (high - low)
    return result


def _signed_log(values: FloatArray) -> FloatArray:
    result: FloatArray = np.sign(values) * np.log1p(np.abs(values))
    return result


def _runs(kind: npt.NDArray[np.bool_], words: FloatArray) -> tuple[FloatArray, FloatArray]:
    """For each line, the length in lines and in words of the maximal run of lines of its kind."""
    n = len(kind)
    change = np.flatnonzero(kind[1:] != kind[:-1]) + 1
    starts = np.concatenate(([0], change))
    ends = np.concatenate((change, [n]))
    lengths = (ends - starts).astype(np.float64)
    wsum = np.concatenate(([0.0], np.cumsum(words)))
    run_words = wsum[ends] - wsum[starts]
    return np.repeat(lengths, ends - starts), np.repeat(run_words, ends - starts)


def run_features(x: FloatArray, words: FloatArray, region: tuple[int, int]) -> FloatArray:
    """The `RUN_FEATURES` of every line, from the page's `linefeatures.FEATURES` rows ``x``, its
    lines' word counts and the hand-written finder's main region (start, end)."""
    n = len(words)
    out = np.zeros((n, len(RUN_FEATURES)))
    if n == 0:
        return out
    c = _COLUMN
    col = {name: j for j, name in enumerate(RUN_FEATURES)}
    index = np.arange(n)
    cum = np.cumsum(words)
    above = cum - words  # words above each line
    below = cum[-1] - cum  # words below each line

    _, end = region
    if end > 0:
        at_end = cum[min(end, n) - 1]
        out[:, col["words_after_end_log"]] = _signed_log(np.where(index >= end, above - at_end, -(at_end - cum)))
    else:
        out[:, col["words_after_end_log"]] = np.log1p(above)
    prose = x[:, c["prose"]] > 0
    prose_words = words * prose
    out[:, col["prose_below_log"]] = np.log1p(prose_words.sum() - np.cumsum(prose_words))
    kept_words = words * (x[:, c["h_keep"]] > 0)
    total_kept = kept_words.sum()
    if total_kept:
        out[:, col["kept_below_share"]] = (total_kept - np.cumsum(kept_words)) / total_kept

    lengths, run_words = _runs(prose, words)
    out[:, col["run_kind_log"]] = np.log(lengths)
    out[:, col["run_kind_words_log"]] = np.log1p(run_words)

    size = x[:, c["words_log"]]
    mean = _window_mean(size, 5)
    out[:, col["words_spread~5"]] = np.sqrt(np.maximum(_window_mean(size * size, 5) - mean * mean, 0.0))
    step = np.abs(np.diff(size, prepend=size[:1]))
    out[:, col["shape_change~5"]] = _window_mean(step, 5)
    # Lines alike: the same length within a third (in log words) and the same ending.
    ends = x[:, c["ends_terminal"]]
    alike = np.zeros(n)
    for offset in range(-5, 6):
        if offset == 0:
            continue
        other = np.roll(index, -offset)
        inside = (index + offset >= 0) & (index + offset < n)
        alike += inside & (np.abs(size - size[other]) < 0.3) & (ends == ends[other])
    span = np.minimum(n - 1, index + 5) - np.maximum(0, index - 5)
    out[:, col["alike~5"]] = alike / np.maximum(span, 1)

    title = ((words >= TEASER_TITLE_WORDS[0]) & (words <= TEASER_TITLE_WORDS[1])
             & (x[:, c["ends_sentence"]] == 0))
    summary = words >= TEASER_SUMMARY_WORDS
    teaser = np.zeros(n)
    teaser[:-1] = title[:-1] & summary[1:]
    out[:, col["teaser"]] = teaser
    out[:, col["teaser~5"]] = _window_mean(teaser, 5)
    out[:, col["teaser~15"]] = _window_mean(teaser, 15)
    tsum = np.concatenate(([0.0], np.cumsum(teaser)))
    out[:, col["teasers_below~15"]] = tsum[np.minimum(n, index + 16)] - tsum[index + 1]
    out[:, col["prose~31"]] = _window_mean(prose.astype(np.float64), 31)
    cues = x[:, c["cue_any"]]
    out[:, col["cue~31"]] = _window_mean(cues, 31)
    # Words down to the next cue line below: scanned from the bottom up.
    next_cue_above = np.where(cues > 0, above, np.inf)
    following = np.minimum.accumulate(next_cue_above[::-1])[::-1]
    following = np.concatenate((following[1:], [np.inf]))
    out[:, col["cue_below_words_log"]] = np.log1p(np.where(np.isfinite(following), following - above - words, below))
    return out
