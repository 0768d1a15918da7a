"""Fuzz ``clean()`` and the rule loader for a while.

Pages: random bytes, random text in many encodings, fixture pages mutated (flipped bytes, cuts,
NULs, CRs, BOMs, splices, repeats) and compressed or not, and a few shapes that stress time
rather than decoding (huge lines, many lines, long runs). Rule files: the built-in rule files
and the YAML examples of docs/rules.md mutated (lines and characters flipped, deleted or
duplicated, keys renamed, values swapped for other types, regexes mangled or made
catastrophic, nested anchors and aliases, deep nesting, long lines, invalid UTF-8, BOMs, NULs,
tabs) and random bytes, each written to a file and loaded with ``check_examples=True``; a
rule book that loads cleans one fixture page.

    python bench/fuzz.py --seconds 60                  # pages and rule files, half each
    python bench/fuzz.py --seconds 60 --target rules   # rule files only

The contract under test: ``clean()`` returns a Document or raises PageError;
``load_rulebook()`` returns a Rulebook or raises RuleError whose problems name the file, in a
few seconds at most. The report gives how many inputs were tried, how many were refused (by
reason), the slowest inputs, and every other exception (or a load slower than the limit) with
its input saved for replay (``--save``, by default ``fuzz-findings/`` for rule files); the exit
status is 1 when there was any.
"""

from __future__ import annotations

import argparse
import bz2
import codecs
import contextlib
import gzip
import lzma
import random
import re
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from cleaner import PageError, Rulebook, RuleError, clean, load_rulebook  # noqa: E402

ENCODINGS = ["utf-8", "utf-16-le", "utf-16-be", "utf-32", "cp1251", "koi8_r", "cp1252",
             "latin-1", "shift_jis", "euc_jp", "euc_kr", "gb18030", "big5", "iso2022_jp",
             "cp1253", "cp1250", "iso8859-5", "cp866", "utf-7"]
BOMS = [codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE,
        codecs.BOM_UTF32_BE]
MAGICS = [b"\x1f\x8b", b"BZh91AY&SY", b"\xfd7zXZ\x00", b"\x89PNG\r\n\x1a\n", b"%PDF-",
          b"PK\x03\x04", b"<meta charset=koi8-r>", b"<?xml encoding='x'?>", b"\x1b$B"]
SLOW = 5.0  # seconds; a page that takes longer is reported (a hang is a bug too)


def samples() -> list[bytes]:
    paths = sorted((ROOT / "fixtures" / "pages").rglob("*.txt"))
    paths += sorted(p for p in (ROOT / "fixtures" / "hostile").rglob("*") if p.is_file())
    return [p.read_bytes() for p in paths]


def random_bytes(rng: random.Random, pages: list[bytes]) -> bytes:
    data = rng.randbytes(rng.choice([0, 1, 7, 64, 500, 4000, 20000]))
    if rng.random() < 0.3:
        data = rng.choice(MAGICS) + data
    return data


def random_text(rng: random.Random, pages: list[bytes]) -> bytes:
    size = rng.choice([1, 20, 300, 3000])
    blocks = [(0x20, 0x7E), (0xA0, 0x17F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x6FF),
              (0x3040, 0x30FF), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3), (0x1F300, 0x1F6FF),
              (0x0, 0x1F), (0x2000, 0x206F), (0xD800, 0xDFFF), (0xE000, 0xF8FF)]
    chosen = rng.sample(blocks, rng.randint(1, 3))
    chars = []
    for _ in range(size):
        low, high = rng.choice(chosen)
        chars.append(chr(rng.randint(low, high)))
        if rng.random() < 0.15:
            chars.append(rng.choice([" ", " ", "\n", "\n\n", ". ", "\r\n", "\t"]))
    text = "".join(chars)
    encoding = rng.choice(ENCODINGS)
    return text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf-8")
                       else "replace")


