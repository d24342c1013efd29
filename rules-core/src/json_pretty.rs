//! Pretty JSON for files people open (an exported config or case log), written from compact
//! JSON text.
//!
//! serde_json's pretty printer is a second serializer, compiled into the widget's wasm for
//! every type it writes. The contracts are written compactly anyway (storage, hashing), so the
//! pretty form is made from that text: the same output as `serde_json::to_string_pretty`, with
//! no code per type.

/// `compact` (JSON as `serde_json::to_string` writes it: no whitespace outside strings) laid
/// out as `serde_json::to_string_pretty` lays it out: two-space indents, `": "` after keys,
/// `[]` and `{}` when empty, no newline at the end.
pub(crate) fn pretty(compact: &str) -> String {
    let bytes = compact.as_bytes();
    let mut out = String::with_capacity(compact.len() + compact.len() / 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    // Start of the run of bytes not yet copied; runs end at ASCII bytes, so slices stay on
    // character boundaries.
    let mut from = 0;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' | b'}' | b']' | b',' | b':' => {
                out.push_str(compact.get(from..i).unwrap_or_default());
                match b {
                    b'{' | b'[' if matches!(bytes.get(i + 1), Some(b'}' | b']')) => {
                        out.push(b as char);
                        out.push(if b == b'{' { '}' } else { ']' });
                        i += 1;
                    }
                    b'{' | b'[' => {
                        out.push(b as char);
                        depth += 1;
                        newline(&mut out, depth);
                    }
                    b'}' | b']' => {
                        depth = depth.saturating_sub(1);
                        newline(&mut out, depth);
                        out.push(b as char);
                    }
                    b',' => {
                        out.push(',');
                        newline(&mut out, depth);
                    }
                    _ => out.push_str(": "),
                }
                from = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push_str(compact.get(from..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::{json, Value};

    fn same(v: &Value) {
        assert_eq!(super::pretty(&v.to_string()), serde_json::to_string_pretty(v).unwrap(), "{v}");
    }

    #[test]
    fn lays_out_as_serde_json_does() {
        same(&json!({}));
        same(&json!([]));
        same(&json!("a"));
        same(&json!(7));
        same(&json!({"a": [], "b": {}, "c": [1, {"d": null, "e": [true, false]}], "f": "x"}));
        same(&json!({"quote\"{[,:]}": "a\\\"b,c:d{e}[f]", "中文": "送达回证\n第二行", "\\": "\\\\"}));
        same(&json!([[[]], [{}], [[1, 2], []]]));
    }

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            ".*".prop_map(Value::from),
            "[\\[\\]{}:,\"\\\\ a中]{0,8}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
                prop::collection::btree_map(".{0,6}", inner, 0..6).prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn any_value_lays_out_as_serde_json_does(v in value()) {
            prop_assert_eq!(super::pretty(&v.to_string()), serde_json::to_string_pretty(&v).unwrap());
        }
    }
}
