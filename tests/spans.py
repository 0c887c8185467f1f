"""spans.py - checks that every element's span decodes back to its text.

Shared by check_output.py (every fixture) and encodings_test.py (every
encoding).  A span is [start, end) in the raw input; decoding those bytes
with source.encoding gives the element's source lines, which must hold the
element's text (compared without whitespace and hyphens, since wrapped
lines are joined and broken words mended)."""
import re
import unicodedata

PYTHON_CODEC = {"macintosh": "mac_roman", "IBM850": "cp850"}
SQUEEZE = re.compile(r"[\s\-\u00ad\u200b\u2060\ufeff]+")


def fold(c):
    """Ligatures and fullwidth forms fold to plain letters, as styrdok does."""
    if "\ufb00" <= c <= "\ufb06" or "\uff01" <= c <= "\uff5e":
        return unicodedata.normalize("NFKC", c)
    return c


def squeeze(text):
    text = "".join(fold(c) for c in unicodedata.normalize("NFC", text)).replace("\u00ac", "")
    return SQUEEZE.sub("", text)


def source_text(raw, span, encoding, repaired):
    text = raw[span[0]:span[1]].decode(PYTHON_CODEC.get(encoding, encoding), errors="replace")
    if repaired:  # double-encoded UTF-8, repaired per line like styrdok does
        fixed = []
        for line in re.split(r"(\r\n|\r|\n)", text):
            try:
                fixed.append(line.encode("cp1252").decode("utf-8"))
            except (UnicodeEncodeError, UnicodeDecodeError):
                fixed.append(line)
        text = "".join(fixed)
    return text


def elements(doc):
    """Yields (path, element, text that must be in its source)."""
    def blocks(items, where):
        for i, b in enumerate(items):
            w = f"{where}/blocks/{i}"
            yield w, b, b.get("text") or b.get("intro") or ""
            for j, item in enumerate(b.get("items", [])):
                text = item.get("text") or f"{item.get('goal', '')}"
                yield f"{w}/items/{j}", item, text

    def sections(items, where):
        for i, s in enumerate(items):
            w = f"{where}/sections/{i}"
            yield w, s, s["heading"]
            yield from blocks(s["blocks"], w)
            yield from sections(s["sections"], w)

    yield from blocks(doc["blocks"], "")
    yield from sections(doc["sections"], "")
    for i, f in enumerate(doc["furniture"]):
        yield f"/furniture/{i}", f, f["text"]
    for i, g in enumerate(doc["goals"]):
        yield f"/goals/{i}", g, str(g["goal"])


def without_lines(source, first, drop):
    """The source lines first.. less those numbered in `drop` (furniture
    that fell inside a paragraph or list)."""
    lines = re.split(r"\r\n|\r|\n", source)
    return "\n".join(line for n, line in enumerate(lines, first) if n not in drop)


def span_errors(doc, raw):
    encoding = doc["source"]["encoding"]
    repaired = any(w["code"] == "mojibake-repaired" for w in doc["warnings"])
    furniture = {n for f in doc["furniture"] for n in range(f["lines"][0], f["lines"][1] + 1)}
    for path, element, text in elements(doc):
        span = element["span"]
        if not 0 <= span[0] <= span[1] <= len(raw):
            yield f"{path}: span {span} outside the input's {len(raw)} bytes"
            continue
        source = source_text(raw, span, encoding, repaired)
        if not path.startswith("/furniture"):
            source = without_lines(source, element["lines"][0], furniture)
        if squeeze(text) not in squeeze(source):
            yield f"{path}: span {span} decodes to {source[:60]!r}, which does not hold {text[:60]!r}"
