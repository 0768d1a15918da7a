"""Writes the character classes of this interpreter's Unicode database as Rust tables (run by
build.rs with the Python the extension is built for; see src/classes.rs for their use), and the
classes of the `regex` module it has (its own Unicode database, often newer than the
interpreter's): the unglue kernel's patterns are `regex` patterns.

Each code point gets one byte of flags; the 0x110000 bytes are cut into blocks of 256, and equal
blocks are stored once (a two-level table: block index, then the block's bytes)."""

import sys
import unicodedata

WORD = 1  # \w of the re module: str.isalnum() or "_"
DECIMAL = 2  # \d of the re module: str.isdecimal()
SPACE = 4  # \s of the re module and str.split(): str.isspace()
UPPER = 8  # str.isupper() of the character alone
LOWER = 16  # str.islower() of the character alone
TITLE = 32  # general category Lt (the titlecase flag of str.isupper and str.istitle)
BLOCK = 256

# The `regex` module's classes (in a table of their own), as the unglue kernel reads them.
REGEX_CLASSES = (r"\p{Ll}", r"\p{Lu}", r"\p{L}", r"\d", r"\s")


def flags(code: int) -> int:
    c = chr(code)
    return ((WORD if c.isalnum() or c == "_" else 0) | (DECIMAL if c.isdecimal() else 0)
            | (SPACE if c.isspace() else 0) | (UPPER if c.isupper() else 0)
            | (LOWER if c.islower() else 0) | (TITLE if unicodedata.category(c) == "Lt" else 0))


def regex_flags() -> tuple[str, bytes]:
    """The `regex` module's version and its `REGEX_CLASSES` of every code point (bit i: class i);
    without the module, an empty version (the extension then leaves its patterns to it)."""
    try:
        import regex
    except ImportError:
        return "", bytes(sys.maxunicode + 1)
    # Cargo reads this script's output as the build script's: a `regex` upgraded in place rebuilds
    # the tables instead of leaving the seams to Python.
    print(f"cargo:rerun-if-changed={regex.__file__}")
    text = "".join(map(chr, range(sys.maxunicode + 1)))
    table = bytearray(len(text))
    for bit, pattern in enumerate(REGEX_CLASSES):
        for match in regex.finditer(pattern + "+", text):
            for code in range(match.start(), match.end()):
                table[code] |= 1 << bit
    return regex.__version__, bytes(table)


def two_level(table: bytes) -> tuple[list[int], bytes]:
    """The block index and the distinct blocks of a table."""
    blocks: dict[bytes, int] = {}
    index = []
    for start in range(0, len(table), BLOCK):
        block = table[start : start + BLOCK]
        index.append(blocks.setdefault(block, len(blocks)))
    return index, b"".join(blocks)


def main(path: str) -> None:
    index, stored = two_level(bytes(flags(code) for code in range(sys.maxunicode + 1)))
    regex_version, regex_table = regex_flags()
    regex_index, regex_stored = two_level(regex_table)
    with open(path, "w", encoding="utf-8") as out:
        out.write(f'pub const UNICODE_VERSION: &str = "{unicodedata.unidata_version}";\n')
        out.write(f"pub static BLOCKS: [u16; {len(index)}] = {index!r};\n")
        out.write(f"pub static FLAGS: [u8; {len(stored)}] = {list(stored)!r};\n")
        out.write(f'pub const REGEX_VERSION: &str = "{regex_version}";\n')
        out.write(f"pub static REGEX_BLOCKS: [u16; {len(regex_index)}] = {regex_index!r};\n")
        out.write(f"pub static REGEX_FLAGS: [u8; {len(regex_stored)}] = {list(regex_stored)!r};\n")


if __name__ == "__main__":
    main(sys.argv[1])
