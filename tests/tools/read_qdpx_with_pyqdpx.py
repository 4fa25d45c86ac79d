#!/usr/bin/env python3
"""Read a .qdpx archive with pyqdpx, an independent REFI-QDA reader from PyPI, and print
every coded selection as JSON, for tests/qdpx_for_tools.rs to compare with Marginalia's
quotes.

Usage: read_qdpx_with_pyqdpx.py ARCHIVE UNIT

UNIT is how the program the archive was written for counts positions:
  utf16        UTF-16 code units (NVivo)
  code-points  Unicode code points (MAXQDA, QualCoder, the standard's reading)
  crlf-as-one  code points, a CR LF line end counted once (ATLAS.ti)

Each selection carries two readings of its span:
  pyqdpx_reading  the text pyqdpx itself gives (pyqdpx always reads positions the way NVivo
                  counts them; the zero-width spaces it inserts to imitate that are removed)
  unit_reading    the source text as pyqdpx extracts it from the archive, sliced in UNIT
"""

import contextlib
import json
import re
import sys

import pyqdpx
import regex

ZERO_WIDTH_SPACE = "\u200b"


def inserted_by_pyqdpx(text):
    """Which characters of pyqdpx's source text are its own padding.

    pyqdpx adds one zero-width space after each grapheme for every character of it beyond
    U+FFFF. A zero-width space is a grapheme of its own, so the padding is the run of them
    right after such a grapheme."""
    inserted = [False] * len(text)
    position = 0
    for grapheme in regex.findall(r"\X", text):
        position += len(grapheme)
        for _ in range(sum(1 for c in grapheme if ord(c) > 0xFFFF)):
            if position < len(text) and text[position] == ZERO_WIDTH_SPACE:
                inserted[position] = True
                position += 1
    return inserted


def sliced(text, start, end, unit):
    if unit == "utf16":
        units = text.encode("utf-16-le")
        return units[2 * start : 2 * end].decode("utf-16-le", errors="replace")
    if unit == "code-points":
        return text[start:end]
    if unit == "crlf-as-one":
        return "".join(re.findall(r"\r\n|.", text, flags=re.DOTALL)[start:end])
    raise SystemExit(f"unknown unit {unit!r}: expected utf16, code-points or crlf-as-one")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    archive, unit = sys.argv[1], sys.argv[2]
    # pyqdpx reports what it skips on standard output; keep that apart from the JSON.
    with contextlib.redirect_stdout(sys.stderr):
        qdpx = pyqdpx.QDPX(archive)
        project = qdpx.get_project()
        if project is None:
            raise SystemExit(f"{archive}: pyqdpx found no project in it")
        selections = []
        for source in project.sources.values():
            padded = source.text_content or ""
            padding = inserted_by_pyqdpx(padded)
            raw = qdpx.get_source(source.guid) or ""
            if raw.startswith("\ufeff"):
                raw = raw[1:]
            for selection in source.coded_selections.values():
                start, end = selection.start, selection.end
                pyqdpx_reading = "".join(
                    c
                    for offset, c in enumerate(selection.text)
                    if not padding[start + offset]
                )
                selections.append(
                    {
                        "guid": selection.guid,
                        "source": source.name,
                        "code": selection.code.name,
                        "user": selection.user.name,
                        "start": start,
                        "end": end,
                        "pyqdpx_reading": pyqdpx_reading,
                        "unit_reading": sliced(raw, start, end, unit),
                    }
                )
    json.dump({"selections": selections}, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
