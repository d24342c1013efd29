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
#[error("`{input}` is not a time: {reason}")]
pub struct TimeError {
    /// The text that was given.
    pub input: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

const SYNTAX: &str = "expected `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` or RFC 3339 with an offset";
const OUT_OF_RANGE: &str =
    "outside the years 0001–9999 in Beijing time (there is no year 0; an offset may move a time across a year)";
const LEAP_SECOND: &str = "a leap second (`:60`) cannot be placed in Beijing civil time; give `:59` or the next minute";

/// Whether a civil time lies in the years 0001–9999, the times a case can mean and the form
/// `YYYY-MM-DD` can write back (a year 0 or 10000 was accepted, and printed in a form the
/// reader refuses).
pub(crate) fn in_range(t: NaiveDateTime) -> bool {
    (1..=9999).contains(&t.year())
}

const BEIJING_OFFSET_SECS: i64 = 8 * 3600;

impl Time {
    /// Reads a time; see the type docs for the accepted forms.
    pub fn parse(input: &str) -> Result<Self, TimeError> {
        let s = input.trim();
        let err = |reason| TimeError { input: input.to_owned(), reason };
        // Civil time first: cases give hundreds of times, nearly all civil, and the two forms
        // never overlap (RFC 3339 always has seconds and an offset, civil time never an offset).
        if let Some(t) = civil(s) {
            return if in_range(t) { Ok(Time(t)) } else { Err(err(OUT_OF_RANGE)) };
        }
        let dt = DateTime::parse_from_rfc3339(s).map_err(|_| err(SYNTAX))?;
        // chrono keeps a leap second as a nanosecond count past one second.
        if dt.nanosecond() >= 1_000_000_000 {
            return Err(err(LEAP_SECOND));
        }
        let t = dt.naive_utc().checked_add_signed(Duration::seconds(BEIJING_OFFSET_SECS)).ok_or(err(OUT_OF_RANGE))?;
        // To the second, as every other time: a fraction would decide comparisons the
        // reports cannot show.
        let t = t.with_nanosecond(0).ok_or(err(SYNTAX))?;
        if in_range(t) {
            Ok(Time(t))
        } else {
            Err(err(OUT_OF_RANGE))
        }
    }

    /// Beijing civil time of a Unix timestamp in milliseconds (as browsers give file and clock
    /// times), to the second; `None` outside the representable range.
    pub fn from_unix_millis(ms: i64) -> Option<Self> {
        let utc = DateTime::from_timestamp_millis(ms)?.naive_utc();
        let t = utc.checked_add_signed(Duration::seconds(BEIJING_OFFSET_SECS))?;
        t.with_nanosecond(0).filter(|t| in_range(*t)).map(Time)
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

/// `YYYY-MM-DD`, with `THH:MM[:SS]` or ` HH:MM[:SS]` after it. Read by hand rather than
/// with chrono's format strings: those bring a format-string interpreter into the widget's wasm
/// for five fixed layouts.
fn civil(s: &str) -> Option<NaiveDateTime> {
    let (date, time) = match s.get(10..11) {
        None => (s, None),
        Some("T" | " ") => (s.get(..10)?, Some(s.get(11..)?)),
        Some(_) => return None,
    };
    let date = parse_date(date)?;
    let time = match time {
        None => NaiveTime::MIN,
        // `HH:MM` or `HH:MM:SS`, read at fixed places: a case gives hundreds of times.
        Some(t) => {
            let b = t.as_bytes();
            let sec = match b.len() {
                5 => 0,
                8 if b.get(5) == Some(&b':') => digits(b.get(6..8)?)?,
                _ => return None,
            };
            if b.get(2) != Some(&b':') {
                return None;
            }
            NaiveTime::from_hms_opt(digits(b.get(..2)?)?, digits(b.get(3..5)?)?, sec)?
        }
    };
    Some(date.and_time(time))
}

/// A `YYYY-MM-DD` date, or `None`.
pub(crate) fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let y = digits(b.get(..4)?)?;
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, digits(b.get(5..7)?)?, digits(b.get(8..)?)?)
}

/// ASCII digits as a number (at most four of them here), or `None` if any is not a digit.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
}

impl Time {
    /// `YYYY-MM-DD`, written by hand: reports format many times and chrono's strftime
    /// machinery was a measurable share of evaluation.
    pub(crate) fn write_date(d: NaiveDate, f: &mut impl fmt::Write) -> fmt::Result {
        match date_digits(d) {
            Some(b) => f.write_str(std::str::from_utf8(&b).unwrap_or("????-??-??")),
            // Years outside 0–9999 keep the general form (sign and all digits).
            None => write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
        }
    }

    /// Writes the time as JSON has it: `2026-03-02T09:30:00`.
    pub(crate) fn write_iso(&self, out: &mut String) {
        let _ = Time::write_date(self.0.date(), out);
        let mut b = *b"T00:00:00";
        put_digits(&mut b, 1, self.0.hour(), 2);
        put_digits(&mut b, 4, self.0.minute(), 2);
        put_digits(&mut b, 7, self.0.second(), 2);
        out.push_str(std::str::from_utf8(&b).unwrap_or("T??:??:??"));
    }
}