def mutated(rng: random.Random, pages: list[bytes]) -> bytes:
    data = bytearray(rng.choice(pages))
    for _ in range(rng.randint(1, 8)):
        at = rng.randint(0, len(data))
        kind = rng.choice(["flip", "flip", "cut", "nul", "cr", "bom", "splice", "repeat",
                           "delete", "high"])
        if kind == "flip" and data:
            index = min(at, len(data) - 1)
            data[index] ^= 1 << rng.randint(0, 7)
        elif kind == "cut":
            data = data[:at] if rng.random() < 0.5 else data[at:]
        elif kind == "nul":
            data[at:at] = b"\x00" * rng.choice([1, 2, 64, 1000])
        elif kind == "cr":
            data[at:at] = rng.choice([b"\r", b"\r\r\n", b"\n\r", b"\r" * 100])
        elif kind == "bom":
            data[at:at] = rng.choice(BOMS)
        elif kind == "splice":
            data[at:at] = rng.choice([rng.randbytes(rng.randint(1, 200)), rng.choice(MAGICS)])
        elif kind == "repeat":
            data = data[:at] * rng.randint(2, 5) + data[at:]
        elif kind == "delete":
            data[at:at + rng.randint(1, 100)] = b""
        elif kind == "high":
            data[at:at] = bytes(rng.randint(0x80, 0xFF) for _ in range(rng.randint(1, 20)))
    return bytes(data)


def compressed(rng: random.Random, pages: list[bytes]) -> bytes:
    data = mutated(rng, pages) if rng.random() < 0.7 else rng.choice(pages)
    packers: list[Callable[[bytes], bytes]] = [gzip.compress, bz2.compress, lzma.compress]
    packed = rng.choice(packers)(data)
    roll = rng.random()
    if roll < 0.3:
        packed = packed[: rng.randint(0, len(packed))]
    elif roll < 0.5:
        buffer = bytearray(packed)
        for _ in range(rng.randint(1, 4)):
            buffer[rng.randrange(len(buffer))] ^= 1 << rng.randint(0, 7)
        packed = bytes(buffer)
    elif roll < 0.6:
        packed += rng.choice([packed, rng.randbytes(50), b"\x00" * 30])
    return packed


def stress(rng: random.Random, pages: list[bytes]) -> bytes:
    """Shapes that cost time: one enormous line, a great many short lines, long runs of one
    character (what backtracking regexes choke on), a page repeated many times."""
    page = rng.choice(pages)
    shapes: list[Callable[[], bytes]] = [
        lambda: page.replace(b"\n", b" ") * rng.randint(1, 8),
        lambda: b"\n".join([b"Home", b"Share", b"1 comment:", b"a"] * rng.randint(500, 5000)),
        lambda: rng.choice([b"a", b" ", b".", b"-", b"\xd0\xb0", b"1"])
        * rng.randint(1000, 300_000),
        lambda: (page + b"\n\n") * rng.randint(10, 60),
        lambda: b"\n" * rng.randint(1000, 200_000) + page,
    ]
    return rng.choice(shapes)()


GENERATORS: dict[str, Callable[[random.Random, list[bytes]], bytes]] = {
    "random bytes": random_bytes,
    "random text": random_text,
    "mutated page": mutated,
    "compressed": compressed,
    "stress": stress,
}
WEIGHTS = [2, 2, 4, 2, 1]


def _name(rng: random.Random, data: bytes) -> str:
    """Mostly the name a file with these bytes would have; sometimes a wrong one (a .gz that
    is not gzip, an archive named .txt), as real folders have."""
    by_magic = {b"\x1f\x8b": "page.txt.gz", b"BZh": "page.txt.bz2", b"\xfd7zXZ": "page.txt.xz"}
    right = next((n for m, n in by_magic.items() if data.startswith(m)), "page.txt")
    if rng.random() < 0.9:
        return right
    return rng.choice(["page.txt", "page.html", "page.gz", "page.bz2", "page.xz"])


def reason_key(message: str) -> str:
    """Group PageError reasons: the message up to its details, numbers folded; binary files
    of a known format keep the format."""
    known = re.match(r"binary data \([^)]*\)", message)
    head = known.group(0) if known else re.split(r" \(|; |: ", message, maxsplit=1)[0]
    return re.sub(r"(?<![A-Za-z])\d[\d,.]*", "N", head)


