"""Statistics from de-identified program records: table definitions (statistics/tables.yaml),
aggregation, small-count suppression, the linear-programming disclosure audit, freezing of
closed periods, charts, downloads and the site's statistics pages.

Data flows one way: records → definitions.py → aggregate.py → suppress.py (uses audit.py)
→ freeze.py → downloads.py / charts.py / pages.py; publish.py runs it all.
"""

from weibao.errors import WeibaoError


class StatsError(WeibaoError):
    """The statistics cannot be published safely (audit, frozen figures or definitions): exit 1."""
