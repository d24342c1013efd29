//! Where in a JSON text a parse error sits, as a path such as `activities[2].records[0].media`.
//!
//! serde_json reports a line and column; officers and integrators need the field. The path is
//! recovered by scanning the text up to the error's position, so reading a case, config or log
//! needs no second, path-tracking deserializer (which would double the deserialization code in
//! the widget's wasm).

/// One level of nesting on the way to the error.
enum Frame<'a> {
    /// In an object: the key of the member being read, once its key is known.
    Object(Option<&'a str>),
    /// In an array: the place of the element being read, once one has started.
    Array(Option<usize>),
}

/// The path of the value at the position serde_json reported for `error` in `text`: the value
/// being read there, or the one that ended right there (serde reports a wrong value, or a
/// missing field, just after reading it). `(root)` for the whole document.
pub(crate) fn error_path(text: &str, error: &serde_json::Error) -> String {
    let syntax = error.classify() == serde_json::error::Category::Syntax;
    path_at(text, offset_of(text, error.line(), error.column()), syntax)
}

/// The byte offset of serde_json's `line` (1-based) and `column` (bytes into the line).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start =
        if line <= 1 { 0 } else { text.match_indices('\n').nth(line - 2).map_or(text.len(), |(i, _)| i + 1) };
    (line_start + column).min(text.len())
}