/// `YYYY-MM-DD` as ASCII bytes, for years 0–9999.
fn date_digits(d: NaiveDate) -> Option<[u8; 10]> {
    let y = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
    let mut b = *b"0000-00-00";
    put_digits(&mut b, 0, y, 4);
    put_digits(&mut b, 5, d.month(), 2);
    put_digits(&mut b, 8, d.day(), 2);
    Some(b)
}

impl Time {
    /// Appends the [`Display`](fmt::Display) form (`YYYY-MM-DD HH:MM`) as bytes, without the
    /// formatting machinery: a report writes hundreds of times.
    pub(crate) fn write_bytes(self, out: &mut Vec<u8>) {
        match u32::try_from(self.0.year()) {
            Ok(y) if y <= 9999 => {
                let mut b = *b"0000-00-00 00:00";
                put_digits(&mut b, 0, y, 4);
                put_digits(&mut b, 5, self.0.month(), 2);
                put_digits(&mut b, 8, self.0.day(), 2);
                put_digits(&mut b, 11, self.0.hour(), 2);
                put_digits(&mut b, 14, self.0.minute(), 2);
                out.extend_from_slice(&b);
            }
            _ => out.extend_from_slice(self.to_string().as_bytes()),
        }
    }

    /// Appends `YYYY-MM-DD` as [`Time::write_date`] writes it, as bytes.
    pub(crate) fn write_date_bytes(d: NaiveDate, out: &mut Vec<u8>) {
        match date_digits(d) {
            Some(b) => out.extend_from_slice(&b),
            None => {
                let mut s = String::new();
                let _ = Time::write_date(d, &mut s);
                out.extend_from_slice(s.as_bytes());
            }
        }
    }
}

/// A time written with its seconds, `YYYY-MM-DD HH:MM:SS` (see [`Time::seconds`]).
#[derive(Debug, Clone, Copy)]
pub struct WithSeconds(Time);

impl Time {
    /// This time written with its seconds, for messages where seconds matter.
    pub fn seconds(self) -> WithSeconds {
        WithSeconds(self)
    }

    /// Whether both times fall in the same minute, so that written to the minute, as
    /// [`Display`](fmt::Display) does, they would read alike (「存储于10:30，已超过期限10:30」
    /// hid an item 30 s late): messages then write the seconds.
    pub fn same_minute(self, other: Time) -> bool {
        self.0.date() == other.0.date() && self.0.hour() == other.0.hour() && self.0.minute() == other.0.minute()
    }
}

impl fmt::Display for WithSeconds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.0)?;
        let mut b = *b"00";
        put_digits(&mut b, 0, self.0 .0.second(), 2);
        f.write_str(std::str::from_utf8(&b).unwrap_or("??"))
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Time::write_date(self.0.date(), f)?;
        let (h, m) = (self.0.hour(), self.0.minute());
        let mut b = *b" 00:00";
        put_digits(&mut b, 1, h, 2);
        put_digits(&mut b, 4, m, 2);
        f.write_str(std::str::from_utf8(&b).unwrap_or(" ??:??"))
    }
}

