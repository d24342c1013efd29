//! Pack validation: every problem found, each with its location.
use std::collections::{BTreeMap, BTreeSet};

use super::Pack;
use crate::rule::{Anchor, Check, Cond, Rule, Scope, Severity, Strength};

/// All problems with a pack; empty when it is usable. `toml`, the text the pack was read from,
/// gives each rule's line, so a problem reads `pack.toml line 1220, rule[97] (`41-av-stored-24h`)…`.
pub(super) fn problems(pack: &Pack, toml: &str) -> Vec<String> {
    let lines = rule_lines(toml);
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
        let line = lines.get(i).map(|n| format!("pack.toml line {n}, ")).unwrap_or_default();
        let at = format!("{line}rule[{i}] (`{}`)", r.id);
        rule_problems(pack, r, &at, &mut out);
    }
    let encoded: BTreeSet<&str> = d.rules.iter().map(|r| r.article.as_str()).collect();
    let mut seen = BTreeSet::new();
    let excluded_lines = table_lines(toml, "[[excluded]]");
    for (i, e) in d.excluded.iter().enumerate() {
        let line = excluded_lines.get(i).map(|n| format!("pack.toml line {n}, ")).unwrap_or_default();
        let at = format!("{line}excluded[{i}]");
        if pack.source.article(&e.article).is_none() {
            out.push(format!(
                "{at}: article `{}` is not in the source text{}",
                e.article,
                numbering_hint(pack, &e.article)
            ));
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
        None => out.push(format!(
            "{at}.article: `{}` is not in the source text{}",
            r.article,
            numbering_hint(pack, &r.article)
        )),
        Some(a) if r.quote.trim().is_empty() || !a.text.contains(&r.quote) => out.push(format!(
            "{at}.quote: not found verbatim in {}: `{}`{}",
            r.article,
            r.quote,
            quote_hint(pack, &a.text, &r.article, &r.quote)
        )),
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
    let mut refs = Refs { field: "scope", ..Refs::default() };
    match &r.scope {
        Scope::Case | Scope::Service(_) => {}
        Scope::Activity(k) => refs.activities(k),
        Scope::Record(k) | Scope::Media(k) => refs.records(k),
    }
    if let Some(c) = &r.when {
        refs.field = "when";
        refs.cond(c);
    }
    match &r.check {
        Check::Record(c) => {
            refs.field = "check.record.kinds";
            refs.records(&c.kinds);
            if c.kinds.is_empty() && !matches!(r.scope, Scope::Record(_)) {
                out.push(format!("{at}.check.record.kinds: empty outside a record scope"));
            }
        }
        Check::Deadline(c) => {
            refs.field = "check.deadline.from";
            refs.anchor(&c.from);
            refs.field = "check.deadline.to";
            refs.anchor(&c.to);
            refs.field = "check.deadline.exclude";
            for k in &c.exclude {
                refs.excluded.entry(k.clone()).or_insert(refs.field);
            }
            if let Some(e) = &c.extend {
                refs.field = "check.deadline.extend.when";
                refs.cond(&e.when);
            }
        }
        Check::Order(c) => {
            refs.field = "check.order.first";
            refs.anchor(&c.first);
            refs.field = "check.order.then";
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
    let declared: [Declared<'_>; 5] = [
        ("activity kind", &refs.activities, names(&d.activities), "`activities = [...]` at the top of pack.toml"),
        ("record kind", &refs.records, names(&d.records), "`records = [...]` at the top of pack.toml"),
        (
            "flag",
            &refs.flags,
            d.flags.keys().map(String::as_str).collect(),
            "`[flags]` of pack.toml, with what it means (`name = \"说明\"`)",
        ),
        (
            "fact",
            &refs.facts,
            d.facts.keys().map(String::as_str).collect(),
            "`[facts]` of pack.toml, with what it means (`name = \"说明\"`)",
        ),
        (
            "excluded-period kind",
            &refs.excluded,
            names(&d.excluded_kinds),
            "`excluded_kinds = [...]` at the top of pack.toml",
        ),
    ];
    for (what, used, known, place) in declared {
        for (k, field) in used {
            if !known.contains(&k.as_str()) {
                let near = closest(k, &known);
                let near = if near.is_empty() {
                    String::new()
                } else {
                    format!(" (closest: {})", near.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "))
                };
                out.push(format!("{at}.{field}: unknown {what} `{k}`{near}; a new one is declared in {place}"));
            }
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

/// A sort of name: what it is called, the names a rule uses (with their fields), the names the
/// pack declares, and where a new one is declared.
type Declared<'a> = (&'a str, &'a BTreeMap<String, &'a str>, Vec<&'a str>, &'a str);

fn names(list: &[String]) -> Vec<&str> {
    list.iter().map(String::as_str).collect()
}

/// Up to three known names nearest `word` (a typo, another width of a character), best first.
fn closest<'a>(word: &str, known: &[&'a str]) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = known
        .iter()
        .map(|k| (strsim::normalized_damerau_levenshtein(word, k), *k))
        .filter(|(s, _)| *s >= 0.4)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(3).map(|(_, k)| k).collect()
}

/// The line (1-based) of each `[[rule]]` of a pack.toml, in order: the i-th is rule i.
fn rule_lines(toml: &str) -> Vec<usize> {
    table_lines(toml, "[[rule]]")
}

/// The line (1-based) of each `header` (`[[rule]]`, `[[excluded]]`) of a pack.toml, in order.
fn table_lines(toml: &str, header: &str) -> Vec<usize> {
    toml.lines().enumerate().filter(|(_, l)| l.trim() == header).map(|(i, _)| i + 1).collect()
}

/// How to write an article the text lacks: the way the text numbers its articles, and the
/// article meant when only the numerals differ (`第24条` for a text writing `第二十四条`).
fn numbering_hint(pack: &Pack, label: &str) -> String {
    let arts = &pack.source.articles;
    let (Some(first), Some(last)) = (arts.first(), arts.last()) else {
        return " (the source text has no article headings `第…条` at the start of a line)".to_owned();
    };
    let number = label.strip_prefix('第').and_then(|r| r.strip_suffix('条')).and_then(article_number);
    let meant = number.and_then(|n| {
        arts.iter()
            .find(|a| a.label.strip_prefix('第').and_then(|r| r.strip_suffix('条')).and_then(article_number) == Some(n))
    });
    let mut hint =
        format!(" (the text numbers its articles `{}` … `{}`, {} in all", first.label, last.label, arts.len());
    if let Some(a) = meant {
        hint.push_str(&format!("; write `{}`", a.label));
    }
    hint.push(')');
    hint
}

/// An article number written in Arabic or Chinese numerals (一 … 九百九十九).
fn article_number(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c).and_then(|p| u32::try_from(p).ok());
    let (mut total, mut current) = (0u32, None::<u32>);
    for c in s.chars() {
        match c {
            '百' => {
                total += current.unwrap_or(1) * 100;
                current = None;
            }
            '十' => {
                total += current.unwrap_or(1) * 10;
                current = None;
            }
            '〇' => current = Some(0),
            c => current = Some(digit(c)?),
        }
    }
    Some(total + current.unwrap_or(0)).filter(|n| *n > 0)
}

/// Where a quote stops matching its article, with both characters and their code points, and
/// the article that does hold it, if one does.
fn quote_hint(pack: &Pack, text: &str, article: &str, quote: &str) -> String {
    if quote.trim().is_empty() {
        return " (the quote is empty: copy the clause from source.txt)".to_owned();
    }
    let chars: Vec<char> = quote.chars().collect();
    // The longest start of the quote the article holds (containment shrinks as it grows).
    let prefix = |n: usize| chars.iter().take(n).collect::<String>();
    let matched = (1..=chars.len()).take_while(|&n| text.contains(&prefix(n))).last().unwrap_or(0);
    let mut hint = String::new();
    if matched == 0 {
        let c = chars.first().copied().unwrap_or(' ');
        hint.push_str(&format!("\n    {article} does not contain even its first character `{c}` {}", code(c)));
    } else {
        let p = prefix(matched);
        let tail: String = p.chars().rev().take(12).collect::<Vec<_>>().into_iter().rev().collect();
        let after = text.find(&p).map(|i| &text[i + p.len()..]).and_then(|r| r.chars().next());
        let q = chars.get(matched).copied().unwrap_or(' ');
        let t = match after {
            Some(t) => format!("the text has `{t}` {}", code(t)),
            None => "the article ends".to_owned(),
        };
        hint.push_str(&format!(
            "\n    it matches {article} up to character {matched} (…{tail}); then the quote has `{q}` {} where {t}",
            code(q)
        ));
    }
    let fold = |s: &str| s.chars().map(half_width).collect::<String>();
    if fold(text).contains(&fold(quote)) {
        hint.push_str("\n    it differs from the text only in full-width / half-width characters (`,` U+002C vs `，` U+FF0C): copy the clause from source.txt");
    }
    if let Some(a) = pack.source.articles.iter().find(|a| a.label != article && a.text.contains(quote)) {
        hint.push_str(&format!("\n    the quote is in {}: write `article = \"{}\"`", a.label, a.label));
    }
    hint
}

fn code(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// A full-width ASCII form (`，` `（` `１`) as its half-width character; any other unchanged.
fn half_width(c: char) -> char {
    match u32::from(c) {
        0x3000 => ' ',
        n @ 0xFF01..=0xFF5E => char::from_u32(n - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// The names a rule uses, each with the field it is first used in.
#[derive(Default)]
struct Refs {
    /// The field being read.
    field: &'static str,
    activities: BTreeMap<String, &'static str>,
    records: BTreeMap<String, &'static str>,
    flags: BTreeMap<String, &'static str>,
    facts: BTreeMap<String, &'static str>,
    excluded: BTreeMap<String, &'static str>,
}

impl Refs {
    fn activities(&mut self, k: &[String]) {
        for k in k {
            self.activities.entry(k.clone()).or_insert(self.field);
        }
    }

    fn records(&mut self, k: &[String]) {
        for k in k {
            self.records.entry(k.clone()).or_insert(self.field);
        }
    }

    fn cond(&mut self, c: &Cond) {
        match c {
            Cond::All(v) | Cond::Any(v) => v.iter().for_each(|c| self.cond(c)),
            Cond::Not(c) => self.cond(c),
            Cond::Flag(f) | Cond::ThisFlag(f) | Cond::AnyFlag(f) => {
                self.flags.entry(f.clone()).or_insert(self.field);
            }
            Cond::Activity(k) | Cond::ThisKind(k) => self.activities(k),
            Cond::MultiPage | Cond::Refused(_) => {}
            Cond::Record(k) | Cond::Served(k) | Cond::ThisDocument(k) => self.records(k),
            Cond::Fact(f) => {
                self.facts.entry(f.clone()).or_insert(self.field);
            }
        }
    }

    fn anchor(&mut self, a: &Anchor) {
        match a {
            Anchor::Fact(f) => {
                self.facts.entry(f.clone()).or_insert(self.field);
            }
            Anchor::ActivityStart(k) | Anchor::ActivityEnd(k) => self.activities(k),
            Anchor::Record(k) | Anchor::RecordAfter(k) | Anchor::Served(k) => self.records(k),
            Anchor::This(_) => {}
            Anchor::FirstOf(v) => v.iter().for_each(|a| self.anchor(a)),
        }
    }
}
