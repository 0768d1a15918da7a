"""Regular expressions for rules: RE2 (linear time) where the pattern allows it, else a time budget.

Rule authors write Python-syntax patterns and expect Python semantics, where ``\\w``, ``\\d`` and
``\\s`` are Unicode-aware. RE2's are ASCII-only, so those escapes are rewritten into the Unicode
classes RE2 understands before compiling. Patterns RE2 cannot run (look-arounds, back-references,
``\\b``) fall back to the ``regex`` module with a per-call timeout, so a catastrophic pattern costs
one page an error naming the rule instead of hanging a whole run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Protocol

import re2
import regex

from cleaner.errors import RuleTimeout

DEFAULT_TIMEOUT = 0.5  # seconds one slow-path regex may spend on one line
# Memory for the prefilter's automaton. RE2's default (8 MB) is too small for a rule set run over
# real pages: its lazily built DFA keeps filling up and starting over, several times slower (and
# RE2::Set has no slower fallback: a DFA that gives up reports no match at all). A cap, not an
# allocation. With counts dropped from the prefilter (`to_re2`), today's built-in rules settle
# at about 45 MB over the 1,497 corpus pages read twice (0.8 microseconds a line); with their
# counts they outgrew 128 MB and kept starting over (7 microseconds a line).
_PREFILTER_MAX_MEM = 128 << 20
_PREFILTER_MEMO = 20_000  # lines whose answers the prefilter keeps (a few pages' worth)

# Python semantics of the class escapes, in RE2 syntax: (outside a class, inside a class).
_SPACE = r"\t\n\v\f\r \x{1c}-\x{1f}\x{85}\p{Z}"
_ESCAPES = {
    "w": (r"[\pL\pN_]", r"\pL\pN_"),
    "W": (r"[^\pL\pN_]", None),
    "d": (r"\p{Nd}", r"\p{Nd}"),
    "D": (r"\P{Nd}", r"\P{Nd}"),
    "s": (f"[{_SPACE}]", _SPACE),
    "S": (f"[^{_SPACE}]", None),
}
# A prefilter's letters and digits: the ASCII ones and every character past ASCII. RE2 builds
# Unicode's letter tables into UTF-8 automata that make the prefilter's set four times slower to
# compile (0.18 s against 0.04 s for the built-in rules, paid by every process before its first
# page), while the text the rules read is mostly ASCII, and its other characters mostly letters.
_BROAD = r"\x{80}-\x{10FFFF}"
_BROAD_CLASSES = {
    "L": "A-Za-z", "Lu": "A-Z", "Ll": "a-z", "Lt": "A-Z", "Lm": "", "Lo": "",
    "N": "0-9", "Nd": "0-9",
}
_BROAD_ESCAPES = {"w": f"A-Za-z0-9_{_BROAD}", "d": f"0-9{_BROAD}"}
_PROPERTY = regex.compile(r"\\p(?:\{(?P<name>\w+)\}|(?P<letter>\w))")


def _quiet_options() -> Any:
    """RE2 options that keep RE2 from logging parse errors to stderr (we report them ourselves)."""
    options = re2.Options()
    options.log_errors = False
    return options


class Match(Protocol):
    def group(self, *args: int | str) -> Any: ...
    def groupdict(self) -> dict[str, str | None]: ...
    def span(self, group: int | str = 0) -> tuple[int, int]: ...


def to_re2(pattern: str, *, loose: bool = False) -> str | None:
    """Rewrite Python class escapes for RE2; None when the pattern needs the slow engine.

    ``loose`` drops word boundaries (``\\b``, ``\\B``) and look-arounds instead, reads a
    back-reference as any text, a counted repetition as an uncounted one (``x{1,80}`` as
    ``x+``) and a letter or digit class (``\\w``, ``\\d``, ``\\p{Lu}``…) as its ASCII part plus
    every character past ASCII, for a pattern that matches wherever the original does, and in
    more places: dropping a condition only lets more through. (Counts are what make a
    prefilter's automaton big: RE2 spells ``x{1,80}`` as eighty copies of ``x``, and the states
    of a set of such patterns multiply; Unicode's letter tables are what make it slow to build.)
    A class is never broadened inside ``[^…]``, where broader would mean narrower.
    """
    out: list[str] = []
    in_class = negated = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if loose and char == "\\" and not (in_class and negated):
            broad = _broadened(pattern, i)
            if broad is not None:
                text, i = broad
                out.append(text if in_class else f"[{text}]")
                continue
        if loose and not in_class and char == "(" and pattern.startswith(_LOOKAROUNDS, i):
            out.append("(?:)")  # an empty group, should a quantifier follow
            i = _group_end(pattern, i)
            continue
        if loose and not in_class and pattern.startswith("(?P=", i):
            out.append("(?:.*)")
            i = pattern.index(")", i) + 1
            continue
        if char == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if loose and nxt in "bB" and not in_class:
                out.append("(?:)")  # an empty group, should a quantifier follow
                i += 2
                continue
            if loose and nxt in "123456789" and not in_class:
                out.append("(?:.*)")
                i += 2
                while i < len(pattern) and pattern[i].isdigit():  # '\\12' is group twelve
                    i += 1
                continue
            if nxt in "bBZ" or nxt in "123456789":  # RE2 would read '\\10' as an octal escape
                return None
            if nxt in _ESCAPES:
                replacement = _ESCAPES[nxt][1 if in_class else 0]
                if replacement is None:
                    return None
                out.append(replacement)
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "{" and not in_class:
            count = _COUNT.match(pattern, i)
            if count is not None and (count["least"] or count["rest"]):  # '{,}' is '*' to Python
                least = int(count["least"] or 0)
                if loose:
                    out.append("+" if least else "*")
                else:  # Python reads '{,3}' as '{0,3}', RE2 as the characters themselves
                    out.append(f"{{{least}{count['rest'] or ''}}}")
                i = count.end()
                continue
        if char == "[" and not in_class:
            in_class, negated = True, False
            out.append(char)
            # A ']' right after '[' or '[^' is a literal member, not the end of the class.
            j = i + 1
            if j < len(pattern) and pattern[j] == "^":
                out.append("^")
                negated = True
                j += 1
            if j < len(pattern) and pattern[j] == "]":
                out.append("\\]")
                j += 1
            i = j
            continue
        if char == "]" and in_class:
            in_class = False
        out.append(char)
        i += 1
    return "".join(out)


def _broadened(pattern: str, at: int) -> tuple[str, int] | None:
    """The broad class members (no brackets) for the letter or digit escape at ``at`` and the
    index past it, or None when the escape there is another."""
    letter = pattern[at + 1 : at + 2]
    if letter in _BROAD_ESCAPES:
        return _BROAD_ESCAPES[letter], at + 2
    found = _PROPERTY.match(pattern, at)
    if found is None:
        return None
    ascii_part = _BROAD_CLASSES.get(found["name"] or found["letter"])
    if ascii_part is None:
        return None
    return ascii_part + _BROAD, found.end()


_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")
_COUNT = regex.compile(r"\{(?P<least>\d*)(?P<rest>,(?P<most>\d*))?\}")


def _group_end(pattern: str, start: int) -> int:
    """The index just past the group that opens at ``start``, escapes and classes skipped."""
    depth, in_class, i = 0, False, start
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            # A ']' right after '[' or '[^' is a literal member.
            if pattern.startswith("]", i + 1) or pattern.startswith("^]", i + 1):
                i += 2 if pattern[i + 1] == "]" else 3
                continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(pattern)


MAX_UNROLLED = 100_000  # atoms counted repeats may add to a pattern (see unrolled_size)


def unrolled_size(pattern: str) -> int:
    """About how many atoms ``pattern`` has with its counted repeats unrolled to their least
    count (``a{1000}``: 1000; nested counts multiply), as the regex module compiles them: it
    spends a minute on ``a{65000000}``. Maximum counts cost nothing (``a{0,1000000}``)."""
    frames = [0]  # atoms in each open group, unrolled
    last = 0  # size of the atom just before the current position
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            last = 1
            frames[-1] += 1
            i += 2
            continue
        if char == "[":
            end = i + 1
            if pattern.startswith("^", end):
                end += 1
            if pattern.startswith("]", end):
                end += 1
            while end < len(pattern) and pattern[end] != "]":
                end += 2 if pattern[end] == "\\" else 1
            last = 1
            frames[-1] += 1
            i = end + 1
            continue
        if char == "(":
            frames.append(0)
            i += 1
            continue
        if char == ")" and len(frames) > 1:
            last = frames.pop()
            frames[-1] += last
            i += 1
            continue
        count = _COUNT.match(pattern, i) if char == "{" else None
        if count is not None and (count["least"] or count["most"]):
            extra = last * max(int(count["least"] or 0), 1) - last
            frames[-1] += extra
            last += extra
            if frames[-1] > MAX_UNROLLED * 10:
                break
            i = count.end()
            continue
        last = 1
        frames[-1] += 1
        i += 1
    return sum(frames)


class Pattern:
    """A compiled rule regex with Python semantics, run by RE2 when possible.

    Compiling checks the pattern (``regex.error`` names what is wrong) and decides which engine
    runs it; the compiled objects themselves are made again on first use after unpickling (RE2's
    cannot be pickled, and a cached rulebook should not pay for patterns a page never reaches).
    """

    def __init__(self, source: str, rule_id: str, *, ignore_case: bool = False,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.source = source
        self.rule_id = rule_id
        self.timeout = timeout
        self.flags = (regex.IGNORECASE if ignore_case else 0) | regex.VERSION0
        if unrolled_size(source) > MAX_UNROLLED + len(source):
            raise regex.error(f"counted repeats ({{n}}) too large: unrolled, the pattern would be"
                              f" over {MAX_UNROLLED:,} atoms")
        # The regex module is the reference for syntax: it raises regex.error with a position.
        slow = regex.compile(source, self.flags)
        self._slow: Any = slow
        self.groups = int(slow.groups)
        self.group_names = list(slow.groupindex)
        translated = to_re2(source)
        self.re2_source: str | None = None
        self._fast: Any = None
        if translated is not None:
            if ignore_case:
                translated = "(?i)" + translated
            try:
                self._fast = re2.compile(translated, _quiet_options())
                self.re2_source = translated
            except re2.error:
                self._fast = None
        # An RE2 pattern that matches at least wherever this one does, for the prefilter: a
        # loose copy, without the counts that make the prefilter's automaton big, and without
        # the word boundaries, look-arounds or back-references that need the slow engine.
        self.prefilter_source: str | None = None
        loose = to_re2(source, loose=True)
        if loose is not None:
            if ignore_case:
                loose = "(?i)" + loose
            try:
                re2.compile(loose, _quiet_options())
                self.prefilter_source = loose
            except re2.error:
                pass

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_slow"] = state["_fast"] = None  # compiled again on first use
        return state

    @property
    def linear(self) -> bool:
        """True when RE2 runs this pattern (linear time, no budget needed)."""
        return self.re2_source is not None

    def _slow_engine(self) -> Any:
        if self._slow is None:
            self._slow = regex.compile(self.source, self.flags)
        return self._slow

    def search(self, text: str) -> Match | None:
        if self.re2_source is not None:
            if self._fast is None:
                self._fast = re2.compile(self.re2_source, _quiet_options())
            result: Match | None = self._fast.search(text)
            return result
        try:
            found: Any = self._slow_engine().search(text, timeout=self.timeout)
            return found  # type: ignore[no-any-return]
        except TimeoutError as exc:
            raise RuleTimeout(self.rule_id, self.timeout) from exc

    def sub(self, template: str, text: str) -> str:
        try:
            return str(self._slow_engine().sub(template, text, timeout=self.timeout))
        except TimeoutError as exc:
            raise RuleTimeout(self.rule_id, self.timeout) from exc


def anchored_at_start(source: str) -> bool:
    """Whether every match of the RE2 pattern ``source`` starts at the text's start: it opens
    with ``^`` (after an inline flag group such as ``(?i)``) and has no top-level alternative,
    which could match anywhere. (A false "no" only costs speed: the pattern is searched for.)"""
    flags = _LEADING_FLAGS.match(source)
    at = flags.end() if flags else 0
    if not source.startswith("^", at):
        return False
    depth, in_class, i = 0, False, at
    while i < len(source):
        char = source[i]
        if source.startswith("\\Q", i):
            # RE2's quoted run: every character to '\\E' (or the end) is literal, '(' and '|' too
            end = source.find("\\E", i + 2)
            i = len(source) if end < 0 else end + 2
            continue
        if char == "\\":
            i += 2
            continue
        if in_class:
            if source.startswith("[:", i):
                # a named class inside the brackets ('[[:alpha:]|]'): its ']' does not close them
                end = source.find(":]", i + 2)
                if end >= 0:
                    i = end + 2
                    continue
            in_class = char != "]"
        elif char == "[":
            in_class = True
            # A ']' right after '[' or '[^' is a literal member.
            if source.startswith("]", i + 1) or source.startswith("^]", i + 1):
                i += 2 if source[i + 1] == "]" else 3
                continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return False
        i += 1
    return True


_LEADING_FLAGS = regex.compile(r"\(\?[isU]+\)")  # not (?m): its ^ matches at every line


class PatternSet:
    """All RE2-able patterns of a rulebook in two automata: one pass per line finds every rule
    whose regex could match, so cost grows with lines, not lines × rules. Lines seen lately are
    not read again: a page is read twice (the second time as its output settles, most of whose
    lines are unchanged), and a site repeats its boilerplate lines from page to page.

    The patterns anchored at the line's start (``^…``, most of them) go in an automaton run
    anchored, which stops as soon as no pattern can still match; the others in one that searches
    the whole line. In one automaton, every anchored pattern rode along the search through each
    line: twice the time, and a state cache that kept filling up (corpus, 2026-12)."""

    def __init__(self, patterns: Iterable[tuple[int, Pattern]]) -> None:
        # (sources, owners) of the patterns run anchored at the line's start, then of the others
        self._groups: tuple[tuple[list[str], list[int]], ...] = (([], []), ([], []))
        for owner, pattern in patterns:
            assert pattern.prefilter_source is not None
            sources, owners = self._groups[0 if anchored_at_start(pattern.prefilter_source) else 1]
            sources.append(pattern.prefilter_source)
            owners.append(owner)
        self._empty = not any(owners for _, owners in self._groups)
        self._sets: Any = None  # RE2's automata: built on first use, as they cannot be pickled
        self._memo: dict[str, tuple[int, ...]] = {}  # line -> owners of the patterns it matches

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_sets"] = None
        state["_memo"] = {}
        return state

    def _automata(self) -> list[tuple[Any, list[int]]]:
        """The (automaton, owners of its patterns) that have patterns: anchored, then searching."""
        if self._sets is None:
            self._sets = []
            for kind, (sources, owners) in zip((re2.Set.MatchSet, re2.Set.SearchSet), self._groups,
                                               strict=True):
                if not sources:
                    continue
                options = _quiet_options()
                options.max_mem = _PREFILTER_MAX_MEM
                automaton = kind(options)
                for source in sources:
                    automaton.Add(source)
                automaton.Compile()
                self._sets.append((automaton, owners))
        return self._sets  # type: ignore[no-any-return]

    def candidates(self, lines: Sequence[str]) -> dict[int, list[int]]:
        """owner -> indexes of the lines its prefilter pattern matches, in order."""
        found: dict[int, list[int]] = {}
        if self._empty:
            return found
        memo = self._memo
        answers = list(map(memo.get, lines))
        missing = [i for i, answer in enumerate(answers) if answer is None]
        if len(memo) + len(missing) > _PREFILTER_MEMO:
            memo.clear()
        # Each line is encoded once for every automaton (RE2 reads UTF-8 bytes; given a str, it
        # would encode it again for each).
        encoded = [lines[i].encode() for i in missing]
        hits: list[tuple[int, ...]] = [()] * len(missing)
        for automaton, its_owners in self._automata():
            for n, matched in enumerate(map(automaton.Match, encoded)):
                if matched:
                    hits[n] += tuple(its_owners[j] for j in matched)
        for i, found_owners in zip(missing, hits, strict=True):
            answers[i] = memo[lines[i]] = found_owners
        for index, owners in enumerate(answers):
            if owners:
                for owner in owners:
                    if owner in found:
                        found[owner].append(index)
                    else:
                        found[owner] = [index]
        return found
