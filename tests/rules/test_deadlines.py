from datetime import date

from mamori.rules.deadlines import add_working_days, is_working_day, working_days_between


def test_weekends_holidays_and_new_year_are_not_working_days():
    assert not is_working_day(date(2026, 11, 21))  # Saturday
    assert not is_working_day(date(2026, 11, 23))  # 勤労感謝の日
    assert not is_working_day(date(2026, 12, 29))  # 年末の休日
    assert not is_working_day(date(2027, 1, 2))
    assert is_working_day(date(2026, 11, 24))


def test_adding_working_days_skips_holidays():
    # Friday 2026-11-20 + 1 working day: Sat, Sun, Mon (holiday) skipped -> Tue 24th.
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 24)
    # Over the new year: 12/28 (Mon) + 1 -> 1/4 (Mon).
    assert add_working_days(date(2026, 12, 28), 1) == date(2027, 1, 4)
    assert add_working_days(date(2026, 11, 24), 0) == date(2026, 11, 24)


def test_counting_back_and_forth_agree():
    start = date(2026, 11, 20)
    for days in range(0, 30):
        assert working_days_between(start, add_working_days(start, days)) == days