def fuzz(seconds: float, seed: int, save: Path | None, rulebook: Rulebook) -> int:
    rng = random.Random(seed)
    pages = samples()
    # Warm up first: the first page in a language loads dateparser's locale data (seconds),
    # which is not what "slowest" is about.
    for page in pages:
        with contextlib.suppress(PageError):
            clean(page, rulebook)
    tried = ok = 0
    by_kind: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    unexpected: list[tuple[str, str, bytes]] = []
    slowest: list[tuple[float, str, int]] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        kind = rng.choices(list(GENERATORS), WEIGHTS)[0]
        data = GENERATORS[kind](rng, pages)
        name = _name(rng, data)
        tried += 1
        by_kind[kind] += 1
        start = time.perf_counter()
        try:
            clean(data, rulebook, source=name, name=name)
            ok += 1
        except PageError as exc:
            refused[reason_key(str(exc))] += 1
        except Exception as exc:  # what the fuzzer is looking for
            summary = f"{type(exc).__name__}: {exc}"
            unexpected.append((kind, summary, data))
            if save is not None:
                save.mkdir(parents=True, exist_ok=True)
                (save / f"failure-{len(unexpected):03d}.bin").write_bytes(data)
                (save / f"failure-{len(unexpected):03d}.txt").write_text(
                    f"{kind}, name {name}\n{traceback.format_exc()}", encoding="utf-8")
        took = time.perf_counter() - start
        slowest = sorted([*slowest, (took, kind, len(data))], reverse=True)[:3]
        if took > SLOW / 5 and save is not None:
            save.mkdir(parents=True, exist_ok=True)
            (save / f"slow-{took:.1f}s-{tried}.bin").write_bytes(data)
    report(seconds, seed, tried, ok, by_kind, refused, unexpected, slowest)
    return 1 if unexpected or (slowest and slowest[0][0] > SLOW) else 0


def report(seconds: float, seed: int, tried: int, ok: int, by_kind: Counter[str],
           refused: Counter[str], unexpected: list[tuple[str, str, bytes]],
           slowest: list[tuple[float, str, int]], *, what: str = "pages",
           done: str = "cleaned", refusal: str = "PageError") -> None:
    out = sys.stdout
    print(f"fuzz {what}: {seconds:g} s, seed {seed}", file=out)
    print(f"tried       {tried:>8,}  ({tried / max(seconds, 1e-9):,.0f}/s)", file=out)
    print("  by kind   " + ", ".join(f"{k} {n:,}" for k, n in by_kind.most_common()), file=out)
    print(f"{done:<12}{ok:>8,}", file=out)
    print(f"{refusal:<12}{sum(refused.values()):>8,}", file=out)
    for reason, count in refused.most_common():
        print(f"  {count:>8,}  {reason}", file=out)
    print(f"unexpected  {len(unexpected):>8,}", file=out)
    for kind, summary, data in unexpected[:20]:
        print(f"  [{kind}] {summary[:200]}  input[:80]={data[:80]!r}", file=out)
    print("slowest     " + ", ".join(f"{took:.2f} s ({kind}, {size:,} bytes)"
                                      for took, kind, size in slowest), file=out)


# -- rule files ------------------------------------------------------------------------------

SLOW_LOAD = 3.0  # seconds; a rule file that takes longer to load is a finding
CATASTROPHIC = [r"(a+)+$", r"(a|aa)+$", r"(.*a){20}", r"^(\w+\s?)*$", r"(x+x+)+y", r"a{1000000}",
                r"(?:a{1000}){1000}", r"((((((((((a))))))))))*", r"\p{L}{0,65535}", r"(?P<x>a)(?P=x)+"]
BROKEN = ["(", ")", "[", "(?", "(?<", "\\", "*", "{2,1}", "(?P<1>)", "[z-a]", "\\p{Nope}", "(?i",
          "\\1", "(?<!a+)"]
ODD_VALUES = ["~", "null", "true", "[]", "{}", "[1, 2]", "{a: 1}", "-1", "1e999", ".nan", "''",
              "!!binary aGVsbG8=", "!!python/object:os.system ls", "0x7f", "2026-01-01", "|",
              "&a x", "*nope", "'" + "x" * 5000 + "'", "!!set {a, b}", "? a", "!!int 'x'"]
KEYS = ["id", "why", "match", "regex", "where", "action", "examples", "drop", "keep", "rules",
        "name", "description", "below", "above", "at_most", "after_finder", "words", "lines"]


def rule_samples() -> list[bytes]:
    """The built-in rule files and the YAML examples of docs/rules.md."""
    files = sorted((ROOT / "rules").glob("*/*.yaml"))
    texts = [p.read_bytes() for p in files]
    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    texts += [m.encode() for m in re.findall(r"```yaml\n(.*?)```", doc, flags=re.S)]
    return texts


