//! The report as JSON text, written directly rather than through serde's serializer: the same
//! text (a test holds them equal over every sample and scenario), several times faster where
//! code is built for size, as in the widget's wasm, which writes the report on every change.

use std::fmt::Write as _;

use super::{Finding, Gate, Item, PackRef, Report, RuleInfo, StepReport};

impl Report {
    /// The report as compact JSON, exactly as `serde_json::to_string` writes it.
    pub fn to_json(&self) -> String {
        let items: usize = self.steps.iter().map(|s| s.rows.len()).sum();
        // About what a checklist item and a rule take as JSON, so the text seldom grows.
        let mut w = Json(String::with_capacity(1024 + 400 * items + 300 * self.rules.len()));
        w.raw("{\"pack\":");
        w.pack(&self.pack);
        w.raw(",\"config\":{\"fingerprint\":");
        w.str(&self.config.fingerprint);
        let _ = write!(w.0, ",\"overrides\":{}}},\"case_id\":", self.config.overrides);
        w.str(&self.case_id);
        w.raw(",\"now\":\"");
        self.now.write_iso(&mut w.0);
        w.raw("\",\"steps\":[");
        for (n, s) in self.steps.iter().enumerate() {
            w.comma(n);
            w.step(s);
        }
        w.raw("],\"rules\":{");
        for (n, (id, rule)) in self.rules.iter().enumerate() {
            w.comma(n);
            w.str(id);
            w.raw(":");
            w.rule(rule);
        }
        w.raw("},\"findings\":[");
        for (n, f) in self.findings.iter().enumerate() {
            w.comma(n);
            w.finding(f);
        }
        w.raw("],\"gate\":");
        w.gate(&self.gate);
        w.raw(",\"notes\":");
        w.strs(self.notes.iter().map(String::as_str));
        w.raw("}");
        w.0
    }
}

struct Json(String);

impl Json {
    fn raw(&mut self, s: &str) {
        self.0.push_str(s);
    }

    fn comma(&mut self, n: usize) {
        if n > 0 {
            self.0.push(',');
        }
    }

    /// A JSON string, escaped as serde_json escapes it: `"` and `\`, the short forms of
    /// backspace, form feed, newline, carriage return and tab, `\u00xx` for other control
    /// characters; everything else as it is.
    fn str(&mut self, s: &str) {
        self.0.push('"');
        let bytes = s.as_bytes();
        let mut run = 0;
        while let Some(at) = next_escape(bytes, run) {
            self.0.push_str(s.get(run..at).unwrap_or_default());
            let b = bytes.get(at).copied().unwrap_or_default();
            match b {
                b'"' => self.0.push_str("\\\""),
                b'\\' => self.0.push_str("\\\\"),
                b'\n' => self.0.push_str("\\n"),
                b'\r' => self.0.push_str("\\r"),
                b'\t' => self.0.push_str("\\t"),
                0x08 => self.0.push_str("\\b"),
                0x0c => self.0.push_str("\\f"),
                _ => {
                    let _ = write!(self.0, "\\u{b:04x}");
                }
            }
            run = at + 1;
        }
        self.0.push_str(s.get(run..).unwrap_or_default());
        self.0.push('"');
    }

