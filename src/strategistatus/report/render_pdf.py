"""The report as PDF: the HTML report laid out on A4 by WeasyPrint.

The layout is the HTML's print CSS (:mod:`.render_html`). The PDF is tagged (headings,
tables and lists for screen readers), carries the report's title and language, and its
dates are the measurement date, so the same model gives the same bytes.
"""

from __future__ import annotations

import calendar
import contextlib
import hashlib
import os
from collections.abc import Iterator

from .model import ReportModel
from .render_html import html_document


class PdfRenderer:
    suffix = ".pdf"

    def render(self, model: ReportModel) -> bytes:
        import weasyprint  # imported here: loading it takes a moment and needs pango

        html = html_document(model)
        # a fixed identifier (from the content) instead of a random one: reproducible bytes
        identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
        document = weasyprint.HTML(string=html, url_fetcher=_no_fetching).render()
        with _font_timestamp(calendar.timegm(model.at.timetuple())):
            return document.write_pdf(pdf_identifier=identifier, pdf_tags=True)


@contextlib.contextmanager
def _font_timestamp(epoch: int) -> Iterator[None]:
    """Embedded font subsets dated ``epoch``, not now (fontTools reads SOURCE_DATE_EPOCH).

    A date set by the caller (a reproducible build) is left as it is.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def _no_fetching(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    """The HTML is self-contained; a URL in it is a mistake, and is never fetched."""
    raise ValueError(f"the report refers to an outside resource: {url}")
