from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

# Dates that count officially (certificate dates, the year JP is credited to) are the
# dates in the city, not in UTC.
LOCAL_ZONE = ZoneInfo("Asia/Jakarta")


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_date(moment: datetime) -> date:
    return moment.astimezone(LOCAL_ZONE).date()
