"""spec.py - reads the examples of a spec page (tests/*_spec.md) written in
the style of CommonMark's spec: a fence of 32 backticks and "example", the
document, a line holding only ".", what must be found, the closing fence."""

FENCE = "`" * 32


def examples(text):
    """(line of the example in the page, document, expected lines) of each example."""
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if lines[i] == FENCE + " example":
            start = i + 1
            end = lines.index(FENCE, start)
            body = lines[start:end]
            dot = body.index(".")
            yield start, "\n".join(body[:dot]) + "\n", [l for l in body[dot + 1:] if l]
            i = end
        i += 1
