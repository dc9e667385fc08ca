"""What the public may see: one disclosure rule for every public number.

Every number the public sees, on a page, in an API answer or in the public report, in any
language and format, is decided here (``PublicRelease.hidden``): figures about 1 to 4 people
are hidden, and more are hidden where a hidden one could be worked out from what is shown,
also across dates and periods. The public sees the municipality's figures only, at month-ends.
"""

from .release import PublicRelease, last_month_end, month_end
from .rule import THRESHOLD, protected, small

__all__ = ["THRESHOLD", "PublicRelease", "last_month_end", "month_end", "protected", "small"]
