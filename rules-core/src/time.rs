//! Civil time in Beijing (UTC+8), the clock every regulation counts in.
use std::fmt;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A moment in Beijing civil time (UTC+8), to the second.
///
/// Parsed from `2026-03-02`, `2026-03-02T09:30`, `2026-03-02 09:30:15`, or an RFC 3339 time
/// with an offset (`2026-03-02T01:30:00Z`), which is converted to UTC+8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(NaiveDateTime);

/// Why a time could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a time: expected `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` or RFC 3339 with an offset")]
pub struct TimeError {
    /// The text that was given.
    pub input: String,
}

const BEIJING_OFFSET_SECS: i64 = 8 * 3600;

impl Time {
    /// Reads a time; see the type docs for the accepted forms.
    pub fn parse(input: &str) -> Result<Self, TimeError> {
        let s = input.trim();
        let err = || TimeError { input: input.to_owned() };
        if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
            let utc = dt.naive_utc();
            return utc.checked_add_signed(Duration::seconds(BEIJING_OFFSET_SECS)).map(Time).ok_or_else(err);
        }
        for fmt in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
            if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
                return Ok(Time(t));
            }
        }
        NaiveDate::parse_from_str(s, "%Y-%m-%d").map(|d| Time(d.and_time(NaiveTime::MIN))).map_err(|_| err())
    }

    /// Beijing civil time of a Unix timestamp in milliseconds (as browsers give file and clock
    /// times), to the second; `None` outside the representable range.
    pub fn from_unix_millis(ms: i64) -> Option<Self> {
        let utc = DateTime::from_timestamp_millis(ms)?.naive_utc();
        let t = utc.checked_add_signed(Duration::seconds(BEIJING_OFFSET_SECS))?;
        t.with_nanosecond(0).map(Time)
    }

    /// The start (00:00) of a calendar day.
    pub fn start_of(date: NaiveDate) -> Self {
        Time(date.and_time(NaiveTime::MIN))
    }

    /// The calendar day this moment falls on.
    pub fn date(self) -> NaiveDate {
        self.0.date()
    }

    /// The underlying civil date-time.
    pub fn naive(self) -> NaiveDateTime {
        self.0
    }

    /// This moment plus a duration, or `None` past the representable range.
    pub fn checked_add(self, d: Duration) -> Option<Self> {
        self.0.checked_add_signed(d).map(Time)
    }

    /// The signed time from `earlier` to `self`.
    pub fn since(self, earlier: Time) -> Duration {
        self.0.signed_duration_since(earlier.0)
    }
}

impl Time {
    /// `YYYY-MM-DD`, written by hand: reports format many times and chrono's strftime
    /// machinery was a measurable share of evaluation.
    pub(crate) fn write_date(d: NaiveDate, f: &mut impl fmt::Write) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Time::write_date(self.0.date(), f)?;
        write!(f, " {:02}:{:02}", self.0.hour(), self.0.minute())
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = String::with_capacity(19);
        let _ = Time::write_date(self.0.date(), &mut out);
        let _ = fmt::Write::write_fmt(
            &mut out,
            format_args!("T{:02}:{:02}:{:02}", self.0.hour(), self.0.minute(), self.0.second()),
        );
        s.serialize_str(&out)
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Time::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Time {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Time".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "Beijing civil time: `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]`, or RFC 3339 with an offset (converted to UTC+8)",
            "examples": ["2026-03-02T09:30", "2026-03-02T01:30:00Z"]
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn unix_millis_are_beijing_time() {
        // 2026-03-02T01:30:15.999Z
        let t = super::Time::from_unix_millis(1_772_415_015_999).unwrap();
        assert_eq!(t, super::Time::parse("2026-03-02T09:30:15").unwrap());
        assert!(super::Time::from_unix_millis(i64::MAX).is_none());
    }

    use super::*;

    #[test]
    fn offsets_convert_to_beijing_time() {
        let t = Time::parse("2026-03-02T01:30:00Z").unwrap();
        assert_eq!(t.to_string(), "2026-03-02 09:30");
        let t = Time::parse("2026-03-02T09:30:00+08:00").unwrap();
        assert_eq!(t.to_string(), "2026-03-02 09:30");
    }

    #[test]
    fn serialises_as_iso_without_offset() {
        let t = Time::parse("2026-03-02 07:05:09").unwrap();
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"2026-03-02T07:05:09\"");
    }

    #[test]
    fn plain_forms_parse() {
        assert_eq!(Time::parse("2026-03-02").unwrap().to_string(), "2026-03-02 00:00");
        assert_eq!(Time::parse("2026-03-02 07:05").unwrap().to_string(), "2026-03-02 07:05");
        assert!(Time::parse("2026-13-02").is_err());
        assert!(Time::parse("昨天").is_err());
    }
}
