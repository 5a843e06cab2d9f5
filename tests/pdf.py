"""Reading PDFs back as a person's tools do: pdftotext, pdffonts, pdfinfo (poppler-utils)."""

import re
import subprocess
import zlib


def pdf_text(pdf_bytes, *, layout=False):
    args = ["pdftotext"] + (["-layout"] if layout else []) + ["-", "-"]
    return subprocess.run(args, input=pdf_bytes, capture_output=True, check=True).stdout.decode()


def pdf_fonts(path):
    return subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout


def pdf_info(path):
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line) | {}


def pdf_language(pdf_bytes):
    """The document catalog's /Lang, which may sit in a compressed object stream."""
    chunks = [pdf_bytes]
    for match in re.finditer(rb"stream\r?\n", pdf_bytes):
        end = pdf_bytes.find(b"endstream", match.end())
        try:
            chunks.append(zlib.decompress(pdf_bytes[match.end():end]))
        except zlib.error:
            continue
    for chunk in chunks:
        found = re.search(rb"/Lang\s*\(([^)]*)\)", chunk)
        if found:
            return found.group(1).decode()
    return None


def pdf_page_count(pdf_bytes):
    out = subprocess.run(["pdfinfo", "-"], input=pdf_bytes, capture_output=True, check=True).stdout
    return int(re.search(rb"^Pages:\s+(\d+)", out, re.M).group(1))


def pdf_pages(pdf_bytes):
    """Each page's text, read one page at a time (pdftotext -f N -l N)."""
    return [
        subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-", "-"], input=pdf_bytes,
                       capture_output=True, check=True).stdout.decode()
        for n in range(1, pdf_page_count(pdf_bytes) + 1)
    ]
