//! Periods (`24h`, `30d`, `7wd`, `3mo`, `2y`) and when they end.
//!
//! Counting follows 民法典 第二百零一条/第二百零三条: for day, month and year periods the start
//! day is not counted, the period ends at 24:00 of its last day, and a last day that is a rest
//! day moves to the next working day. Hour periods run exactly from the triggering moment.
//! Either way the end belongs to the period (第一千二百五十九条, see [`Due::allows`]).
//! Working-day periods (行政处罚法 第八十五条, 行政强制法 第六十九条) count only working days.
use std::fmt;

use chrono::{Duration, Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::calendar::Calendar;
use crate::time::Time;

/// The unit a period is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Exact hours (`h`).
    Hours,
    /// Calendar days (`d`), last day rolled past rest days.
    Days,
    /// Working days (`wd`).
    WorkingDays,
    /// Calendar months (`mo`).
    Months,
    /// Calendar years (`y`).
    Years,
}

/// A length of time as a regulation states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// How many units.
    pub count: u32,
    /// Which unit.
    pub unit: Unit,
}

/// The largest count accepted, far above any period in the regulations.
const MAX_COUNT: u32 = 10_000;

impl Period {
    /// Reads `24h`, `30d`, `7wd`, `3mo` or `2y`.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let digits_end = s.find(|c: char| !c.is_ascii_digit())?;
        let (n, unit) = s.split_at(digits_end);
        let count: u32 = n.parse().ok()?;
        let unit = match unit {
            "h" => Unit::Hours,
            "d" => Unit::Days,
            "wd" => Unit::WorkingDays,
            "mo" => Unit::Months,
            "y" => Unit::Years,
            _ => return None,
        };
        (count <= MAX_COUNT).then_some(Period { count, unit })
    }

    /// How the period reads in a checklist, e.g. `7个工作日`.
    pub fn label(&self) -> String {
        self.zh().to_string()
    }

    /// As [`Period::label`], written where it is used rather than into a string of its own.
    pub fn zh(&self) -> impl fmt::Display {
        struct Zh(Period);
        impl fmt::Display for Zh {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let n = self.0.count;
                match self.0.unit {
                    Unit::Hours => write!(f, "{n}小时"),
                    Unit::Days => write!(f, "{n}日"),
                    Unit::WorkingDays => write!(f, "{n}个工作日"),
                    Unit::Months => write!(f, "{n}个月"),
                    Unit::Years => write!(f, "{n}年"),
                }
            }
        }
        Zh(*self)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let u = match self.unit {
            Unit::Hours => "h",
            Unit::Days => "d",
            Unit::WorkingDays => "wd",
            Unit::Months => "mo",
            Unit::Years => "y",
        };
        write!(f, "{}{u}", self.count)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::text_value::deserialize(d, "a period such as `24h` or `30d`", |s| {
            Period::parse(s)
                .ok_or_else(|| format!("`{s}` is not a period: expected e.g. `24h`, `30d`, `7wd`, `3mo`, `2y`"))
        })
    }
}

/// A period is written as a string: a count and a unit.
#[cfg(feature = "schema")]
impl schemars::JsonSchema for Period {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Period".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]+(h|d|wd|mo|y)$",
            "description": "A count and a unit: `24h` hours (exact, from the moment), `30d` days, `7wd` working days, `3mo` months, `2y` years (the start day not counted, ending at 24:00 of the last day, a last day that is a rest day moved to the next working day).",
            "examples": ["24h", "30d", "7wd", "3mo", "2y"]
        })
    }
}

/// The end of a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// For hour periods the last moment of the period, itself within it; for day periods 00:00
    /// after the last day (24:00 of the last day), the first moment that is too late.
    pub at: Time,
    /// `true` when the period ends at 24:00 of a day rather than at an exact time.
    pub end_of_day: bool,
}

impl fmt::Display for Due {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.end_of_day {
            match self.at.date().pred_opt() {
                Some(last) => {
                    Time::write_date(last, f)?;
                    f.write_str(" 24:00")
                }
                None => write!(f, "{}", self.at),
            }
        } else {
            write!(f, "{}", self.at)
        }
    }
}

impl Due {
    /// Whether something done at `t` is within the period.
    ///
    /// The end is part of the period: 民法典 第一千二百五十九条 「以上、以下、以内、届满，包括本数」,
    /// so footage stored exactly 24 hours after recording ended is within 「24小时内」. A day
    /// period ends at 24:00 of its last day (第二百零三条), which a time can only write as 00:00
    /// of the next day — the same moment a date given without a time reads as, and that date is
    /// the next day's, not the last day's. So for day periods the whole last day is in and
    /// 00:00 after it is not.
    pub fn allows(self, t: Time) -> bool {
        if self.end_of_day {
            t < self.at
        } else {
            t <= self.at
        }
    }

