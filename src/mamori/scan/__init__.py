"""The content scanner: finds classification markings and Japanese personal information
in documents before they are published or sent. Pure Python, no Django import.

    from mamori.scan import scan_bytes, scan_paths, to_json
    results = scan_bytes("報告書.docx", data)   # the file, then every file inside it
    report = to_json(results)

`types` holds the shapes every part shares; `extract/` turns files into text parts,
`detect/` finds things in text, `engine` ties them together under `Limits`, and
`report` renders results as text, JSON or SARIF.
"""

from mamori.scan.engine import scan_bytes, scan_paths
from mamori.scan.report import to_json, to_sarif, to_text
from mamori.scan.types import FINDING_TYPES, FileResult, Finding, Limits, Unscannable

__all__ = [
    "FINDING_TYPES",
    "FileResult",
    "Finding",
    "Limits",
    "Unscannable",
    "scan_bytes",
    "scan_paths",
    "to_json",
    "to_sarif",
    "to_text",
]