def _billion_laughs(rng: random.Random) -> bytes:
    depth, width = rng.randint(3, 12), rng.randint(2, 10)
    lines = ['a0: &a0 "lol"']
    for i in range(1, depth):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    lines.append(f"name: x\nrules:\n  - id: r\n    why: *a{depth - 1}\n    match: {{regex: a}}")
    return "\n".join(lines).encode()


def _deep(rng: random.Random) -> bytes:
    depth = rng.choice([50, 500, 5000, 60000])
    shape = rng.choice(["flow", "block", "mixed"])
    if shape == "flow":
        body = "[" * depth + "]" * depth
    elif shape == "block":
        body = "".join("  " * i + "- \n" for i in range(min(depth, 3000)))
    else:
        body = "{a: " * depth + "1" + "}" * depth
    return f"name: deep\nrules: {body}\n".encode() if shape != "block" else \
        f"name: deep\nrules:\n{body}".encode()


def mutated_rules(rng: random.Random, samples: list[bytes]) -> bytes:
    lines = rng.choice(samples).split(b"\n")
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(lines) + 1)
        line = lines[min(at, len(lines) - 1)] if lines else b""
        kind = rng.choice(["swap", "delete", "dup", "char", "key", "value", "regex", "regex",
                           "alias", "long", "bytes", "tab", "indent"])
        if kind == "swap" and len(lines) > 1:
            j = rng.randrange(len(lines))
            lines[min(at, len(lines) - 1)], lines[j] = lines[j], line
        elif kind == "delete" and lines:
            del lines[min(at, len(lines) - 1): min(at, len(lines) - 1) + rng.randint(1, 4)]
        elif kind == "dup":
            lines[at:at] = [line] * rng.randint(1, 3)
        elif kind == "char" and line:
            buf = bytearray(line)
            i = rng.randrange(len(buf))
            op = rng.random()
            if op < 0.4:
                buf[i] ^= 1 << rng.randint(0, 7)
            elif op < 0.7:
                del buf[i]
            else:
                buf[i:i] = bytes([buf[i]]) * rng.randint(1, 3)
            lines[min(at, len(lines) - 1)] = bytes(buf)
        elif kind == "key":
            old, new = rng.choice(KEYS), rng.choice([*KEYS, "x", "", "Id", "<<", "? ", "ruless"])
            lines[min(at, len(lines) - 1):min(at, len(lines) - 1) + 1] = [
                line.replace(old.encode() + b":", new.encode() + b":", 1)]
        elif kind == "value" and b":" in line:
            head = line.split(b":", 1)[0]
            lines[min(at, len(lines) - 1)] = head + b": " + rng.choice(ODD_VALUES).encode()
        elif kind == "regex":
            pattern = rng.choice([*CATASTROPHIC, *BROKEN,
                                  "(" * rng.randint(1, 200), f"a{{{rng.randint(1, 10**9)}}}",
                                  "(a{100}){100}", "x" * 100_000])
            indent = b" " * rng.choice([4, 6])
            quoted = "'" + pattern.replace("'", "''") + "'"
            if rng.random() < 0.5:
                lines[at:at] = [indent + b"match: {regex: " + quoted.encode() + b"}"]
            else:
                for i, text in enumerate(lines):
                    if b"regex:" in text:
                        lines[i] = text.split(b"regex:")[0] + b"regex: " + quoted.encode()
                        if rng.random() < 0.5:
                            break
        elif kind == "alias":
            lines[at:at] = _billion_laughs(rng).split(b"\n")[:-4]
        elif kind == "long":
            lines[at:at] = [b"# " + b"x" * rng.choice([10_000, 1_000_000]),
                            b"description: " + b"y" * rng.choice([10_000, 500_000])]
        elif kind == "bytes":
            lines[at:at] = [rng.choice([b"\xef\xbb\xbf", b"\x00", b"\xff\xfe", b"\xc3\x28",
                                        b"\xed\xa0\x80", b"\x80", rng.randbytes(20)])]
        elif kind == "tab":
            lines[min(at, len(lines) - 1):min(at, len(lines) - 1) + 1] = [
                line.replace(b"  ", b"\t", 1)]
        elif kind == "indent" and lines:
            lines[min(at, len(lines) - 1)] = b" " * rng.randint(0, 9) + line.lstrip()
    data = b"\n".join(lines)
    if rng.random() < 0.1:
        data = rng.choice(BOMS) + data
    return data


def built_rules(rng: random.Random, samples: list[bytes]) -> bytes:
    """Whole files of one hostile shape."""
    return rng.choice([_billion_laughs, _deep])(rng)


