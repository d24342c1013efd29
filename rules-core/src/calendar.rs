//! The working-day calendar: weekends, statutory holidays and make-up working days.
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;

use crate::error::CalendarError;

/// The holiday data shipped with the engine (`calendar/cn-holidays.toml`).
#[cfg(feature = "authoring")]
pub const BUILTIN_CALENDAR: &str = include_str!("../calendar/cn-holidays.toml");

/// The same data compiled to JSON at build time, for builds without a TOML parser.
#[cfg(not(feature = "authoring"))]
const BUILTIN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/cn-holidays.json"));

/// Which days are working days (工作日) in mainland China.
// Sorted lists searched by bisection rather than tree maps: a few years of a few dozen days
// each, and no tree code of its own in the widget's wasm.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    /// By year, ascending.
    years: Vec<(i32, YearDays)>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct YearDays {
    /// Ascending, no repeats.
    off: Vec<NaiveDate>,
    /// Ascending, no repeats.
    work: Vec<NaiveDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    year: Vec<YearFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    year: i32,
    #[serde(default)]
    off: Vec<String>,
    #[serde(default)]
    work: Vec<String>,
}

/// Whether a day is a working day, and whether the calendar had data to say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayKind {
    /// A working day (工作日).
    pub working: bool,
    /// `false` when the year has no holiday data and only weekends were considered.
    pub known: bool,
}

impl Calendar {
    /// The calendar shipped with the engine.
    pub fn builtin() -> Result<Self, CalendarError> {
        #[cfg(feature = "authoring")]
        return Self::from_toml(BUILTIN_CALENDAR);
        #[cfg(not(feature = "authoring"))]
        return crate::json_reader::from_str(BUILTIN_JSON)
            .map_err(|e| CalendarError::Parse { message: e.to_string() })
            .and_then(Self::from_file);
    }

    /// Reads a calendar data file (the format of `calendar/cn-holidays.toml`).
    #[cfg(feature = "authoring")]
    pub fn from_toml(text: &str) -> Result<Self, CalendarError> {
        let file: CalendarFile = toml::from_str(text).map_err(|e| CalendarError::Parse {
            message: {
                let (at, message) = crate::text_pos::toml_error(text, &e, None);
                format!("{at}: {message}")
            },
        })?;
        Self::from_file(file)
    }

    fn from_file(file: CalendarFile) -> Result<Self, CalendarError> {
        let mut years: Vec<(i32, YearDays)> = Vec::new();
        for (i, y) in file.year.into_iter().enumerate() {
            let mut days = YearDays::default();
            for (j, s) in y.off.iter().enumerate() {
                expand(s, &format!("year[{i}].off[{j}]"), y.year, &mut days.off)?;
            }
            for (j, s) in y.work.iter().enumerate() {
                expand(s, &format!("year[{i}].work[{j}]"), y.year, &mut days.work)?;
            }
            match years.binary_search_by_key(&y.year, |(year, _)| *year) {
                Ok(_) => return Err(CalendarError::DuplicateYear { year: y.year }),
                Err(at) => years.insert(at, (y.year, days)),
            }
        }
        Ok(Calendar { years })
    }

    /// The years this calendar has holiday data for.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().map(|(year, _)| *year)
    }

    /// Classifies one day.
    pub fn day(&self, date: NaiveDate) -> DayKind {
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        let year = date.year();
        let days = self.years.binary_search_by_key(&year, |(y, _)| *y).ok().and_then(|at| self.years.get(at));
        match days.map(|(_, days)| days) {
            Some(y) if y.work.binary_search(&date).is_ok() => DayKind { working: true, known: true },
            Some(y) if y.off.binary_search(&date).is_ok() => DayKind { working: false, known: true },
            Some(_) => DayKind { working: !weekend, known: true },
            None => DayKind { working: !weekend, known: false },
        }
    }
}

fn expand(s: &str, at: &str, year: i32, into: &mut Vec<NaiveDate>) -> Result<(), CalendarError> {
    let bad = || CalendarError::BadDay { location: at.to_owned(), value: s.to_owned() };
    let parse = |d: &str| crate::time::parse_date(d.trim()).ok_or_else(bad);
    let (from, to) = match s.split_once("..") {
        Some((a, b)) => (parse(a)?, parse(b)?),
        None => (parse(s)?, parse(s)?),
    };
    if from > to || from.year() != year || to.year() != year {
        return Err(bad());
    }
    let mut d = from;
    while d <= to {
        if let Err(at) = into.binary_search(&d) {
            into.insert(at, d);
        }
        d = d.succ_opt().ok_or_else(bad)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn builtin_knows_2026_holidays_and_make_up_days() {
        let c = Calendar::builtin().unwrap();
        assert!(!c.day(d("2026-10-05")).working, "national day holiday");
        assert!(c.day(d("2026-10-10")).working, "make-up Saturday");
        assert!(!c.day(d("2026-10-11")).working, "plain Sunday");
        assert!(c.day(d("2026-10-12")).working);
        assert!(c.day(d("2026-10-12")).known);
    }

    #[test]
    fn a_year_without_data_is_flagged_not_guessed() {
        let c = Calendar::builtin().unwrap();
        let k = c.day(d("2027-10-01"));
        assert!(!k.known);
        assert!(k.working, "a Friday counts as a working day without data");
    }

    #[test]
    #[cfg(feature = "authoring")]
    fn bad_data_is_an_error_with_its_location() {
        let e = Calendar::from_toml("[[year]]\nyear = 2026\noff = [\"2026-02-30\"]\n").unwrap_err();
        assert_eq!(e.to_string(), "calendar day `2026-02-30` at `year[0].off[0]` is not a date of that year");
    }

    #[test]
    #[cfg(feature = "authoring")]
    fn ranges_and_years_in_any_order_overlapping_or_repeated() {
        let text = "[[year]]\nyear = 2027\n[[year]]\nyear = 2026\noff = [\"2026-10-03..2026-10-05\", \"2026-10-01..2026-10-04\", \"2026-10-02\"]\nwork = [\"2026-10-10\"]\n";
        let c = Calendar::from_toml(text).unwrap();
        for day in 1..=5 {
            assert!(!c.day(d(&format!("2026-10-0{day}"))).working, "October {day}");
        }
        assert!(c.day(d("2026-10-06")).working, "a plain Tuesday");
        assert!(c.day(d("2026-10-10")).working, "make-up Saturday");
        assert!(c.day(d("2027-06-01")).known);
        assert_eq!(c.years().collect::<Vec<_>>(), [2026, 2027]);
        let twice = Calendar::from_toml("[[year]]\nyear = 2026\n[[year]]\nyear = 2026\n").unwrap_err();
        assert!(matches!(twice, CalendarError::DuplicateYear { year: 2026 }), "{twice}");
    }
}
