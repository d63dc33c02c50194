"""recover: turn scanned Chinese government financial filings into checked data."""

import os

# onnxruntime reads this at import time; the tool never phones home.
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

__version__ = "0.1.0"
