"""Date arguments: None (today, UTC), a ``datetime.date``, ``"YYYY-MM-DD"``
(or ``"YYYYMMDD"``) or an int ``YYYYMMDD``."""

from __future__ import annotations

import datetime as _dt
from typing import Optional, Union

from ._errors import DateError, ErrorCode

DateLike = Union[None, _dt.date, str, int]

_DATE_TYPES = "date must be None, a datetime.date, 'YYYY-MM-DD' or an int YYYYMMDD"


def _yyyymmdd(date: DateLike) -> int:
    """The date as an int YYYYMMDD, 0 for today (checked as a date in Rust)."""
    if date is None:
        return 0
    if isinstance(date, bool):
        raise TypeError(_DATE_TYPES)
    if isinstance(date, int):
        if date <= 0 or date > 99991231:
            raise DateError(f"date {date} is not a date YYYYMMDD", ErrorCode.DATE)
        return date
    if isinstance(date, _dt.datetime):
        date = date.date()
    if isinstance(date, _dt.date):
        return date.year * 10000 + date.month * 100 + date.day
    if isinstance(date, str):
        s = date.strip()
        digits = s.replace("-", "") if len(s) == 10 and s[4] == "-" and s[7] == "-" else s
        if len(digits) == 8 and digits.isascii() and digits.isdigit():
            return int(digits)
        raise DateError(f"date {date!r}: expected a date as YYYY-MM-DD", ErrorCode.DATE)
    raise TypeError(_DATE_TYPES)


def _date_str(date: DateLike) -> Optional[str]:
    if date is None:
        return None
    if isinstance(date, bool):
        raise TypeError(_DATE_TYPES)
    if isinstance(date, _dt.datetime):
        date = date.date()
    if isinstance(date, _dt.date):
        return date.isoformat()
    if isinstance(date, int):
        return str(date)
    if isinstance(date, str):
        return date
    raise TypeError(_DATE_TYPES)
