"""Apache Kafka feature releases and the community's support policy, as data.

Update this table when a new minor version is released; nothing else needs to change.

Policy (Apache Kafka wiki, "Time Based Release Plan"): the community makes bug-fix releases
for the last three feature releases, so a minor version is out of support from the day the
third newer one is released. The last 3.x line, which still runs in ZooKeeper mode, was
promised critical and security fixes for 12 months after its release (Kafka documentation,
ZooKeeper deprecation); it is supported until the later of the two dates.

Release dates up to 4.0 are those of endoflife.date (products/apache-kafka.md). For 4.1 to
4.4 the date is that of the final release candidate's build (the newest entry in the
kafka-clients jar on Maven Central); the release followed within about a week.
"""

from __future__ import annotations

from typing import Final

__all__ = ["EXTENDED_SUPPORT_UNTIL", "RELEASES", "SUPPORTED_MINORS", "TABLE_AS_OF"]

# The day this table was last brought up to date. A snapshot collected much later may run a
# release the table does not know; such a version is reported as unknown, never as supported.
TABLE_AS_OF: Final = "2026-11-26"

# Number of most recent feature releases that receive bug fixes.
SUPPORTED_MINORS: Final = 3

# minor version -> date of its x.y.0 release
RELEASES: Final[dict[str, str]] = {
    "0.10": "2016-05-22",
    "0.11": "2017-06-28",
    "1.0": "2017-10-31",
    "1.1": "2018-03-28",
    "2.0": "2018-07-28",
    "2.1": "2018-11-20",
    "2.2": "2019-03-22",
    "2.3": "2019-06-24",
    "2.4": "2019-12-14",
    "2.5": "2020-04-14",
    "2.6": "2020-08-03",
    "2.7": "2020-12-19",
    "2.8": "2021-04-18",
    "3.0": "2021-09-20",
    "3.1": "2022-01-21",
    "3.2": "2022-05-09",
    "3.3": "2022-09-28",
    "3.4": "2023-02-06",
    "3.5": "2023-06-13",
    "3.6": "2023-10-03",
    "3.7": "2024-02-26",
    "3.8": "2024-07-26",
    "3.9": "2024-11-06",
    "4.0": "2025-03-18",
    "4.1": "2025-08-27",
    "4.2": "2026-02-10",
    "4.3": "2026-05-13",
    "4.4": "2026-10-06",
}

# minor version -> last day of a support promised beyond the three-release rule
EXTENDED_SUPPORT_UNTIL: Final[dict[str, str]] = {
    "3.9": "2025-11-06",  # the last ZooKeeper-mode line: 12 months of critical fixes after 3.9.0
}
