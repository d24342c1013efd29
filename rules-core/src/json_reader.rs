//! Reading the JSON contracts (case, config, log, the built-in packs) with structs read only
//! from JSON objects.
//!
//! serde_json reads a struct from an object or, positionally, from an array, and compiles both
//! paths into the reader of every struct type. No contract is written as arrays, and the
//! second path was about a sixth of the widget's wasm code for reading. This reader passes
//! every value to serde_json unchanged except structs, which it asks for as maps: the same
//! values, the same errors and positions for anything written as objects, and an array where
//! a struct belongs is an `invalid type: sequence, expected struct …` error.
//!
//! It also refuses a key given twice in a map (`facts`, a config's `rules`…), as serde's derive
//! refuses a struct field given twice: serde_json keeps the last one, so a second `filed` fact
//! would silently move a deadline.
use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

/// Reads a `T` from JSON `text`, as `serde_json::from_str` does, with structs read only from
/// JSON objects (see the module docs). Errors keep serde_json's line and column.
///
/// ```
/// let case: rules_core::Case = rules_core::json_from_str(r#"{"id": "A-1", "procedure": "simple"}"#)?;
/// assert_eq!(case.id, "A-1");
/// let err = rules_core::json_from_str::<rules_core::Case>(r#"["A-1"]"#).unwrap_err();
/// assert!(err.to_string().starts_with("invalid type: sequence, expected struct Case"));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = T::deserialize(objects(&mut de))?;
    de.end()?;
    Ok(value)
}

/// `text` without a UTF-8 byte order mark at its start, which spreadsheet programs and some
/// platforms' exports put before JSON and which is not JSON. Removed before reading, so that
/// error locations are found in the same text the reader saw.
pub(crate) fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// `d`, reading structs only from maps, and every value nested in them the same way.
pub(crate) fn objects<'de, D: Deserializer<'de>>(d: D) -> impl Deserializer<'de, Error = D::Error> {
    Objects(d)
}

/// A deserializer, or an access to a map, sequence or enum, whose nested values are read
/// through [`Objects`] too.
struct Objects<D>(D);

/// A visitor that hands what it is given on as [`Objects`], with what the members of a map it
/// is given are.
struct Visit<V>(V, Members);

/// What the members of a map are.
#[derive(Clone, Copy)]
enum Members {
    /// A struct's fields, which serde's derive checks for repeats itself (`duplicate field`).
    Fields,
    /// Keys of a map, each allowed once.
    Keys,
}

/// A map whose keys are checked for repeats unless they are a struct's fields.
struct Entries<A> {
    access: A,
    /// The keys read so far; `None` for a struct's fields.
    seen: Option<std::collections::BTreeSet<String>>,
}

/// A seed that reads its value through [`Objects`].
struct Seed<S>(S);

macro_rules! forward_deserialize {
    ($($method:ident),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
            self.0.$method(Visit(visitor, Members::Keys))
        }
    )*};
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Objects<D> {
    type Error = D::Error;

    forward_deserialize!(
        deserialize_any,
        deserialize_bool,
        deserialize_i8,
        deserialize_i16,
        deserialize_i32,
        deserialize_i64,
        deserialize_u8,
        deserialize_u16,
        deserialize_u32,
        deserialize_u64,
        deserialize_f32,
        deserialize_f64,
        deserialize_char,
        deserialize_str,
        deserialize_string,
        deserialize_bytes,
        deserialize_byte_buf,
        deserialize_option,
        deserialize_unit,
        deserialize_seq,
        deserialize_map,
        deserialize_identifier,
        deserialize_ignored_any,
    );

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, Visit(visitor, Members::Keys))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, Visit(visitor, Members::Keys))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Visit(visitor, Members::Keys))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, Visit(visitor, Members::Keys))
    }

    // The one change: a struct is read as a map, so its positional (array) reader is never
    // compiled in.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_map(Visit(visitor, Members::Fields))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, Visit(visitor, Members::Keys))
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

macro_rules! forward_visit {
    ($($method:ident: $ty:ty),* $(,)?) => {$(
        fn $method<E: de::Error>(self, v: $ty) -> Result<V::Value, E> {
            self.0.$method(v)
        }
    )*};
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Visit<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    forward_visit!(
        visit_bool: bool,
        visit_i8: i8,
        visit_i16: i16,
        visit_i32: i32,
        visit_i64: i64,
        visit_u8: u8,
        visit_u16: u16,
        visit_u32: u32,
        visit_u64: u64,
        visit_f32: f32,
        visit_f64: f64,
        visit_char: char,
        visit_str: &str,
        visit_borrowed_str: &'de str,
        visit_string: String,
        visit_bytes: &[u8],
        visit_borrowed_bytes: &'de [u8],
        visit_byte_buf: Vec<u8>,
    );

    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_some(Objects(d))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<V::Value, D::Error> {
        self.0.visit_newtype_struct(Objects(d))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        self.0.visit_seq(Objects(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let seen = match self.1 {
            Members::Fields => None,
            Members::Keys => Some(std::collections::BTreeSet::new()),
        };
        self.0.visit_map(Entries { access: map, seen })
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.0.visit_enum(Objects(data))
    }
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Objects(d))
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Objects<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Entries<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        let Some(seen) = &mut self.seen else {
            return self.access.next_key_seed(Seed(seed));
        };
        // A JSON key is a string: read as one, so that it can be compared, then handed to the
        // map's own key type. serde_json places the error just past the key, so its location
        // names it (`facts.filed`).
        let Some(key) = self.access.next_key::<String>()? else {
            return Ok(None);
        };
        if !seen.insert(key.clone()) {
            return Err(de::Error::custom(format_args!("duplicate key `{key}`")));
        }
        seed.deserialize(Objects(de::value::StringDeserializer::new(key))).map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.access.next_value_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.access.size_hint()
    }
}

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Objects<A> {
    type Error = A::Error;
    type Variant = Objects<A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<(T::Value, Self::Variant), A::Error> {
        self.0.variant_seed(Seed(seed)).map(|(value, variant)| (value, Objects(variant)))
    }
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Objects<A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Seed(seed))
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        self.0.tuple_variant(len, Visit(visitor, Members::Keys))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        self.0.struct_variant(fields, Visit(visitor, Members::Fields))
    }
}

