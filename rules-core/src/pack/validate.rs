//! Pack validation: every problem found, each with its location.
use std::collections::BTreeSet;

use super::Pack;
use crate::rule::{Anchor, Check, Cond, Rule, Scope, Severity, Strength};

/// All problems with a pack; empty when it is usable.
pub(super) fn problems(pack: &Pack) -> Vec<String> {
    let d = &pack.def;
    let mut out = Vec::new();
    if d.id.trim().is_empty() {
        out.push("`id` is empty".to_owned());
    }
    if let Some(e) = &d.effective {
        if crate::time::parse_date(e).is_none() {
            out.push(format!("effective: `{e}` is not a date (YYYY-MM-DD)"));
        }
    }
    dupes(d.steps.iter().map(|s| s.id.as_str()), "steps", &mut out);
    dupes(d.procedures.iter().map(|s| s.id.as_str()), "procedures", &mut out);
    dupes(d.rules.iter().map(|r| r.id.as_str()), "rule ids", &mut out);
    dupes(d.records.iter().map(String::as_str), "records", &mut out);
    dupes(d.activities.iter().map(String::as_str), "activities", &mut out);
    for (i, r) in d.rules.iter().enumerate() {
        let at = format!("rule[{i}] (`{}`)", r.id);
        rule_problems(pack, r, &at, &mut out);
    }
    let encoded: BTreeSet<&str> = d.rules.iter().map(|r| r.article.as_str()).collect();
    let mut seen = BTreeSet::new();
    for (i, e) in d.excluded.iter().enumerate() {
        let at = format!("excluded[{i}]");
        if pack.source.article(&e.article).is_none() {
            out.push(format!("{at}: article `{}` is not in the source text", e.article));
        }
        if encoded.contains(e.article.as_str()) {
            out.push(format!("{at}: article `{}` is both encoded and excluded", e.article));
        }
        if !seen.insert(e.article.as_str()) {
            out.push(format!("{at}: article `{}` is excluded twice", e.article));
        }
        if e.reason.trim().is_empty() {
            out.push(format!("{at}: exclusion of `{}` has no reason", e.article));
        }
    }
    for (i, c) in d.clauses.iter().enumerate() {
        let at = format!("clause[{i}]");
        match pack.source.article(&c.article) {
            None => out.push(format!("{at}: article `{}` is not in the source text", c.article)),
            Some(a) if c.text.trim().is_empty() || !a.text.contains(&c.text) => {
                out.push(format!("{at}.text: not found verbatim in {}: `{}`", c.article, c.text))
            }
            Some(_) => {}
        }
        for id in &c.rules {
            if !d.rules.iter().any(|r| &r.id == id) {
                out.push(format!("{at}.rules: unknown rule `{id}`"));
            }
        }
        match (c.rules.is_empty(), c.reason.as_deref().map(str::trim)) {
            (true, None | Some("")) => {
                out.push(format!("{at}: give the rules that encode the clause or the reason none can"))
            }
            (false, Some(_)) => out.push(format!("{at}: a clause is encoded (rules) or excluded (reason), not both")),
            _ => {}
        }
    }
    out
}

/// The least text a quote has: 「应」 or 「，」 cite nothing a reader could check.
const MIN_QUOTE_CHARS: usize = 4;

/// Characters of a quote that are text rather than punctuation or space.
fn text_chars(quote: &str) -> usize {
    quote.chars().filter(|c| c.is_alphanumeric()).count()
}

/// Whether `quote` stands somewhere in `text` as whole clauses: each end at the text's edge, at
/// punctuation or space, or at 以及 (which joins two clauses without a mark).
fn whole_clause(text: &str, quote: &str) -> bool {
    let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    text.match_indices(quote).any(|(i, _)| {
        let before = text.get(..i).unwrap_or_default();
        let after = text.get(i + quote.len()..).unwrap_or_default();
        (edge(before.chars().next_back())
            || edge(quote.chars().next())
            || before.ends_with("以及")
            || quote.starts_with("以及"))
            && (edge(after.chars().next()) || edge(quote.chars().next_back()) || after.starts_with("以及"))
    })
}

fn dupes<'a>(items: impl Iterator<Item = &'a str>, what: &str, out: &mut Vec<String>) {
    let mut seen = BTreeSet::new();
    for i in items {
        if !seen.insert(i) {
            out.push(format!("{what}: `{i}` is used twice"));
        }
    }
}

