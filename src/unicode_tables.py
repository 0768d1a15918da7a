"""Writes the character classes of this interpreter's Unicode database as Rust tables (run by
build.rs with the Python the extension is built for; see src/classes.rs for their use).

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


def flags(code: int) -> int:
    c = chr(code)
    return ((WORD if c.isalnum() or c == "_" else 0) | (DECIMAL if c.isdecimal() else 0)
            | (SPACE if c.isspace() else 0) | (UPPER if c.isupper() else 0)
            | (LOWER if c.islower() else 0) | (TITLE if unicodedata.category(c) == "Lt" else 0))


def main(path: str) -> None:
    table = bytes(flags(code) for code in range(sys.maxunicode + 1))
    blocks: dict[bytes, int] = {}
    index = []
    for start in range(0, len(table), BLOCK):
        block = table[start : start + BLOCK]
        index.append(blocks.setdefault(block, len(blocks)))
    stored = b"".join(blocks)
    with open(path, "w", encoding="utf-8") as out:
        out.write(f'pub const UNICODE_VERSION: &str = "{unicodedata.unidata_version}";\n')
        out.write(f"pub static BLOCKS: [u16; {len(index)}] = {index!r};\n")
        out.write(f"pub static FLAGS: [u8; {len(stored)}] = {list(stored)!r};\n")


if __name__ == "__main__":
    main(sys.argv[1])