def random_rules(rng: random.Random, samples: list[bytes]) -> bytes:
    data = rng.randbytes(rng.choice([0, 1, 10, 300, 5000]))
    if rng.random() < 0.5:
        data = b"name: x\nrules:\n  - " + data
    return data


RULE_GENERATORS: dict[str, Callable[[random.Random, list[bytes]], bytes]] = {
    "mutated rules": mutated_rules,
    "hostile shape": built_rules,
    "random bytes": random_rules,
}
RULE_WEIGHTS = [8, 1, 1]


def fuzz_rules(seconds: float, seed: int, save: Path) -> int:
    rng = random.Random(seed)
    samples = rule_samples()
    page = min(fixture_pages(), key=len, default=b"Home\nA sentence of the article.")
    tried = ok = 0
    by_kind: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    unexpected: list[tuple[str, str, bytes]] = []
    slowest: list[tuple[float, str, int]] = []
    with tempfile.TemporaryDirectory(prefix="fuzz-rules-") as tmp:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            kind = rng.choices(list(RULE_GENERATORS), RULE_WEIGHTS)[0]
            data = RULE_GENERATORS[kind](rng, samples)
            path = Path(tmp) / f"fuzz-{tried}.yaml"
            path.write_bytes(data)
            tried += 1
            by_kind[kind] += 1
            start = time.perf_counter()
            problem = None
            try:
                rulebook = load_rulebook([path], builtin=False, check_examples=True)
                took = time.perf_counter() - start
                ok += 1
                with contextlib.suppress(PageError):
                    clean(page, rulebook, name="page.txt")
            except RuleError as exc:
                took = time.perf_counter() - start
                refused[rule_reason(exc)] += 1
                if not exc.problems or any(p.path != str(path) for p in exc.problems):
                    problem = f"RuleError not naming the file: {exc}"[:2000]
            except Exception as exc:  # what the fuzzer is looking for
                took = time.perf_counter() - start
                problem = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
            path.unlink()
            if took > SLOW_LOAD and problem is None:
                problem = f"slow load: {took:.1f} s"
            if problem is not None:
                unexpected.append((kind, problem.splitlines()[0], data))
                save.mkdir(parents=True, exist_ok=True)
                stem = save / f"rules-{seed}-{len(unexpected):03d}"
                stem.with_suffix(".yaml").write_bytes(data)
                stem.with_suffix(".txt").write_text(f"{kind}, seed {seed}, load {took:.2f} s\n"
                                                    f"{problem}\n", encoding="utf-8")
            slowest = sorted([*slowest, (took, kind, len(data))], reverse=True)[:3]
    report(seconds, seed, tried, ok, by_kind, refused, unexpected, slowest,
           what="rule files", done="loaded", refusal="RuleError")
    return 1 if unexpected else 0


def fixture_pages() -> list[bytes]:
    """A few fixture pages; a rule book that loads cleans the shortest."""
    return [p.read_bytes() for p in sorted((ROOT / "fixtures" / "pages").rglob("*.txt"))[:5]]


def rule_reason(exc: RuleError) -> str:
    """Group a RuleError by its first problem's message, details and numbers folded."""
    message = exc.problems[0].message if exc.problems else str(exc)
    message = re.sub(r"'[^'\n]*'|\"[^\"\n]*\"", "'…'", message)  # quoted values first
    head = re.split(r" \(|; |: |, ", message, maxsplit=1)[0]
    return re.sub(r"(?<![A-Za-z])\d[\d,.]*", "N", head)[:90]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to run")
    parser.add_argument("--seed", type=int, default=None, help="seed (default: from the clock)")
    parser.add_argument("--save", type=Path, default=None,
                        help="folder to save inputs that raised something else than PageError "
                             "or RuleError (rule files: fuzz-findings/ unless given)")
    parser.add_argument("--target", choices=["pages", "rules", "both"], default="both",
                        help="what to fuzz (both: the time split in half)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else int(time.time())
    share = args.seconds / 2 if args.target == "both" else args.seconds
    status = 0
    if args.target in ("pages", "both"):
        status |= fuzz(share, seed, args.save, load_rulebook())
    if args.target in ("rules", "both"):
        status |= fuzz_rules(share, seed, args.save or Path("fuzz-findings"))
    return status


if __name__ == "__main__":
    sys.exit(main())
