#!/usr/bin/env python3
"""Independent check of an ASC MHL history, standing in for the reference `ascmhl verify ROOT`.

The reference tool (github.com/ascmitc/mhl, Python with lxml, xxhash, pathspec and click) cannot be installed
where Safehouse's tests run, so this re-implements, with the Python 3 standard library only and none of
Safehouse's code, what its full-folder verify checks:

  * ROOT/ascmhl/ holds generation files named NNNN[_anything].mhl and ascmhl_chain.xml, which lists each
    generation (sequencenr, file name) with the C4 id of its exact bytes;
  * every file under ROOT (sorted walk; symlinked folders not entered; symlinked files read through, as
    the reference does) that the latest generation's ignore patterns do not cover has an "original" hash
    in the history, and hashing it now gives the same value;
  * every file the history lists is still there (unless an ignore pattern covers it).

Exit status follows the reference's: 0 verified, 11 no history, 12 a hash differs, 13 new files,
15 files missing, 16 a generation does not match the chain, 17 no chain; 2 when this checker cannot
judge (a hash format or pattern form it does not implement). Problems are printed one per line.
Ignore patterns: name patterns (*, ?, [..]) matching any path component, "name/" for folders only,
as gitwildmatch applies them; patterns with an inner '/', '**' or '!' are refused rather than guessed.
"""

import fnmatch
import hashlib
import os
import re
import struct
import sys
import xml.etree.ElementTree as ET

MHL_NS = "{urn:ASC:MHL:v2.0}"
DIRECTORY_NS = "{urn:ASC:MHL:DIRECTORY:v2.0}"
GENERATION_NAME = re.compile(r"^(\d{4,})(?:_(.+))?\.mhl$")
DEFAULT_IGNORE = [".DS_Store", "ascmhl", "ascmhl/"]

C4_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class CannotJudge(Exception):
    pass


def c4_id(data: bytes) -> str:
    value = int.from_bytes(hashlib.sha512(data).digest(), "big")
    digits = ""
    while value:
        value, digit = divmod(value, 58)
        digits = C4_ALPHABET[digit] + digits
    return "c4" + digits.rjust(88, "1")


# XXH64 as xxHash's doc/xxhash_spec.md defines it.
MASK = (1 << 64) - 1
P1, P2, P3, P4, P5 = (
    11400714785074694791,
    14029467366897019727,
    1609587929392839161,
    9650029242287828579,
    2870177450012600261,
)


def _rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & MASK


def _round(acc, lane):
    return (_rotl((acc + lane * P2) & MASK, 31) * P1) & MASK


def _merge(acc, v):
    return (((acc ^ _round(0, v)) * P1) + P4) & MASK


def xxh64(data: bytes, seed: int = 0) -> str:
    n = len(data)
    i = 0
    if n >= 32:
        v1, v2, v3, v4 = (seed + P1 + P2) & MASK, (seed + P2) & MASK, seed, (seed - P1) & MASK
        stripes = n - n % 32
        for a, b, c, d in struct.iter_unpack("<4Q", data[:stripes]):
            v1, v2, v3, v4 = _round(v1, a), _round(v2, b), _round(v3, c), _round(v4, d)
        i = stripes
        h = (_rotl(v1, 1) + _rotl(v2, 7) + _rotl(v3, 12) + _rotl(v4, 18)) & MASK
        for v in (v1, v2, v3, v4):
            h = _merge(h, v)
    else:
        h = (seed + P5) & MASK
    h = (h + n) & MASK
    while i + 8 <= n:
        (lane,) = struct.unpack_from("<Q", data, i)
        h = (_rotl(h ^ _round(0, lane), 27) * P1 + P4) & MASK
        i += 8
    if i + 4 <= n:
        (lane,) = struct.unpack_from("<I", data, i)
        h = (_rotl(h ^ (lane * P1 & MASK), 23) * P2 + P3) & MASK
        i += 4
    while i < n:
        h = (_rotl(h ^ (data[i] * P5 & MASK), 11) * P1) & MASK
        i += 1
    h ^= h >> 33
    h = (h * P2) & MASK
    h ^= h >> 29
    h = (h * P3) & MASK
    h ^= h >> 32
    return format(h, "016x")


HASHERS = {
    "xxh64": xxh64,
    "md5": lambda b: hashlib.md5(b).hexdigest(),
    "sha1": lambda b: hashlib.sha1(b).hexdigest(),
    "sha256": lambda b: hashlib.sha256(b).hexdigest(),
    "c4": c4_id,
}


def check_pattern(pattern: str) -> None:
    body = pattern[:-1] if pattern.endswith("/") else pattern
    if not body or "/" in body or "**" in pattern or pattern.startswith("!") or pattern.startswith("#"):
        raise CannotJudge(f"ignore pattern {pattern!r} is a form this checker does not implement")


def ignored(rel_path: str, patterns) -> bool:
    """Whether a file at rel_path is covered: a name pattern by any component, "name/" by a folder one."""
    parts = rel_path.split("/")
    for pattern in patterns:
        folder_only = pattern.endswith("/")
        name = pattern[:-1] if folder_only else pattern
        if any(fnmatch.fnmatchcase(part, name) for part in (parts[:-1] if folder_only else parts)):
            return True
    return False


