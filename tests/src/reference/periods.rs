//! Counting periods, day by day over the holiday calendar (pack-reference.md, "Period"; the
//! README's "How periods are counted"; 民法典 第二百零一条、第二百零三条、第一千二百五十九条).
use chrono::{Datelike, Duration, NaiveDate};
use rules_core::{Calendar, Period, Time, Unit};

/// The end of a period as the reference counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefDue {
    /// For an hour period its last moment, itself inside the period; for a day-counted period
    /// 00:00 after its last day, the first moment that is too late.
    pub at: Time,
    /// Whether the period ends at 24:00 of a day.
    pub end_of_day: bool,
}

impl RefDue {
    /// Whether something done at `t` is in time: the end belongs to the period
    /// (「以内…包括本数」), and a day period's whole last day is in, to 24:00.
    pub fn allows(&self, t: Time) -> bool {
        if self.end_of_day {
            t < self.at
        } else {
            t <= self.at
        }
    }
}

/// Whether `d` is a working day of `calendar` (a year without holiday data: Monday to Friday,
/// as the calendar itself answers).
fn working(calendar: &Calendar, d: NaiveDate) -> bool {
    calendar.day(d).working
}

/// `d` plus `n` calendar months, on the same day of the month, or the month's last day when it
/// has no such day (31 January + 1 month = 28 or 29 February).
fn add_months(d: NaiveDate, n: u32) -> Option<NaiveDate> {
    let months = i64::from(d.month0()) + i64::from(n);
    let year = i64::from(d.year()) + months / 12;
    let month = u32::try_from(months % 12).ok()? + 1;
    let year = i32::try_from(year).ok()?;
    let mut day = d.day();
    loop {
        if let Some(x) = NaiveDate::from_ymd_opt(year, month, day) {
            return Some(x);
        }
        if day <= 28 {
            return None;
        }
        day -= 1;
    }
}

/// The next day, or `None` past the last date.
fn next(d: NaiveDate) -> Option<NaiveDate> {
    d.succ_opt()
}

/// The end of `period` started at `from`, lengthened by `extra` excluded time: exact time for
/// an hour period; for the others whole days, any part of a day counting as one.
///
/// Day, month and year periods: the start day is not counted, the last day is found, a last
/// day that is a rest day moves to the next working day, and the period ends at 24:00 of it.
/// Working days: the `count`-th working day after the start day, to 24:00.
///
/// Decision (excluded time and extensions are documented for days; nothing says how to add to
/// the other units): whole excluded days are added to the last day found by months or years
/// before the rest-day move, and count as working days to add for a working-day period.
pub fn due(calendar: &Calendar, from: Time, period: Period, extra: Duration) -> Option<RefDue> {
    if period.unit == Unit::Hours {
        let at = from.checked_add(Duration::hours(i64::from(period.count)))?.checked_add(extra)?;
        return Some(RefDue { at, end_of_day: false });
    }
    // Whole days of excluded time: any part of a day counts as one.
    let mut extra_days: i64 = extra.num_days();
    if extra > Duration::days(extra_days) {
        extra_days += 1;
    }
    let start = from.date();
    let mut last = match period.unit {
        Unit::Hours => return None,
        Unit::Days => {
            let mut d = start;
            let mut i = 0i64;
            while i < i64::from(period.count) + extra_days {
                d = next(d)?;
                i += 1;
            }
            d
        }
        Unit::WorkingDays => {
            let mut d = start;
            let mut counted = 0i64;
            while counted < i64::from(period.count) + extra_days {
                d = next(d)?;
                if working(calendar, d) {
                    counted += 1;
                }
            }
            d
        }
        Unit::Months | Unit::Years => {
            let months = if period.unit == Unit::Years { period.count.checked_mul(12)? } else { period.count };
            let mut d = add_months(start, months)?;
            let mut i = 0i64;
            while i < extra_days {
                d = next(d)?;
                i += 1;
            }
            d
        }
    };
    // A last day that is a rest day moves to the next working day (第二百零三条).
    while !working(calendar, last) {
        last = next(last)?;
    }
    let end = next(last)?;
    if end.year() > 9999 {
        return None;
    }
    Some(RefDue { at: Time::start_of(end), end_of_day: true })
}
