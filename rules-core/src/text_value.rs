//! Values written as one JSON string (times, periods, override scopes), read through a visitor.
//!
//! Parsing inside `visit_str`, rather than after reading a `String`, lets serde_json report the
//! error right after the string itself, so the error's location names the field (see
//! `json_path`) instead of the object around it.
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, Error, Visitor};

/// Reads a string and turns it into `T` with `parse`; `expecting` describes the form.
pub(crate) fn deserialize<'de, D, T>(
    d: D,
    expecting: &'static str,
    parse: fn(&str) -> Result<T, String>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    d.deserialize_str(Parsed { expecting, parse, out: PhantomData })
}

struct Parsed<T> {
    expecting: &'static str,
    parse: fn(&str) -> Result<T, String>,
    out: PhantomData<T>,
}

impl<T> Visitor<'_> for Parsed<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<T, E> {
        (self.parse)(v).map_err(E::custom)
    }
}