#[cfg(test)]
mod tests {
    use crate::{Case, CaseLog, Config, LogEvent, PackVersion, SubmitAttempted};

    fn both<T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str) {
        let ours = super::from_str::<T>(text).map_err(|e| e.to_string());
        let theirs = serde_json::from_str::<T>(text).map_err(|e| e.to_string());
        assert_eq!(ours, theirs, "{text}");
    }

    #[test]
    fn reads_the_shipped_documents_as_serde_json_does() {
        let dirs = [
            concat!(env!("CARGO_MANIFEST_DIR"), "/samples"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/../pkg/demo/cases"),
        ];
        let mut n = 0;
        for dir in dirs {
            for entry in std::fs::read_dir(dir).unwrap() {
                let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
                both::<Case>(&text);
                n += 1;
            }
        }
        assert!(n >= 10, "{n} cases");
        both::<Config>(include_str!("../../pkg/demo/agency-config.json"));
        let mut log = CaseLog::new("长执罚〔2026〕12号");
        let at = crate::Time::parse("2026-03-02T09:00").unwrap();
        log.append(at, LogEvent::PackVersion(PackVersion { id: "changsha-zfj".into(), version: "2026.1".into() }));
        log.append(at, LogEvent::SubmitAttempted(SubmitAttempted { blocking: 1, warnings: 0 }));
        both::<CaseLog>(&log.to_json());
    }

    #[test]
    fn errors_keep_serde_json_s_message_and_position() {
        for text in [
            r#"{"id": 7}"#,
            "{\n  \"id\": \"c\",\n  \"records\": [{\"id\": \"r\", \"kind\": 1}]\n}",
            r#"{"id": "c", "activities": [{"id": "A1", "kind": "询问", "start": "2026-13-45"}]}"#,
            r#"{"id": "c", "procedure": "nonesuch"}"#,
            r#"{"id": "c", "records": [{"id": "r"}]}"#,
            r#"{"id": "c"} trailing"#,
            r#"{"id": "c", "#,
            r#"{"id": "c", "flags": ["a", 2]}"#,
        ] {
            both::<Case>(text);
        }
    }

    #[test]
    fn a_key_given_twice_in_a_map_is_an_error_naming_it() {
        // A second `filed` would otherwise count the case's time limits from 2099.
        let e = Case::from_json(r#"{"id": "c", "facts": {"filed": "2026-03-01", "filed": "2099-01-01"}}"#);
        let e = e.unwrap_err().to_string();
        assert!(e.starts_with("case is malformed at `facts.filed`: duplicate key `filed` at line 1"), "{e}");
        let rule = r#"{"severity": "warning", "reason": "r"}"#;
        for (text, location) in [
            (format!(r#"{{"rules": {{"a": {rule}, "b": {rule}, "a": {rule}}}}}"#), "rules.a"),
            (format!(r#"{{"procedures": {{"simple": {{"a": {rule}, "a": {rule}}}}}}}"#), "procedures.simple.a"),
            (format!(r#"{{"departments": {{"d": {{}}, "d": {{"a": {rule}}}}}}}"#), "departments.d"),
        ] {
            let e = Config::from_json(&text).unwrap_err().to_string();
            let key = location.rsplit('.').next().unwrap();
            assert!(e.starts_with(&format!("config is malformed at `{location}`: duplicate key `{key}`")), "{e}");
        }
        // A key written with an escape is the same key.
        let e = super::from_str::<Case>(r#"{"id": "c", "facts": {"filed": "2026-03-01", "fil\u0065d": "2026-03-02"}}"#);
        assert!(e.unwrap_err().to_string().starts_with("duplicate key `filed`"));
        // The same key in two maps, or once in each of two nested maps, is fine.
        let text =
            format!(r#"{{"rules": {{"a": {rule}}}, "procedures": {{"p": {{"a": {rule}}}, "q": {{"a": {rule}}}}}}}"#);
        let config = Config::from_json(&text).unwrap();
        assert_eq!(config.procedures.len(), 2);
        // A struct field given twice keeps serde's own message.
        let e = super::from_str::<Case>(r#"{"id": "c", "id": "d"}"#).unwrap_err().to_string();
        assert!(e.starts_with("duplicate field `id`"), "{e}");
    }

    #[test]
    fn a_list_where_an_object_belongs_is_an_error() {
        let e = super::from_str::<Case>(r#"["c"]"#).unwrap_err();
        assert!(e.to_string().starts_with("invalid type: sequence, expected struct Case"), "{e}");
        let e = Case::from_json(r#"["c"]"#).unwrap_err().to_string();
        assert!(e.contains("(root)"), "{e}");
        let e = super::from_str::<Case>(r#"{"id": "c", "records": [["r", "询问笔录"]]}"#).unwrap_err();
        assert!(e.to_string().starts_with("invalid type: sequence, expected struct Record"), "{e}");
    }
}