fn rule_problems(pack: &Pack, r: &Rule, at: &str, out: &mut Vec<String>) {
    let d = &pack.def;
    if r.id.trim().is_empty() || r.id.contains('@') {
        out.push(format!("{at}: id must be non-empty and must not contain `@`"));
    }
    for p in &r.procedures {
        if !d.procedures.iter().any(|x| &x.id == p) {
            out.push(format!("{at}.procedures: unknown procedure `{p}`"));
        }
    }
    if r.procedures.is_empty() {
        out.push(format!("{at}.procedures: empty"));
    }
    if !d.steps.iter().any(|s| s.id == r.step) {
        out.push(format!("{at}.step: unknown step `{}`", r.step));
    }
    match pack.source.article(&r.article) {
        None => out.push(format!("{at}.article: `{}` is not in the source text", r.article)),
        Some(a) if r.quote.trim().is_empty() || !a.text.contains(&r.quote) => {
            out.push(format!("{at}.quote: not found verbatim in {}: `{}`", r.article, r.quote))
        }
        Some(_) if text_chars(&r.quote) < MIN_QUOTE_CHARS => out.push(format!(
            "{at}.quote: `{}` is too short to be a quote: at least {MIN_QUOTE_CHARS} characters of text (汉字, letters, digits), a whole clause",
            r.quote
        )),
        Some(a) if !whole_clause(&a.text, &r.quote) => out.push(format!(
            "{at}.quote: `{}` starts or ends inside a clause of {}: quote whole clauses, from one punctuation mark (or 以及) to the next",
            r.quote, r.article
        )),
        Some(_) => {}
    }
    if r.strength == Strength::May && r.severity() == Severity::Blocking {
        out.push(format!("{at}.severity: a rule the text says may be done (可以) cannot be blocking"));
    }
    match (crate::rule::duty_word(&r.quote), r.strength, r.strength_override.as_deref()) {
        (Some(w), Strength::May, None) => out.push(format!(
            "{at}.strength: the quote says `{w}` but the rule is `may`: a duty cannot be optional unless `strength_override` says why (every report shows it)"
        )),
        (_, _, Some(o)) if o.trim().is_empty() => out.push(format!("{at}.strength_override: empty: say why")),
        (Some(_), Strength::May, Some(_)) | (_, _, None) => {}
        (_, _, Some(_)) => out.push(format!(
            "{at}.strength_override: nothing to override: only a `may` rule whose quote says 应当/应/必须/不得 takes one"
        )),
    }
    let mut refs = Refs::default();
    match &r.scope {
        Scope::Case | Scope::Service(_) => {}
        Scope::Activity(k) => refs.activities.extend(k.iter().cloned()),
        Scope::Record(k) | Scope::Media(k) => refs.records.extend(k.iter().cloned()),
    }
    if let Some(c) = &r.when {
        refs.cond(c);
    }
    match &r.check {
        Check::Record(c) => {
            refs.records.extend(c.kinds.iter().cloned());
            if c.kinds.is_empty() && !matches!(r.scope, Scope::Record(_)) {
                out.push(format!("{at}.check.record.kinds: empty outside a record scope"));
            }
        }
        Check::Deadline(c) => {
            refs.anchor(&c.from);
            refs.anchor(&c.to);
            refs.excluded.extend(c.exclude.iter().cloned());
            if let Some(e) = &c.extend {
                refs.cond(&e.when);
            }
        }
        Check::Order(c) => {
            refs.anchor(&c.first);
            refs.anchor(&c.then);
        }
    }
    // `record_after` counts from the start of a deadline; anywhere else it has nothing to count from.
    let misplaced = match &r.check {
        Check::Deadline(c) => record_after(&c.from),
        Check::Order(c) => record_after(&c.first) || record_after(&c.then),
        Check::Record(_) => false,
    };
    if misplaced {
        out.push(format!("{at}: `record_after` is only for the end (`to`) of a deadline"));
    }
    let known = |list: &[String], x: &str| list.iter().any(|k| k == x);
    for k in &refs.activities {
        if !known(&d.activities, k) {
            out.push(format!("{at}: unknown activity kind `{k}`"));
        }
    }
    for k in &refs.records {
        if !known(&d.records, k) {
            out.push(format!("{at}: unknown record kind `{k}`"));
        }
    }
    for k in &refs.flags {
        if !d.flags.contains_key(k) {
            out.push(format!("{at}: unknown flag `{k}`"));
        }
    }
    for k in &refs.facts {
        if !d.facts.contains_key(k) {
            out.push(format!("{at}: unknown fact `{k}`"));
        }
    }
    for k in &refs.excluded {
        if !known(&d.excluded_kinds, k) {
            out.push(format!("{at}: unknown excluded-period kind `{k}`"));
        }
    }
}

fn record_after(a: &Anchor) -> bool {
    match a {
        Anchor::RecordAfter(_) => true,
        Anchor::FirstOf(v) => v.iter().any(record_after),
        _ => false,
    }
}

#[derive(Default)]
struct Refs {
    activities: BTreeSet<String>,
    records: BTreeSet<String>,
    flags: BTreeSet<String>,
    facts: BTreeSet<String>,
    excluded: BTreeSet<String>,
}

impl Refs {
    fn cond(&mut self, c: &Cond) {
        match c {
            Cond::All(v) | Cond::Any(v) => v.iter().for_each(|c| self.cond(c)),
            Cond::Not(c) => self.cond(c),
            Cond::Flag(f) | Cond::ThisFlag(f) | Cond::AnyFlag(f) => {
                self.flags.insert(f.clone());
            }
            Cond::Activity(k) | Cond::ThisKind(k) => self.activities.extend(k.iter().cloned()),
            Cond::MultiPage | Cond::Refused(_) => {}
            Cond::Record(k) | Cond::Served(k) | Cond::ThisDocument(k) => self.records.extend(k.iter().cloned()),
            Cond::Fact(f) => {
                self.facts.insert(f.clone());
            }
        }
    }

    fn anchor(&mut self, a: &Anchor) {
        match a {
            Anchor::Fact(f) => {
                self.facts.insert(f.clone());
            }
            Anchor::ActivityStart(k) | Anchor::ActivityEnd(k) => self.activities.extend(k.iter().cloned()),
            Anchor::Record(k) | Anchor::RecordAfter(k) | Anchor::Served(k) => self.records.extend(k.iter().cloned()),
            Anchor::This(_) => {}
            Anchor::FirstOf(v) => v.iter().for_each(|a| self.anchor(a)),
        }
    }
}
