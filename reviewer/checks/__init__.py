"""Stage 2 — segments in, findings out.

Pure functions over the dataclasses of :mod:`reviewer.ingest.model` and
:mod:`reviewer.checks.model`: no file or database I/O and no UI.  Rule data
(lexicons) arrives already read, as parsed rule sets in
:class:`~reviewer.checks.model.CheckContext.rules`.
"""

from reviewer.checks.model import CheckContext, CheckResult, CoverageReport, Finding
from reviewer.checks.registry import iter_checks, run_checks

__all__ = ["CheckContext", "CheckResult", "CoverageReport", "Finding", "iter_checks", "run_checks"]
