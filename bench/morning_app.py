"""The app with the check-in clock at 08:30 Guangzhou time: the morning check-in (no night
alert) measured at whatever hour the benchmark runs.

`placements.attendance.clock` is the seam the tests move too. Between 22:00 and 06:00 in
Guangzhou every first check-in of a day is a night-work breach (an alert, its events and
audit rows, the notifications handed to Celery after the commit): another path.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from cbec_alliance.placements import attendance
from wsgi import app

__all__ = ["app"]
GUANGZHOU = ZoneInfo("Asia/Shanghai")


def _morning() -> datetime:
    """Today (in Guangzhou) at 08:30, seconds and microseconds still moving."""
    return datetime.now(GUANGZHOU).replace(hour=8, minute=30).astimezone(UTC)


attendance.clock = _morning