    fn strs<'a>(&mut self, v: impl Iterator<Item = &'a str>) {
        self.0.push('[');
        for (n, s) in v.enumerate() {
            self.comma(n);
            self.str(s);
        }
        self.0.push(']');
    }

    /// `,"name":` then the string.
    fn field(&mut self, name: &str, value: &str) {
        self.0.push_str(",\"");
        self.0.push_str(name);
        self.0.push_str("\":");
        self.str(value);
    }

    fn pack(&mut self, p: &PackRef) {
        self.raw("{\"id\":");
        self.str(&p.id);
        self.field("version", &p.version);
        self.field("agency", &p.agency);
        self.field("title", &p.title);
        if let Some(e) = &p.effective {
            self.field("effective", e);
        }
        if let Some(d) = &p.digest {
            self.field("digest", d);
        }
        self.raw("}");
    }

    fn step(&mut self, s: &StepReport) {
        self.raw("{\"id\":");
        self.str(&s.id);
        self.field("name", &s.name);
        self.raw(",\"items\":[");
        for (n, i) in s.items().enumerate() {
            self.comma(n);
            self.item(&i);
        }
        self.raw("]}");
    }

    fn item(&mut self, i: &Item<'_>) {
        self.raw("{\"key\":");
        self.str(i.key());
        self.field("rule", i.rule());
        self.field("target", i.target());
        self.field("status", i.status.code());
        self.field("strength", i.strength.code());
        self.field("severity", i.severity.code());
        if let Some(d) = i.due() {
            self.field("due", d);
        }
        if let Some(t) = &i.due_at {
            self.raw(",\"due_at\":\"");
            t.write_iso(&mut self.0);
            self.raw("\"");
        }
        let (sat, mis) = (i.satisfied_by(), i.missing());
        if !sat.is_empty() {
            self.raw(",\"satisfied_by\":");
            self.strs(sat.iter());
        }
        if !mis.is_empty() {
            self.raw(",\"missing\":");
            self.strs(mis.iter());
        }
        self.field("detail", i.detail());
        if let Some(w) = i.waived_by_config {
            self.field("waived_by_config", w);
        }
        self.raw("}");
    }

    fn rule(&mut self, r: &RuleInfo) {
        self.raw("{\"title\":");
        self.str(&r.title);
        self.raw(",\"citation\":{\"article\":");
        self.str(&r.citation.article);
        self.field("quote", &r.citation.quote);
        self.raw("}");
        if let Some(o) = &r.strength_override {
            self.field("strength_override", o);
        }
        self.raw("}");
    }

    fn finding(&mut self, f: &Finding) {
        self.raw("{\"key\":");
        self.str(f.key.as_str());
        if let Some(r) = f.rule() {
            self.field("rule", r);
        }
        self.field("severity", f.severity.code());
        self.field("status", f.status.code());
        self.field("message", f.message());
        if let Some(w) = &f.waived_by_config {
            self.field("waived_by_config", w);
        }
        self.raw("}");
    }

    fn gate(&mut self, g: &Gate) {
        self.raw(if g.allowed { "{\"allowed\":true,\"blocking\":" } else { "{\"allowed\":false,\"blocking\":" });
        self.strs(g.blocking.iter().map(|k| k.as_str()));
        self.raw(",\"warnings\":");
        self.strs(g.warnings.iter().map(|k| k.as_str()));
        self.raw("}");
    }
}

/// Where the next byte JSON escapes is, from `from` on. Report texts are mostly Chinese with
/// nothing to escape: eight bytes are tested at a time.
fn next_escape(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether any byte of `w` is below 0x20, a `"` or a `\`: the high bit of each byte of
    // `x - ONES * n` with `!x` marks the bytes of `x` below `n` (exact for n ≤ 0x80).
    let hit = |w: u64| {
        let quote = w ^ (ONES * u64::from(b'"'));
        let slash = w ^ (ONES * u64::from(b'\\'));
        let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x;
        (below(w, 0x20) | below(quote, 1) | below(slash, 1)) & HIGH != 0
    };
    let mut at = from;
    let rest = bytes.get(from..)?;
    let mut words = rest.chunks_exact(8);
    for chunk in &mut words {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        if hit(w) {
            break;
        }
        at += 8;
    }
    let tail = bytes.get(at..)?;
    tail.iter().position(|&b| b < 0x20 || b == b'"' || b == b'\\').map(|p| at + p)
}

#[cfg(test)]
mod tests {
    use super::Json;
    use crate::rule::{Severity, Strength};
    use crate::Status;

    /// The codes the writer uses are the names serde gives the variants.
    #[test]
    fn codes_are_serde_s_names() {
        let name = |v: serde_json::Value| v.as_str().unwrap_or_default().to_owned();
        for s in Status::ALL {
            assert_eq!(s.code(), name(serde_json::to_value(s).unwrap()));
        }
        for s in [Strength::Must, Strength::Conditional, Strength::May] {
            assert_eq!(s.code(), name(serde_json::to_value(s).unwrap()));
        }
        for s in [Severity::Blocking, Severity::Warning, Severity::Info] {
            assert_eq!(s.code(), name(serde_json::to_value(s).unwrap()));
        }
    }

    /// Every character that needs it is escaped as serde_json escapes it.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let all: String = (0u32..0x250).filter_map(char::from_u32).chain("《》“”\u{2028}\u{7f}".chars()).collect();
        let cases = [
            all.as_str(),
            "",
            "plain",
            "\"\\",
            "a\nb\tc\u{1}",
            "中文\"引号\"",
            "01234567\"89abcdef",
            "0123456789abcde\\",
            "《现场检查(勘验)笔录》\u{1f}",
            "abcdefgh\u{1}",
            "第四十一条 音像记录应当在24小时内存储",
        ];
        for s in cases {
            let mut w = Json(String::new());
            w.str(s);
            assert_eq!(w.0, serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    proptest::proptest! {
        /// Any text at all, as serde_json writes it.
        #[test]
        fn any_string_is_written_as_serde_json_writes_it(s in "(?s).{0,64}") {
            let mut w = Json(String::new());
            w.str(&s);
            proptest::prop_assert_eq!(w.0, serde_json::to_string(&s).unwrap());
        }
    }
}
