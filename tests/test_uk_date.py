"""The UK's date without the time zone database for most of the day (commands/common.py)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tabard.commands.common import uk_date

LONDON = ZoneInfo("Europe/London")


def test_the_uk_date_is_the_time_zone_databases_every_hour_from_1972_to_2037() -> None:
    instant = datetime(1972, 1, 1, tzinfo=UTC)
    end = datetime(2038, 1, 1, tzinfo=UTC)
    differ = []
    while instant < end:
        # Each hour, and the last minute of each hour (the clocks change on the hour).
        for moment in (instant, instant + timedelta(minutes=59, seconds=59)):
            if uk_date(moment) != moment.astimezone(LONDON).date():
                differ.append(moment)
        instant += timedelta(hours=1)
    assert differ == []


def test_late_in_the_evening_in_summer_the_uk_is_already_on_the_next_day() -> None:
    assert str(uk_date(datetime(2026, 7, 1, 23, 30, tzinfo=UTC))) == "2026-07-02"
    assert str(uk_date(datetime(2026, 12, 1, 23, 30, tzinfo=UTC))) == "2026-12-01"


def test_an_instant_in_another_time_zone_is_the_same_instant() -> None:
    new_york = ZoneInfo("America/New_York")
    # 20:30 in New York on 1 July is 00:30 in London on 2 July.
    assert str(uk_date(datetime(2026, 7, 1, 20, 30, tzinfo=new_york))) == "2026-07-02"


def test_before_ten_in_the_evening_utc_the_database_is_not_read() -> None:
    probe = (
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "from tabard.commands.common import uk_date\n"
        "uk_date(datetime(2026, 7, 1, 21, 59, tzinfo=UTC))\n"
        "print('zoneinfo' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout == "False\n"