/// Writes the last `len` decimal digits of `n` into `buf` from `at`, zero-padded; positions
/// outside `buf` are skipped. By hand: every report writes hundreds of times, and the general
/// padded-integer formatting was a visible share of evaluation.
fn put_digits(buf: &mut [u8], at: usize, mut n: u32, len: usize) {
    for i in (0..len).rev() {
        if let Some(c) = buf.get_mut(at + i) {
            // `n % 10` is a single digit, so the cast cannot truncate.
            *c = b'0' + (n % 10) as u8;
        }
        n /= 10;
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = String::with_capacity(19);
        self.write_iso(&mut out);
        s.serialize_str(&out)
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::text_value::deserialize(d, "a time such as `2026-03-02T09:30`", |s| {
            Time::parse(s).map_err(|e| e.to_string())
        })
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
    /// The reading by splitting on separators that fixed-place reading replaced: the two
    /// must accept the same strings and agree on them.
    fn civil_by_split(s: &str) -> Option<NaiveDateTime> {
        let digits = |s: &str, len: usize| {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse::<u32>().ok()).flatten()
        };
        let (date, time) = match s.get(10..11) {
            None => (s, None),
            Some("T" | " ") => (s.get(..10)?, Some(s.get(11..)?)),
            Some(_) => return None,
        };
        let mut p = date.split('-');
        let (y, m, d) = (digits(p.next()?, 4)?, digits(p.next()?, 2)?, digits(p.next()?, 2)?);
        if p.next().is_some() {
            return None;
        }
        let date = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)?;
        let time = match time {
            None => NaiveTime::MIN,
            Some(t) => {
                let mut p = t.split(':');
                let (h, m) = (digits(p.next()?, 2)?, digits(p.next()?, 2)?);
                let sec = p.next().map_or(Some(0), |x| digits(x, 2))?;
                if p.next().is_some() {
                    return None;
                }
                NaiveTime::from_hms_opt(h, m, sec)?
            }
        };
        Some(date.and_time(time))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        #[test]
        fn fixed_place_reading_agrees_with_splitting(s in "[0-9]{0,5}[-:T ]?[0-9]{0,3}[-:T ]?[0-9]{0,3}[-:T ]?[0-9]{0,3}[-: ]?[0-9]{0,3}[-:]?[0-9]{0,3}") {
            proptest::prop_assert_eq!(civil(&s), civil_by_split(&s), "{:?}", s);
        }

        #[test]
        fn well_formed_times_agree(y in 0u32..10000, mo in 0u32..14, d in 0u32..33, h in 0u32..26, mi in 0u32..62, se in 0u32..62, form in 0u8..4) {
            let s = match form {
                0 => format!("{y:04}-{mo:02}-{d:02}"),
                1 => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}"),
                2 => format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{se:02}"),
                _ => format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{se:02}:"),
            };
            proptest::prop_assert_eq!(civil(&s), civil_by_split(&s), "{:?}", s);
        }

        /// Whatever the reader accepts, in any form and offset, is written in a form it reads
        /// back to the same moment (a time moved to the year 10000 by its offset was written
        /// `10000-01-01T…` and refused when read again).
        #[test]
        fn accepted_times_are_written_back_readable(y in proptest::prop_oneof![0i32..3, 9998i32..10_000, 0i32..10_000], mo in proptest::prop_oneof![1u32..13, proptest::strategy::Just(1), proptest::strategy::Just(12)], d in proptest::prop_oneof![1u32..32, proptest::strategy::Just(1), proptest::strategy::Just(31)], h in 0u32..24, mi in 0u32..60, se in 0u32..61, oh in -14i32..15, om in 0u32..60, frac in proptest::option::of(0u32..1_000_000_000)) {
            let frac = frac.map(|f| format!(".{f:09}")).unwrap_or_default();
            let sign = if oh < 0 { '-' } else { '+' };
            let s = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{se:02}{frac}{sign}{:02}:{om:02}", oh.abs());
            if let Ok(t) = Time::parse(&s) {
                let mut iso = String::new();
                t.write_iso(&mut iso);
                proptest::prop_assert_eq!(Time::parse(&iso), Ok(t), "{} → {}", s, iso);
                proptest::prop_assert_eq!(Time::parse(&t.to_string()).map(|x| x.date()), Ok(t.date()));
            }
        }
    }

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

    /// Issue 24: times that cannot be true were accepted, some printed in a form the reader
    /// then refused.
    #[test]
    fn impossible_times_are_refused_with_the_reason() {
        for (input, reason) in [
            ("0000-01-01", OUT_OF_RANGE),
            ("0000-06-30T12:00", OUT_OF_RANGE),
            // An offset moving a time to year −1 or 10000.
            ("0000-01-01T00:00:00+08:01", OUT_OF_RANGE),
            ("0001-01-01T05:00:00+14:00", OUT_OF_RANGE),
            ("9999-12-31T16:00:00Z", OUT_OF_RANGE),
            ("9999-12-31T23:59:59-05:00", OUT_OF_RANGE),
            ("2016-12-31T15:59:60Z", LEAP_SECOND),
            ("2026-03-02T09:30:60+08:00", LEAP_SECOND),
            ("2026-03-02T09:30:60", SYNTAX),
        ] {
            let e = Time::parse(input).unwrap_err();
            assert_eq!(e.reason, reason, "{input}");
            assert!(e.to_string().starts_with(&format!("`{input}` is not a time: ")), "{e}");
        }
        // The edges themselves are times, and what is printed reads back.
        for ok in ["0001-01-01", "0001-01-01T08:00:00+00:00", "9999-12-31T23:59:59", "9999-12-31T15:59:59Z"] {
            let t = Time::parse(ok).unwrap();
            let mut iso = String::new();
            t.write_iso(&mut iso);
            assert_eq!(Time::parse(&iso).unwrap(), t, "{ok} → {iso}");
        }
        assert!(Time::from_unix_millis(253_402_300_800_000).is_none(), "10000-01-01 UTC");
    }

    #[test]
    fn fractions_of_a_second_are_dropped() {
        assert_eq!(Time::parse("2026-03-02T01:30:15.999Z").unwrap(), Time::parse("2026-03-02T09:30:15").unwrap());
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
        assert_eq!(Time::parse("2026-03-02T07:05:09").unwrap(), Time::parse("2026-03-02 07:05:09").unwrap());
        for bad in
            ["2026-3-2", "2026-02-29", "2026-03-02T9:30", "2026-03-02T09", "2026-03-02T24:00", "2026-03-02X09:30"]
        {
            assert!(Time::parse(bad).is_err(), "{bad}");
        }
        assert!(Time::parse("2028-02-29").is_ok(), "leap day");
    }
}
