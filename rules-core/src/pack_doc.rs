//! The pack authors' reference (`rules-core/docs/pack-reference.md`), generated from the JSON
//! Schema of `pack.toml` — so from the very types the loader reads and their doc comments — with
//! an example of each form taken from the built-in packs, so nobody has to read `rule.rs`.
use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use crate::pack::Pack;

/// The sections after the top-level and rule fields, in reading order.
const ORDER: [&str; 17] = [
    "Scope",
    "Cond",
    "Check",
    "RecordCheck",
    "SignatureCheck",
    "Within",
    "DeadlineCheck",
    "Extension",
    "OrderCheck",
    "Anchor",
    "ThisPoint",
    "Period",
    "Strength",
    "Severity",
    "ServiceMethod",
    "Named",
    "Exclusion",
];

/// Where each form is written in a rule, for the examples' left-hand side.
fn key_of(def: &str) -> &'static str {
    match def {
        "Scope" => "scope",
        "Cond" => "when",
        "Anchor" => "from",
        "ThisPoint" => "from",
        "Strength" => "strength",
        "Severity" => "severity",
        "Within" => "within",
        "ServiceMethod" => "scope",
        _ => "",
    }
}

/// A JSON value written as a TOML inline value.
fn toml_inline(v: &Value) -> String {
    match v {
        Value::Object(o) if o.is_empty() => "{}".to_owned(),
        Value::Object(o) => {
            let parts: Vec<String> = o.iter().map(|(k, v)| format!("{} = {}", toml_key(k), toml_inline(v))).collect();
            format!("{{ {} }}", parts.join(", "))
        }
        Value::Array(a) => format!("[{}]", a.iter().map(toml_inline).collect::<Vec<_>>().join(", ")),
        // A JSON string is a TOML basic string for the texts packs hold.
        other => other.to_string(),
    }
}

fn toml_key(k: &str) -> String {
    if !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        k.to_owned()
    } else {
        Value::String(k.to_owned()).to_string()
    }
}

/// The variant a serialized enum value is: its string, or its one key.
fn variant(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) if o.len() == 1 => o.keys().next().cloned(),
        _ => None,
    }
}

/// Examples: per definition, per variant, the shortest use in the built-in packs (then the
/// first in text order), so an edit elsewhere in a pack seldom changes the page.
#[derive(Default)]
struct Examples(BTreeMap<(String, String), String>);

impl Examples {
    fn offer(&mut self, def: &str, variant: String, example: String) {
        let slot = self.0.entry((def.to_owned(), variant)).or_insert_with(|| example.clone());
        if (example.chars().count(), &example) < (slot.chars().count(), &*slot) {
            *slot = example;
        }
    }

    fn cond(&mut self, key: &str, c: &Value) {
        if let Some(v) = variant(c) {
            self.offer("Cond", v, format!("{key} = {}", toml_inline(c)));
        }
        if let Value::Object(o) = c {
            for (k, inner) in o {
                match (k.as_str(), inner) {
                    ("all" | "any", Value::Array(a)) => a.iter().for_each(|c| self.cond(key, c)),
                    ("not", c) => self.cond(key, c),
                    _ => {}
                }
            }
        }
    }

    fn anchor(&mut self, key: &str, a: &Value) {
        if let Some(v) = variant(a) {
            self.offer("Anchor", v, format!("{key} = {}", toml_inline(a)));
        }
        if let Some(p) = a.get("this").and_then(Value::as_str) {
            self.offer("ThisPoint", p.to_owned(), format!("{key} = {}", toml_inline(a)));
        }
        if let Some(Value::Array(v)) = a.get("first_of") {
            v.iter().for_each(|a| self.anchor(key, a));
        }
    }

