#!/usr/bin/env python3
"""Size report of the Lambda binaries `cargo lambda build` produced: one markdown row per binary (the
functions' one artifact, `dewy`, in tests/release-build.sh).

Usage: lambda_sizes.py LAMBDA_DIR LIMIT_MB BINARY...

For each binary it reads LAMBDA_DIR/<binary>/bootstrap, checks it is a stripped aarch64 ELF (the
size goal is about stripped binaries, and Lambda arm64 runs nothing else), and zips it the way SAM
packages a function: Python's zipfile, deflate at the default level. Sizes are in MB of 10^6 bytes,
the unit of the size goal and of Lambda's own limits. Exits 1 if a binary is missing, is not a
stripped aarch64 ELF, or is larger than LIMIT_MB.
"""

import io
import struct
import sys
import zipfile
from pathlib import Path

MB = 1_000_000
EM_AARCH64 = 183


def elf_facts(data: bytes) -> tuple[int, bool]:
    """The ELF machine and whether a symbol table (.symtab) is still present. 64-bit little-endian."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF")
    machine = struct.unpack_from("<H", data, 18)[0]
    shoff = struct.unpack_from("<Q", data, 40)[0]
    shentsize, shnum = struct.unpack_from("<HH", data, 58)
    # SHT_SYMTAB = 2; a stripped binary keeps only .dynsym (SHT_DYNSYM = 11).
    has_symtab = any(
        struct.unpack_from("<I", data, shoff + i * shentsize + 4)[0] == 2 for i in range(shnum)
    )
    return machine, has_symtab


def zipped_size(data: bytes) -> int:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo("bootstrap")
        info.external_attr = 0o755 << 16  # executable, as Lambda needs
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, data)
    return len(buffer.getvalue())


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    lambda_dir, limit_mb, functions = Path(argv[0]), float(argv[1]), sorted(argv[2:])

    problems: list[str] = []
    rows: list[tuple[str, int, int]] = []
    for function in functions:
        bootstrap = lambda_dir / function / "bootstrap"
        if not bootstrap.is_file():
            problems.append(f"{function}: no {bootstrap}")
            continue
        data = bootstrap.read_bytes()
        machine, has_symtab = elf_facts(data)
        if machine != EM_AARCH64:
            problems.append(f"{function}: ELF machine {machine}, not aarch64")
        if has_symtab:
            problems.append(f"{function}: not stripped (.symtab present)")
        rows.append((function, len(data), zipped_size(data)))

    print("| binary | bootstrap, stripped (MB) | zip, deflate (MB) |")
    print("|---|---:|---:|")
    for function, size, zipped in rows:
        print(f"| {function} | {size / MB:.2f} | {zipped / MB:.2f} |")
    if rows:
        sizes = [size for _, size, _ in rows]
        print(f"\n{len(rows)} binaries; stripped {min(sizes) / MB:.2f}–{max(sizes) / MB:.2f} MB, "
              f"total zipped {sum(z for _, _, z in rows) / MB:.1f} MB")

    problems += [
        f"{function}: {size / MB:.2f} MB stripped, over the {limit_mb:g} MB goal"
        for function, size, _ in rows
        if size > limit_mb * MB
    ]
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