    /// Appends the [`Display`](fmt::Display) form as bytes, without the formatting machinery.
    pub(crate) fn write_bytes(self, out: &mut Vec<u8>) {
        match self.at.date().pred_opt().filter(|_| self.end_of_day) {
            Some(last) => {
                Time::write_date_bytes(last, out);
                out.extend_from_slice(" 24:00".as_bytes());
            }
            None => self.at.write_bytes(out),
        }
    }
}

impl Period {
    /// Appends [`Period::zh`] as bytes, without the formatting machinery.
    pub(crate) fn write_zh_bytes(self, out: &mut Vec<u8>) {
        push_u32(out, self.count);
        let unit = match self.unit {
            Unit::Hours => "小时",
            Unit::Days => "日",
            Unit::WorkingDays => "个工作日",
            Unit::Months => "个月",
            Unit::Years => "年",
        };
        out.extend_from_slice(unit.as_bytes());
    }
}

/// Appends `n` in decimal.
pub(crate) fn push_u32(out: &mut Vec<u8>, n: u32) {
    let mut b = [0u8; 10];
    let mut i = b.len();
    let mut n = n;
    loop {
        i -= 1;
        if let Some(c) = b.get_mut(i) {
            // `n % 10` is a single digit, so the cast cannot truncate.
            *c = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    out.extend_from_slice(b.get(i..).unwrap_or_default());
}

/// Counting state: the calendar, and the years it had no data for.
pub struct Counter<'a> {
    calendar: &'a Calendar,
    /// Years met during counting that had no holiday data, ascending, without repeats (a
    /// handful at most, so a sorted list).
    pub unknown_years: Vec<i32>,
}

/// Steps taken at most while rolling or counting days, so bad data cannot loop for long.
const MAX_STEPS: u32 = 40_000;

impl<'a> Counter<'a> {
    /// A counter over `calendar`.
    pub fn new(calendar: &'a Calendar) -> Self {
        Counter { calendar, unknown_years: Default::default() }
    }

    fn working(&mut self, d: NaiveDate) -> bool {
        let k = self.calendar.day(d);
        if !k.known {
            use chrono::Datelike;
            if let Err(at) = self.unknown_years.binary_search(&d.year()) {
                self.unknown_years.insert(at, d.year());
            }
        }
        k.working
    }

    fn roll_to_working(&mut self, mut d: NaiveDate) -> Option<NaiveDate> {
        for _ in 0..MAX_STEPS {
            if self.working(d) {
                return Some(d);
            }
            d = d.succ_opt()?;
        }
        None
    }

    /// When `period` starting at `from` ends, with `extra` added (time excluded from the
    /// period, such as testing or a hearing). `None` past 9999-12-31, the last day a report
    /// can write and read back (a due date in the year 10000 was written in a form the reader
    /// refuses).
    pub fn due(&mut self, from: Time, period: Period, extra: Duration) -> Option<Due> {
        self.due_unbounded(from, period, extra).filter(|d| crate::time::in_range(d.at.naive()))
    }

    fn due_unbounded(&mut self, from: Time, period: Period, extra: Duration) -> Option<Due> {
        let n = i64::from(period.count);
        // Whole days, any part of a day counting as one; checked throughout, as `extra` comes
        // from the case and may be as long as a duration can be.
        let extra_days = extra.num_seconds().checked_add(86_399)? / 86_400;
        let last = match period.unit {
            Unit::Hours => {
                let at = from.checked_add(Duration::try_hours(n)?)?;
                // Nothing excluded (the usual case) adds nothing: the second sum is skipped.
                let at = if extra.is_zero() { at } else { at.checked_add(extra)? };
                return Some(Due { at, end_of_day: false });
            }
            Unit::Days => from.date().checked_add_signed(Duration::try_days(n.checked_add(extra_days)?)?)?,
            Unit::WorkingDays => {
                let mut d = from.date();
                let mut counted = 0;
                let mut steps = 0;
                while counted < n {
                    d = d.succ_opt()?;
                    if self.working(d) {
                        counted += 1;
                    }
                    steps += 1;
                    if steps > MAX_STEPS {
                        return None;
                    }
                }
                d.checked_add_signed(Duration::try_days(extra_days)?)?
            }
            Unit::Months => from
                .date()
                .checked_add_months(Months::new(period.count))?
                .checked_add_signed(Duration::try_days(extra_days)?)?,
            Unit::Years => from
                .date()
                .checked_add_months(Months::new(period.count.checked_mul(12)?))?
                .checked_add_signed(Duration::try_days(extra_days)?)?,
        };
        let last = self.roll_to_working(last)?;
        Some(Due { at: Time::start_of(last.succ_opt()?), end_of_day: true })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Time {
        Time::parse(s).unwrap()
    }

    fn due(from: &str, p: &str) -> String {
        let cal = Calendar::builtin().unwrap();
        let mut c = Counter::new(&cal);
        c.due(t(from), Period::parse(p).unwrap(), Duration::zero()).unwrap().to_string()
    }

    /// Found by the widened property tests (issue 24): a due date in the year 10001 was
    /// written into the report as `10001-12-04T00:00:00`, which the reader refuses.
    #[test]
    fn a_due_date_past_9999_is_beyond_range() {
        let cal = Calendar::builtin().unwrap();
        let mut c = Counter::new(&cal);
        assert!(c.due(t("9999-11-30"), Period::parse("60d").unwrap(), Duration::zero()).is_none());
        assert!(c.due(t("9999-12-31T23:00"), Period::parse("24h").unwrap(), Duration::zero()).is_none());
        // The last day that can be written is still counted to.
        assert!(c.due(t("9999-12-01"), Period::parse("24h").unwrap(), Duration::zero()).is_some());
    }

    #[test]
    fn hours_are_exact() {
        assert_eq!(due("2026-03-02T09:30", "24h"), "2026-03-03 09:30");
    }

    #[test]
    fn the_end_of_a_period_is_within_it() {
        let cal = Calendar::builtin().unwrap();
        let mut c = Counter::new(&cal);
        let hours = c.due(t("2026-03-02T09:30"), Period::parse("24h").unwrap(), Duration::zero()).unwrap();
        assert!(hours.allows(t("2026-03-03T09:30")), "exactly 24 hours is within 24小时内");
        assert!(!hours.allows(t("2026-03-03T09:30:01")));
        let days = c.due(t("2026-03-02T10:00"), Period::parse("30d").unwrap(), Duration::zero()).unwrap();
        assert!(days.allows(t("2026-04-01T23:59:59")), "the whole last day");
        assert!(!days.allows(t("2026-04-02")), "a date alone is that day's, past the last day");
    }

    #[test]
    fn days_skip_the_start_day_and_roll_past_holidays() {
        // 30 days from 2026-09-05 is 2026-10-05, inside the national day holiday: next working
        // day is 2026-10-08.
        assert_eq!(due("2026-09-05T10:00", "30d"), "2026-10-08 24:00");
        // An ordinary end day stays.
        assert_eq!(due("2026-03-02T10:00", "30d"), "2026-04-01 24:00");
    }

    #[test]
    fn working_days_count_make_up_saturdays() {
        // From Thu 2026-10-08: Fri 9, Sat 10 (make-up workday), Mon 12 … 7 working days ends Fri 16.
        assert_eq!(due("2026-10-08T09:00", "7wd"), "2026-10-16 24:00");
        // From Fri 2026-09-18: Sun 20 is a make-up workday.
        assert_eq!(due("2026-09-18T09:00", "2wd"), "2026-09-21 24:00");
    }

    #[test]
    fn months_and_years() {
        assert_eq!(due("2026-01-31T10:00", "3mo"), "2026-04-30 24:00");
        assert_eq!(due("2024-03-02T10:00", "2y"), "2026-03-02 24:00");
    }

    #[test]
    fn excluded_time_past_any_date_is_none_not_a_panic() {
        let cal = Calendar::builtin().unwrap();
        let mut c = Counter::new(&cal);
        let from = t("2026-03-02T10:00");
        for p in ["24h", "30d", "7wd", "3mo", "2y", "10000y"] {
            let p = Period::parse(p).unwrap();
            assert_eq!(c.due(from, p, Duration::MAX), None, "{p}");
            assert_eq!(c.due(from, p, Duration::days(300_000 * 366)), None, "{p}");
        }
        let last = Time::start_of(NaiveDate::MAX);
        assert_eq!(c.due(last, Period::parse("10000y").unwrap(), Duration::zero()), None);
    }

    #[test]
    fn periods_parse_strictly() {
        assert!(Period::parse("24h").is_some());
        assert!(Period::parse("7wd").is_some());
        assert!(Period::parse("7 days").is_none());
        assert!(Period::parse("h").is_none());
        assert!(Period::parse("99999999999d").is_none());
    }
}
