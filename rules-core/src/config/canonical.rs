//! Canonical JSON: object keys sorted, no insignificant whitespace. The fingerprint hashes this
//! text, so it must not depend on how the JSON library orders maps.
use serde_json::Value;

/// Writes `value` canonically.
pub(super) fn to_string(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

fn write(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            // Placed one by one rather than sorted: a config's maps are short, and the widget's
            // wasm then holds no sort for them.
            let mut keys: Vec<&String> = Vec::with_capacity(map.len());
            for k in map.keys() {
                let at = keys.binary_search(&k).unwrap_or_else(|at| at);
                keys.insert(at, k);
            }
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                if let Some(v) = map.get(k) {
                    write(v, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_are_sorted_at_every_depth() {
        let v: serde_json::Value = serde_json::from_str(r#"{ "b": [ {"y":1, "x":"é"} ], "a": null }"#).unwrap();
        assert_eq!(super::to_string(&v), r#"{"a":null,"b":[{"x":"é","y":1}]}"#);
    }
}