/// The path at byte `offset` of `text`. serde_json places a syntax error just past the byte it
/// could not take, and a data error (wrong type or value) just past the value or in front of it.
fn path_at(text: &str, offset: usize, syntax: bool) -> String {
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame<'_>> = Vec::new();
    // Where the last value ended, and where the last opening bracket did. When either is the
    // error's position, nothing was read after it, so the stack as it stands names that value
    // (an opened object or array adds no segment until its first member).
    let mut ended_at = None;
    let mut opened_at = None;
    let mut i = 0;
    while i < offset {
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'{' | b'[' => {
                start_value(&mut stack);
                i += 1;
                opened_at = Some(i);
                stack.push(if b == b'{' { Frame::Object(None) } else { Frame::Array(None) });
            }
            b'}' | b']' => {
                stack.pop();
                i += 1;
                ended_at = Some(i);
            }
            b'"' => {
                let end = string_end(bytes, i);
                let is_key = matches!(stack.last(), Some(Frame::Object(_))) && next_is_colon(bytes, end);
                if is_key {
                    let key = text.get(i + 1..end.saturating_sub(1)).unwrap_or("");
                    if let Some(Frame::Object(k)) = stack.last_mut() {
                        *k = Some(key);
                    }
                    i = end;
                    continue;
                }
                start_value(&mut stack);
                if end > offset {
                    // The error is inside this string.
                    break;
                }
                i = end;
                ended_at = Some(i);
            }
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                start_value(&mut stack);
                let end = bytes
                    .get(i..)
                    .and_then(|rest| {
                        rest.iter()
                            .position(|c| !matches!(c, b'-' | b'+' | b'.' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z'))
                    })
                    .map_or(bytes.len(), |n| i + n);
                if end > offset {
                    break;
                }
                i = end;
                ended_at = Some(i);
            }
            _ => i += 1,
        }
    }
    // A value of the wrong type, in front of which serde_json stopped: the error is about it.
    // (Unless the error is just past a value or, for a syntax error, just past a bracket.)
    let just_past = ended_at == Some(offset) || (syntax && opened_at == Some(offset));
    if !just_past
        && !syntax
        && matches!(bytes.get(offset), Some(b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'))
    {
        start_value(&mut stack);
    }
    render(&stack)
}

/// A value starts in the innermost container: an array moves to its next element.
fn start_value(stack: &mut [Frame<'_>]) {
    if let Some(Frame::Array(index)) = stack.last_mut() {
        *index = Some(index.map_or(0, |n| n + 1));
    }
}

/// The offset just past the string that starts at `start` (its opening quote).
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Whether the next non-blank byte after `at` is a colon (the string before it was a key).
fn next_is_colon(bytes: &[u8], at: usize) -> bool {
    bytes.get(at..).and_then(|rest| rest.iter().find(|b| !b.is_ascii_whitespace())) == Some(&b':')
}

/// The path of the value being read, `a.b[2].c`: every level with a key or an element
/// started; `(root)` for none.
fn render(stack: &[Frame<'_>]) -> String {
    let mut out = String::new();
    for frame in stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Frame::Array(Some(n)) => {
                out.push('[');
                out.push_str(&n.to_string());
                out.push(']');
            }
            Frame::Object(None) | Frame::Array(None) => {}
        }
    }
    if out.is_empty() {
        "(root)".to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::Value;

    use crate::{Case, Config};

    /// The location serde_path_to_error finds by tracking the deserializer the contracts are
    /// read with, as the reference.
    fn tracked<T: serde::de::DeserializeOwned>(text: &str) -> Option<String> {
        let de = &mut serde_json::Deserializer::from_str(text);
        match serde_path_to_error::deserialize::<_, T>(crate::json_reader::objects(de)) {
            Ok(_) => None,
            Err(e) => Some(match e.path().to_string() {
                p if p == "." => "(root)".to_owned(),
                p => p,
            }),
        }
    }

    fn scanned<T: serde::de::DeserializeOwned>(text: &str) -> Option<String> {
        crate::json_reader::from_str::<T>(text).err().map(|e| super::error_path(text, &e))
    }

    /// Every value's place in `v`, as a list of keys and indexes.
    fn places(v: &Value, at: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
        out.push(at.clone());
        match v {
            Value::Object(m) => m.iter().for_each(|(k, x)| {
                at.push(Value::from(k.as_str()));
                places(x, at, out);
                at.pop();
            }),
            Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| {
                at.push(Value::from(i));
                places(x, at, out);
                at.pop();
            }),
            _ => {}
        }
    }

    fn at_mut<'v>(v: &'v mut Value, place: &[Value]) -> &'v mut Value {
        place.iter().fold(v, |v, p| match p {
            Value::String(k) => &mut v[k.as_str()],
            _ => &mut v[p.as_u64().unwrap() as usize],
        })
    }

    /// Wrong values a host could send: a number for a string, a string for a number, a bad
    /// time, an unknown name, null, a list for an object, a member left out.
    fn mutate(v: &mut Value, place: &[Value], how: u8) {
        if how == 6 {
            // A member left out: a missing field.
            if let Some((Value::String(k), parent)) = place.split_last() {
                if let Value::Object(m) = at_mut(v, parent) {
                    m.remove(k.as_str());
                }
            }
            return;
        }
        let target = at_mut(v, place);
        *target = match how % 6 {
            0 => Value::from(7),
            1 => Value::from("x"),
            2 => Value::from("2026-13-45"),
            3 => Value::from("无此项"),
            4 => Value::Null,
            _ => Value::Array(vec![Value::from(true)]),
        };
    }

    fn samples() -> Vec<Value> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
        let mut out: Vec<Value> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| serde_json::from_str(&std::fs::read_to_string(e.unwrap().path()).unwrap()).unwrap())
            .collect();
        out.push(serde_json::from_str(include_str!("../../pkg/demo/agency-config.json")).unwrap());
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(600))]
        /// For any one wrong value in a real case or config, compact or pretty, the scanned
        /// location is the one a path-tracking deserializer reports.
        #[test]
        fn scanned_location_is_the_tracked_one(doc in 0usize..64, pick in any::<prop::sample::Index>(), how in 0u8..7, pretty in any::<bool>()) {
            let all = samples();
            let mut v = all[doc % all.len()].clone();
            let mut list = Vec::new();
            places(&v, &mut Vec::new(), &mut list);
            let place = pick.get(&list).clone();
            mutate(&mut v, &place, how);
            let text = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { v.to_string() };
            let is_config = doc % all.len() == all.len() - 1;
            if is_config {
                prop_assert_eq!(scanned::<Config>(&text), tracked::<Config>(&text), "{}", text);
            } else {
                prop_assert_eq!(scanned::<Case>(&text), tracked::<Case>(&text), "{}", text);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(600))]
        /// The reader the contracts go through gives what serde_json gives (the same value, or
        /// the same error at the same line and column) for any one wrong value in a real case
        /// or config, except a list where an object belongs, which it refuses as a whole.
        #[test]
        fn reader_agrees_with_serde_json(doc in 0usize..64, pick in any::<prop::sample::Index>(), how in 0u8..7, pretty in any::<bool>()) {
            let all = samples();
            let original = &all[doc % all.len()];
            let mut v = original.clone();
            let mut list = Vec::new();
            places(&v, &mut Vec::new(), &mut list);
            let place = pick.get(&list).clone();
            let was_object = at_mut(&mut original.clone(), &place).is_object();
            mutate(&mut v, &place, how);
            let text = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { v.to_string() };
            fn agree<T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str, list_for_object: bool) -> Result<(), TestCaseError> {
                let ours = crate::json_reader::from_str::<T>(text).map_err(|e| e.to_string());
                let theirs = serde_json::from_str::<T>(text).map_err(|e| e.to_string());
                if list_for_object {
                    prop_assert!(ours.as_ref().is_err_and(|e| e.starts_with("invalid type: sequence")), "{:?}", ours);
                } else {
                    prop_assert_eq!(ours, theirs, "{}", text);
                }
                Ok(())
            }
            let list_for_object = how == 5 && was_object;
            if doc % all.len() == all.len() - 1 {
                agree::<Config>(&text, list_for_object)?;
            } else {
                agree::<Case>(&text, list_for_object)?;
            }
        }
    }

    #[test]
    fn hostile_nesting_and_length_get_a_location() {
        // Deeper than serde_json's recursion limit: an error with a location, no stack overflow.
        let deep = format!("{{\"id\":\"c\",\"records\":{}", "[".repeat(100_000));
        let e = Case::from_json(&deep).unwrap_err().to_string();
        assert!(e.contains("at `records[0]"), "{e}");
        // A long list with the fault at its end.
        let mut long = String::from("{\"id\":\"c\",\"procedure\":\"ordinary\",\"flags\":[");
        for i in 0..200_000 {
            long.push_str(&format!("\"f{i}\","));
        }
        long.push_str("7]}");
        let e = Case::from_json(&long).unwrap_err().to_string();
        assert!(e.contains("at `flags[200000]`"), "{e}");
    }

    #[test]
    fn syntax_errors_name_the_value_being_read() {
        let text = "{\"id\":\"c\",\"records\":[{\"id\":\"r\",\"kind\":\"a\"},{\"id\":\"r2\",\"kind\":\"b\" \"x\"}]}";
        assert_eq!(scanned::<Case>(text).as_deref(), Some("records[1].kind"));
        // A list where the case's object belongs is wrong as a whole.
        assert_eq!(scanned::<Case>("[1,").as_deref(), Some("(root)"));
    }
}