def read_chain(folder: str, problems):
    path = os.path.join(folder, "ascmhl_chain.xml")
    if not os.path.isfile(path):
        problems.append((17, "no ascmhl_chain.xml in the ascmhl folder"))
        return None
    root = ET.parse(path).getroot()
    if root.tag != DIRECTORY_NS + "ascmhldirectory":
        problems.append((16, f"ascmhl_chain.xml has root {root.tag}, not ascmhldirectory"))
        return None
    chain = {}
    for entry in root.findall(DIRECTORY_NS + "hashlist"):
        name = entry.findtext(DIRECTORY_NS + "path")
        c4 = entry.findtext(DIRECTORY_NS + "c4")
        sequence = entry.get("sequencenr")
        if name is None or c4 is None or sequence is None or not sequence.isdigit():
            problems.append((16, "a chain entry lacks its sequencenr, path or c4"))
            continue
        chain[name] = (int(sequence), c4)
    return chain


def read_generation(path: str):
    root = ET.parse(path).getroot()
    if root.tag != MHL_NS + "hashlist" or root.get("version") != "2.0":
        raise CannotJudge(f"{os.path.basename(path)} is not an ASC MHL v2.0 hashlist")
    patterns = [p.text or "" for p in root.iter(MHL_NS + "pattern")]
    entries = []
    hashes = root.find(MHL_NS + "hashes")
    for item in hashes if hashes is not None else []:
        if item.tag != MHL_NS + "hash":
            continue  # directory hashes: checked by `verify --directory_hash`, not here
        rel = item.findtext(MHL_NS + "path")
        for child in item:
            fmt = child.tag[len(MHL_NS):] if child.tag.startswith(MHL_NS) else child.tag
            if fmt != "path":
                entries.append((rel, fmt, (child.text or "").strip(), child.get("action")))
    return patterns, entries


def walk(root: str, rel: str = ""):
    """Files under root in sorted order, as the reference walks: symlinked folders are not entered."""
    here = os.path.join(root, rel) if rel else root
    for name in sorted(os.listdir(here)):
        child = f"{rel}/{name}" if rel else name
        full = os.path.join(root, child)
        if os.path.isdir(full):
            if not os.path.islink(full):
                yield from walk(root, child)
        else:
            yield child


def verify(root: str):
    problems = []
    folder = os.path.join(root, "ascmhl")
    names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    generations = []
    for name in names:
        if not name.endswith(".mhl"):
            continue
        match = GENERATION_NAME.match(name)
        if not match:
            problems.append((16, f"generation file {name} does not follow NNNN_name.mhl"))
            continue
        generations.append((int(match.group(1)), name))
    if not generations:
        return [(11, f"no ASC MHL history in {folder}")]
    generations.sort()

    chain = read_chain(folder, problems)
    if chain is not None:
        for number, name in generations:
            with open(os.path.join(folder, name), "rb") as handle:
                actual = c4_id(handle.read())
            if name not in chain:
                problems.append((16, f"{name} is not in ascmhl_chain.xml"))
            elif chain[name] != (number, actual):
                problems.append((16, f"{name} does not match its chain entry (sequence {chain[name][0]}, c4 {chain[name][1]}; file: {number}, {actual})"))
        for name in chain:
            if not os.path.isfile(os.path.join(folder, name)):
                problems.append((16, f"ascmhl_chain.xml lists {name}, which is not there"))

    originals = {}
    patterns = None
    for _, name in generations:
        gen_patterns, entries = read_generation(os.path.join(folder, name))
        patterns = gen_patterns or patterns
        for rel, fmt, value, action in entries:
            if action == "original" and rel not in originals:
                originals[rel] = (fmt, value)
    patterns = patterns or DEFAULT_IGNORE
    for pattern in patterns:
        check_pattern(pattern)

    seen = set()
    for rel in walk(root):
        if ignored(rel, patterns):
            continue
        seen.add(rel)
        if rel not in originals:
            problems.append((13, f"new file: {rel!r}"))
            continue
        fmt, expected = originals[rel]
        if fmt not in HASHERS:
            raise CannotJudge(f"hash format {fmt} is not implemented here")
        try:
            with open(os.path.join(root, rel), "rb") as handle:
                actual = HASHERS[fmt](handle.read())
        except OSError as error:
            problems.append((12, f"unreadable: {rel!r} ({error.strerror})"))
            continue
        if actual != expected:
            problems.append((12, f"hash mismatch: {rel!r} ({fmt} {expected} recorded, {actual} now)"))
    for rel in sorted(set(originals) - seen):
        if not ignored(rel, patterns):
            problems.append((15, f"missing: {rel!r}"))
    return problems


def exit_status(problems) -> int:
    codes = {code for code, _ in problems}
    # The history's own integrity first, then the reference's precedence: failed hash, new file, missing.
    for code in (11, 17, 16, 12, 13, 15):
        if code in codes:
            return code
    return 0


def main(argv) -> int:
    if len(argv) != 2:
        print("usage: ascmhl_verify.py ROOT", file=sys.stderr)
        return 2
    try:
        problems = verify(os.path.abspath(argv[1]))
    except CannotJudge as error:
        print(f"cannot judge: {error}", file=sys.stderr)
        return 2
    for _, text in problems:
        print(text)
    if not problems:
        print("verified")
    return exit_status(problems)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