    fn rule(&mut self, r: &Value) {
        if let Some(s) = r.get("scope") {
            if let Some(v) = variant(s) {
                self.offer("Scope", v, format!("scope = {}", toml_inline(s)));
            }
            for m in s.get("service").and_then(Value::as_array).into_iter().flatten() {
                if let Some(v) = m.as_str() {
                    self.offer("ServiceMethod", v.to_owned(), format!("scope = {{ service = [{m}] }}"));
                }
            }
        }
        for k in ["strength", "severity"] {
            if let Some(v) = r.get(k).and_then(Value::as_str) {
                let def = if k == "strength" { "Strength" } else { "Severity" };
                self.offer(def, v.to_owned(), format!("{k} = \"{v}\""));
            }
        }
        if let Some(c) = r.get("when") {
            self.cond("when", c);
        }
        let Some(Value::Object(check)) = r.get("check") else { return };
        for (kind, body) in check {
            let Value::Object(fields) = body else { continue };
            // Fields left at their defaults are not written in the packs either.
            let written =
                fields.iter().filter(|(k, v)| **v != Value::Bool(false) && !(k.as_str() == "within" && *v == "auto"));
            let lines: Vec<String> = written.map(|(k, v)| format!("{} = {}", toml_key(k), toml_inline(v))).collect();
            self.offer("Check", kind.clone(), format!("[rule.check.{kind}]\n{}", lines.join("\n")));
            for (k, v) in fields {
                match k.as_str() {
                    "from" | "to" | "first" | "then" => self.anchor(k, v),
                    "extend" => {
                        if let Some(c) = v.get("when") {
                            self.cond("extend.when", c);
                        }
                        self.offer("Extension", "extend".into(), format!("extend = {}", toml_inline(v)));
                    }
                    "within" => {
                        if let Some(w) = v.as_str() {
                            self.offer("Within", w.to_owned(), format!("within = \"{w}\""));
                        }
                    }
                    "signatures" => {
                        self.offer("SignatureCheck", "signatures".into(), format!("signatures = {}", toml_inline(v)))
                    }
                    "period" | "min_gap" => {
                        if let Some(p) = v.as_str() {
                            let unit: String = p.chars().skip_while(char::is_ascii_digit).collect();
                            self.offer("Period", unit, format!("{k} = \"{p}\""));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

/// How a type is written, for the fields tables.
fn type_of(s: &Value) -> String {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("[{name}](#{})", name.to_lowercase());
    }
    if let Some(Value::Array(alts)) = s.get("anyOf") {
        let kinds: Vec<String> =
            alts.iter().filter(|a| a.get("type") != Some(&Value::from("null"))).map(type_of).collect();
        return kinds.join(" or ");
    }
    match s.get("type") {
        Some(Value::String(t)) if t == "array" => {
            format!("list of {}", s.get("items").map(type_of).unwrap_or_default())
        }
        Some(Value::String(t)) if t == "object" => match s.get("additionalProperties") {
            Some(v @ Value::Object(_)) => format!("table of name → {}", type_of(v)),
            _ => "table".to_owned(),
        },
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => {
            ts.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect::<Vec<_>>().join(" or ")
        }
        _ => String::new(),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

fn fields_table(out: &mut String, s: &Value) {
    let required: Vec<&str> =
        s.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
    let _ = writeln!(out, "| field | type | required | meaning |\n|---|---|---|---|");
    for (k, v) in s.get("properties").and_then(Value::as_object).into_iter().flatten() {
        let desc = v.get("description").and_then(Value::as_str).unwrap_or_default();
        let req = if required.contains(&k.as_str()) { "yes" } else { "no" };
        let _ = writeln!(out, "| `{k}` | {} | {req} | {} |", type_of(v), one_line(desc));
    }
    out.push('\n');
}

/// The reference page: every field of `pack.toml`, every form of scope, condition, check and
/// anchor, the period units and how each is counted, with an example of each from `packs`.
pub fn pack_reference_markdown(packs: &[Pack]) -> String {
    let schema = crate::pack_schema();
    let defs = schema.get("$defs").and_then(Value::as_object).cloned().unwrap_or_default();
    let mut ex = Examples::default();
    for p in packs {
        for r in &p.def.rules {
            if let Ok(v) = serde_json::to_value(r) {
                ex.rule(&v);
            }
        }
    }
    let mut out = String::new();
    out.push_str(
        "# pack.toml reference\n\n\
         Generated from the JSON Schema of `pack.toml` (`rules schema pack`), that is from the types \
         the loader reads and their doc comments, with examples from the built-in packs. Do not edit: \
         run `UPDATE_DOCS=1 cargo test -p tests --test packs` (a test fails when this page is stale).\n\n\
         ## Folders\n\n\
         Each pack is a folder under `rules-core/packs/`, named by the pack's `id`:\n\n\
         ```text\n\
         packs/<id>/pack.toml + source.txt                 one version\n\
         packs/<id>/<version>/pack.toml + source.txt       several versions, one folder each\n\
         ```\n\n\
         A version folder is named as its `version`; a pack folder holds a `pack.toml` or version folders, \
         not both. `source.txt` is the regulation text: every `quote` must stand verbatim, as whole clauses, \
         in the `article` it cites, and articles are the lines that start `第…条`. A case is checked under \
         the version whose `effective` day is the latest on or before the day it was opened (`filed`, \
         `accepted` or `opened`); two versions of one pack cannot share an `effective` day. Packs are found \
         from these folders at build time: nothing else to edit.\n\n",
    );
    out.push_str("## Top-level fields\n\n");
    fields_table(&mut out, &schema);
    out.push_str("## Rule fields (`[[rule]]`)\n\n");
    if let Some(rule) = defs.get("Rule") {
        if let Some(d) = rule.get("description").and_then(Value::as_str) {
            let _ = writeln!(out, "{}\n", one_line(d));
        }
        fields_table(&mut out, rule);
    }
    for name in ORDER {
        let Some(def) = defs.get(name) else { continue };
        let _ = writeln!(out, "## {name}\n");
        if let Some(d) = def.get("description").and_then(Value::as_str) {
            let _ = writeln!(out, "{}\n", d.trim());
        }
        if name == "Period" {
            period_section(&mut out, &ex);
            continue;
        }
        if def.get("properties").is_some() {
            fields_table(&mut out, def);
            if let Some(e) = ex.0.iter().find(|((d, _), _)| d == name).map(|(_, e)| e) {
                let _ = writeln!(out, "Example:\n\n```toml\n{e}\n```\n");
            }
            continue;
        }
        let alts = def.get("oneOf").or_else(|| def.get("anyOf")).and_then(Value::as_array).cloned().unwrap_or_default();
        for alt in alts {
            let names: Vec<String> = match (alt.get("const"), alt.get("enum"), alt.get("required")) {
                (Some(Value::String(c)), _, _) => vec![c.clone()],
                (_, Some(Value::Array(e)), _) => e.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
                (_, _, Some(Value::Array(r))) => r.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
                _ => continue,
            };
            let desc = alt.get("description").and_then(Value::as_str).map(one_line).unwrap_or_default();
            for n in names {
                let form = match alt.get("properties").and_then(|p| p.get(&n)) {
                    Some(inner) => format!("`{n}` ({})", type_of(inner)),
                    None => format!("`\"{n}\"`"),
                };
                let _ = writeln!(out, "- {form} — {desc}");
                match ex.0.get(&(name.to_owned(), n.clone())) {
                    Some(e) if e.contains('\n') => {
                        let _ = writeln!(out, "\n  ```toml\n  {}\n  ```\n", e.replace('\n', "\n  "));
                    }
                    Some(e) => {
                        let _ = writeln!(out, "  e.g. `{e}`");
                    }
                    None if !key_of(name).is_empty() => {
                        let _ = writeln!(out, "  (no built-in pack uses it yet)");
                    }
                    None => {}
                }
            }
        }
        out.push('\n');
    }
    out
}

/// The units, how each is counted, and a period of each from the packs.
fn period_section(out: &mut String, ex: &Examples) {
    let units = [
        ("h", "hours", "Exact hours from the triggering moment; holidays do not move them. The end is within the period (「以内…包括本数」): stored exactly 24 hours after is in time."),
        ("d", "days", "The start day is not counted (民法典 第二百零一条); the period ends at 24:00 of its last day; a last day that is a rest day moves to the next working day (第二百零三条)."),
        ("wd", "working days", "Working days of the holiday calendar (`rules-core/calendar/cn-holidays.toml`), where the law counts them (行政处罚法 第八十五条: its 二日、三日、五日、七日)."),
        ("mo", "months", "The last day is the same day of the month that many months on (the month's last day when it has no such day), to 24:00, moved past rest days as for days."),
        ("y", "years", "As months, in years."),
    ];
    let _ = writeln!(out, "| unit | counts | how | e.g. |\n|---|---|---|---|");
    for (u, name, how) in units {
        let e = ex.0.get(&("Period".to_owned(), u.to_owned())).map(|e| format!("`{e}`")).unwrap_or_default();
        let _ = writeln!(out, "| `{u}` | {name} | {how} | {e} |");
    }
    out.push_str(
        "\nTime a deadline does not count (`exclude`: 检测, 鉴定, 听证 …, kinds declared in \
         `excluded_kinds`) is added to the period where it falls after the period's start; a date \
         without a time is a whole day. `extend` adds a period when its condition holds.\n\n",
    );
}
