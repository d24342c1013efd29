//! What an evaluation returns: the per-step checklist, findings and the submit gate.
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

mod json;

use crate::rule::{Severity, Strength};
use crate::time::Time;

/// The result of checking one case against one pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Report {
    /// Which pack was applied.
    pub pack: PackRef,
    /// Which agency config was applied.
    pub config: ConfigRef,
    /// The case id.
    pub case_id: String,
    /// The moment the case was checked at.
    pub now: Time,
    /// The checklist, grouped by step in the pack's order (steps without items omitted).
    pub steps: Vec<StepReport>,
    /// Every rule an item or finding refers to, by rule id: its title and citation, written once
    /// here rather than repeated in each of the rule's items (a rule can have hundreds).
    pub rules: BTreeMap<Arc<str>, Arc<RuleInfo>>,
    /// Every unmet item, most severe first.
    pub findings: Vec<Finding>,
    /// Whether the case may be submitted.
    pub gate: Gate,
    /// Things the reader should know about how the check was made (e.g. missing holiday data).
    pub notes: Vec<String>,
}

/// The pack a report was made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PackRef {
    /// Pack id.
    pub id: String,
    /// Pack version.
    pub version: String,
    /// Agency name.
    pub agency: String,
    /// The regulation's title, as citations name it (《…》第二十九条).
    #[serde(default)]
    pub title: String,
    /// The day this version took effect, when the pack says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<String>,
    /// Present when the pack is not the built-in pack of its id (one read at run time with
    /// other rules or another text, whatever its version says): SHA-256 of its files as
    /// `cd PACK && sha256sum pack.toml source.txt | sha256sum` prints it, 64 hex digits. Two
    /// reports with the same id and version and different digests were made with different
    /// rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

/// The agency config a report was made with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConfigRef {
    /// SHA-256 of the config's canonical form (64 hex digits); the empty config has one too.
    pub fingerprint: String,
    /// How many overrides applied to this case.
    pub overrides: usize,
}

/// The checklist items of one step.
///
/// Serialized, it is an object with `id`, `name` and `items` (each as [`Item`] writes it).
#[derive(Clone)]
pub struct StepReport {
    /// Step id.
    pub id: String,
    /// Step name (Chinese).
    pub name: String,
    /// Items, in pack rule order then target order; their texts are in `texts`.
    pub(crate) rows: Vec<ItemRow>,
    /// The report's texts (one buffer for the whole report when evaluated). An item holds
    /// places in it rather than a share of it: hundreds of shares taken and dropped were a
    /// tenth of an evaluation.
    pub(crate) texts: SharedTexts,
}

impl StepReport {
    /// The step's items, in pack rule order then target order.
    pub fn items(&self) -> impl ExactSizeIterator<Item = Item<'_>> + DoubleEndedIterator + Clone {
        let texts = self.texts.get().unwrap_or(&NO_TEXTS);
        self.rows.iter().map(move |row| Item::new(row, texts))
    }
}

impl std::fmt::Debug for StepReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StepReport")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("items", &self.items().collect::<Vec<_>>())
            .finish()
    }
}

impl PartialEq for StepReport {
    fn eq(&self, o: &Self) -> bool {
        self.id == o.id && self.name == o.name && self.items().eq(o.items())
    }
}

impl Serialize for StepReport {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        struct Items<'a>(&'a StepReport);
        impl Serialize for Items<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_seq(self.0.items())
            }
        }
        let mut m = s.serialize_struct("StepReport", 3)?;
        m.serialize_field("id", &self.id)?;
        m.serialize_field("name", &self.name)?;
        m.serialize_field("items", &Items(self))?;
        m.end()
    }
}

impl<'de> Deserialize<'de> for StepReport {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = StepReportRepr::deserialize(d)?;
        let mut texts = Texts::default();
        let rows = r.items.into_iter().map(|i| i.into_row(&mut texts)).collect();
        Ok(StepReport { id: r.id, name: r.name, rows, texts: sealed(texts) })
    }
}

// [`StepReport`] as JSON has it, for reading reports back and for the schema.
/// The checklist items of one step.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "StepReport"))]
struct StepReportRepr {
    /// Step id.
    id: String,
    /// Step name (Chinese).
    name: String,
    /// Items, in pack rule order then target order.
    items: Vec<ItemRepr>,
}

/// The state of one checklist item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Done as required.
    Satisfied,
    /// The platform holds no record, and an officer confirmed, with a note saying what the
    /// paper record is and where it is kept, that it exists. A reviewer reads it as the
    /// officer's word, not as data: it is shown apart from [`Status::Satisfied`] everywhere.
    Acknowledged,
    /// The required record is not there.
    Missing,
    /// The record is there but lacks content, signatures, media or service.
    Incomplete,
    /// The period has passed.
    Overdue,
    /// Not done yet, and the period is still running.
    DueBy,
    /// Things happened in the wrong order or too close together.
    OutOfOrder,
    /// The rule does not apply to this case as it stands.
    NotApplicable,
    /// Switched off by the agency's configuration, with a reason.
    Waived,
}

impl Status {
    /// Every status, in the order the checklist explains them: a list kept in one place, so a
    /// new status cannot be missing from what reads or checks them all.
    pub const ALL: [Status; 9] = [
        Status::Satisfied,
        Status::Acknowledged,
        Status::Missing,
        Status::Incomplete,
        Status::Overdue,
        Status::DueBy,
        Status::OutOfOrder,
        Status::NotApplicable,
        Status::Waived,
    ];

    /// Whether nothing more is to be done for the item: met, confirmed by an officer, not
    /// applicable, or switched off by the agency.
    pub fn is_done(self) -> bool {
        matches!(self, Status::Satisfied | Status::Acknowledged | Status::NotApplicable | Status::Waived)
    }

    /// Whether the item counts against submission.
    pub fn is_unmet(self) -> bool {
        matches!(self, Status::Missing | Status::Incomplete | Status::Overdue | Status::OutOfOrder)
    }

    /// Its code in JSON (`satisfied`, `due-by`, `not-applicable`, …).
    pub fn code(self) -> &'static str {
        match self {
            Status::Satisfied => "satisfied",
            Status::Acknowledged => "acknowledged",
            Status::Missing => "missing",
            Status::Incomplete => "incomplete",
            Status::Overdue => "overdue",
            Status::DueBy => "due-by",
            Status::OutOfOrder => "out-of-order",
            Status::NotApplicable => "not-applicable",
            Status::Waived => "waived",
        }
    }

    /// How the checklist shows it.
    pub fn zh(self) -> &'static str {
        match self {
            Status::Satisfied => "已满足",
            Status::Acknowledged => "人工确认",
            Status::Missing => "缺失",
            Status::Incomplete => "不完整",
            Status::Overdue => "已超期",
            Status::DueBy => "待完成",
            Status::OutOfOrder => "顺序不符",
            Status::NotApplicable => "不适用",
            Status::Waived => "已停用",
        }
    }
}

/// The article and words a rule rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Citation {
    /// As the text numbers it.
    pub article: Arc<str>,
    /// Verbatim.
    pub quote: Arc<str>,
}

/// What a report says about a rule, once for all its items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RuleInfo {
    /// What the rule's items ask for (Chinese).
    pub title: Arc<str>,
    /// The article and words the rule rests on.
    pub citation: Citation,
    /// Why the pack makes optional a rule whose quote words a duty (the pack's
    /// `strength_override`), shown wherever the rule is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strength_override: Option<Arc<str>>,
}

/// Where a piece of a report's text sits in its [`Texts`] buffer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Span(u64);

/// A list of pieces of text: a run of [`Texts::spans`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Run(u64);

/// The two ends of a [`Span`] or a [`Run`], kept in one `u64`: items are assembled from spans
/// and runs and copied into the report, and an end pair stored as two halves, then read whole
/// (as the copy does), waited for the halves to reach memory, on every item.
macro_rules! packed_ends {
    ($t:ident) => {
        impl $t {
            fn new(start: u32, end: u32) -> Self {
                $t(u64::from(start) | (u64::from(end) << 32))
            }

            fn start(self) -> u32 {
                (self.0 & 0xffff_ffff) as u32
            }

            fn end(self) -> u32 {
                (self.0 >> 32) as u32
            }
        }
    };
}
packed_ends!(Span);
packed_ends!(Run);

impl Span {
    fn is_empty(self) -> bool {
        self.start() >= self.end()
    }
}

fn at(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// All the text of one report's items and findings in one buffer, shared by them: a checklist
/// has hundreds of items, and a string of its own for each key, detail and list entry was most
/// of the cost of an evaluation.
#[derive(Debug, Default)]
pub(crate) struct Texts {
    /// UTF-8, written only from `&str`s and whole copies of earlier pieces (bytes rather than a
    /// `String` for `Vec::extend_from_within`, which `String` lacks before Rust 1.87).
    text: Vec<u8>,
    /// The entries of the items' lists, each list a run of consecutive spans.
    spans: Vec<Span>,
    /// Fixed texts already written, by address and length (see [`Texts::fixed`]).
    fixed: Vec<((usize, usize), Span)>,
    /// The last times written (see [`Texts::time`]), and the slot the next one replaces.
    times: Vec<(Time, Span)>,
    next_time: usize,
    /// The whole buffer as checked UTF-8, made on the first read of a finished report: reading
    /// it piece by piece would check each piece on every read, and a report's JSON reads every
    /// piece, some several times (a quarter of writing the JSON went to those checks).
    checked: OnceLock<String>,
}

/// How many recent times [`Texts::time`] remembers.
const RECENT_TIMES: usize = 4;

impl Texts {
    pub(crate) fn with_capacity(bytes: usize, entries: usize) -> Self {
        Texts {
            text: Vec::with_capacity(bytes),
            spans: Vec::with_capacity(entries),
            fixed: Vec::new(),
            times: Vec::with_capacity(RECENT_TIMES),
            next_time: 0,
            checked: OnceLock::new(),
        }
    }

    /// Text being written (while the evaluation still writes): checked piece by piece.
    pub(crate) fn get(&self, s: Span) -> &str {
        self.text
            .get(s.start() as usize..s.end() as usize)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or_default()
    }

    /// Text of a finished report: the buffer is checked once, on the first read. Only for texts
    /// no longer written (those behind a report's [`SharedTexts`]).
    fn read(&self, s: Span) -> &str {
        // Written only from `&str`s, the buffer is always UTF-8; the empty text if it were not.
        let all = self.checked.get_or_init(|| std::str::from_utf8(&self.text).map(str::to_owned).unwrap_or_default());
        all.get(s.start() as usize..s.end() as usize).unwrap_or_default()
    }

    /// Where the next text written starts.
    pub(crate) fn mark(&self) -> u32 {
        at(self.text.len())
    }

    /// The text written since `mark`.
    pub(crate) fn since(&self, mark: u32) -> Span {
        Span::new(mark, self.mark())
    }

    pub(crate) fn push_str(&mut self, s: &str) {
        self.text.extend_from_slice(s.as_bytes());
    }

    pub(crate) fn push(&mut self, c: char) {
        self.push_str(c.encode_utf8(&mut [0; 4]));
    }

    /// Writes a time as its [`Display`](std::fmt::Display) form does. A case's times repeat
    /// (the same moments appear in many items' details), so the last few written are copied
    /// rather than formatted again.
    pub(crate) fn time(&mut self, t: Time) {
        if let Some(s) = self.times.iter().find(|(x, _)| *x == t).map(|(_, s)| *s) {
            return self.copy(s);
        }
        let mark = self.mark();
        t.write_bytes(&mut self.text);
        let span = self.since(mark);
        if self.times.len() < RECENT_TIMES {
            self.times.push((t, span));
        } else if let Some(slot) = self.times.get_mut(self.next_time % RECENT_TIMES) {
            *slot = (t, span);
        }
        self.next_time = self.next_time.wrapping_add(1);
    }

    /// Writes a due time as its [`Display`](std::fmt::Display) form does.
    /// Writes a time with its seconds (`YYYY-MM-DD HH:MM:SS`), where they decide a verdict.
    pub(crate) fn time_seconds(&mut self, t: Time) {
        use std::io::Write;
        let _ = write!(self.text, "{}", t.seconds());
    }

    pub(crate) fn due(&mut self, d: crate::period::Due) {
        d.write_bytes(&mut self.text);
    }

    /// Writes a period as [`Period::zh`](crate::period::Period::zh) does.
    pub(crate) fn period(&mut self, p: crate::period::Period) {
        p.write_zh_bytes(&mut self.text);
    }

    /// Writes a number in decimal.
    pub(crate) fn number(&mut self, n: usize) {
        crate::period::push_u32(&mut self.text, u32::try_from(n).unwrap_or(u32::MAX));
    }

    /// Writes a fixed text once per report however many items say it, and returns where.
    pub(crate) fn fixed(&mut self, s: &'static str) -> Span {
        // Few fixed texts exist (a handful of "not applicable" reasons): a short list by address.
        let id = (s.as_ptr() as usize, s.len());
        if let Some((_, span)) = self.fixed.iter().find(|(a, _)| *a == id) {
            return *span;
        }
        let mark = self.mark();
        self.push_str(s);
        let span = self.since(mark);
        self.fixed.push((id, span));
        span
    }

    /// Writes `args` and returns where.
    pub(crate) fn say(&mut self, args: std::fmt::Arguments<'_>) -> Span {
        let mark = self.mark();
        let _ = std::fmt::Write::write_fmt(self, args);
        self.since(mark)
    }

    /// Writes a copy of text already written (e.g. a detail into a finding's message).
    pub(crate) fn copy(&mut self, s: Span) {
        if let Some(r) =
            self.text.get(s.start() as usize..s.end() as usize).map(|_| s.start() as usize..s.end() as usize)
        {
            self.text.extend_from_within(r);
        }
    }

    /// Drops what was written since `mark` and the list entries since `list_mark`.
    pub(crate) fn truncate(&mut self, mark: u32, list_mark: u32) {
        self.text.truncate(mark as usize);
        self.spans.truncate(list_mark as usize);
        // Remembered texts written since are gone too.
        self.fixed.retain(|(_, s)| s.end() <= mark);
        self.times.retain(|(_, s)| s.end() <= mark);
    }

    /// Where the next list entry goes.
    pub(crate) fn list_mark(&self) -> u32 {
        at(self.spans.len())
    }

    /// The list entries added since `mark`.
    pub(crate) fn list_since(&self, mark: u32) -> Run {
        Run::new(mark, at(self.spans.len()))
    }

    /// Adds text already written as the next list entry.
    pub(crate) fn add_entry(&mut self, s: Span) {
        self.spans.push(s);
    }

    /// Adds `args` as the next list entry.
    pub(crate) fn entry(&mut self, args: std::fmt::Arguments<'_>) -> Span {
        let s = self.say(args);
        self.spans.push(s);
        s
    }

    fn run(&self, r: Run) -> &[Span] {
        self.spans.get(r.start() as usize..r.end() as usize).unwrap_or_default()
    }

    /// Adds a list of owned strings (for reports read back from JSON).
    fn list(&mut self, v: &[String]) -> Run {
        let mark = self.list_mark();
        for s in v {
            self.entry(format_args!("{s}"));
        }
        self.list_since(mark)
    }
}

impl std::fmt::Write for Texts {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

/// A report's texts, shared by its items, findings and gate keys. The items are made while the
/// texts are still being written, each taking its share then; the texts are set once, when the
/// evaluation has written them all.
pub(crate) type SharedTexts = Arc<OnceLock<Texts>>;

/// Shares texts already complete.
pub(crate) fn sealed(t: Texts) -> SharedTexts {
    Arc::new(OnceLock::from(t))
}

static NO_TEXTS: Texts = Texts {
    text: Vec::new(),
    spans: Vec::new(),
    fixed: Vec::new(),
    times: Vec::new(),
    next_time: 0,
    checked: OnceLock::new(),
};

/// An item key, `rule@target`: stable across evaluations; acknowledgments refer to it. Reads as
/// a `&str` (it derefs to one); its text is kept in its report's shared buffer.
#[derive(Clone)]
pub struct Key {
    shared: SharedTexts,
    span: Span,
    /// Where the rule id ends (at the `@`).
    rule_end: u32,
}

impl Key {
    pub(crate) fn new(shared: SharedTexts, span: Span, rule_len: usize) -> Self {
        let rule_end = span.start().saturating_add(at(rule_len)).min(span.end());
        Key { shared, span, rule_end }
    }

    /// The report's texts (empty only while the evaluation is still writing them).
    fn texts(&self) -> &Texts {
        self.shared.get().unwrap_or(&NO_TEXTS)
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        self.texts().read(self.span)
    }

    /// The rule part (before the first `@`).
    pub fn rule(&self) -> &str {
        self.texts().read(Span::new(self.span.start(), self.rule_end))
    }

    /// The target part (after the first `@`).
    pub fn target(&self) -> &str {
        self.texts().read(Span::new(self.rule_end.saturating_add(1).min(self.span.end()), self.span.end()))
    }
}

impl From<&str> for Key {
    fn from(s: &str) -> Self {
        let mut texts = Texts::default();
        let span = texts.say(format_args!("{s}"));
        let rule_len = s.find('@').unwrap_or(s.len());
        Key::new(sealed(texts), span, rule_len)
    }
}

impl std::ops::Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl std::borrow::Borrow<str> for Key {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Key {}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl Serialize for Key {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(d)?;
        Ok(Key::from(&*s))
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Key {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        String::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

/// Entries of an item's list (`satisfied_by`, `missing`).
#[derive(Clone, Copy)]
pub struct List<'a> {
    texts: &'a Texts,
    spans: &'a [Span],
}

impl<'a> List<'a> {
    /// The entries.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'a str> + DoubleEndedIterator + Clone + 'a {
        let texts = self.texts;
        self.spans.iter().map(move |s| texts.read(*s))
    }

    /// How many entries.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// The entries joined by `sep`.
    pub fn join(&self, sep: &str) -> String {
        let mut s = String::new();
        for (i, e) in self.iter().enumerate() {
            if i > 0 {
                s.push_str(sep);
            }
            s.push_str(e);
        }
        s
    }

    /// The entries as owned strings.
    pub fn to_vec(self) -> Vec<String> {
        self.iter().map(str::to_owned).collect()
    }
}

impl<'a> IntoIterator for List<'a> {
    type Item = &'a str;
    type IntoIter = Box<dyn Iterator<Item = &'a str> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl std::fmt::Debug for List<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for List<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// One checklist item as a report stores it: its texts are places in the report's buffer.
#[derive(Clone)]
pub(crate) struct ItemRow {
    pub key: Span,
    /// Where the rule id ends in the key (at the `@`).
    pub rule_end: u32,
    pub status: Status,
    pub strength: Strength,
    pub severity: Severity,
    pub due_at: Option<Time>,
    pub waived_by_config: Option<String>,
    /// Empty without a due time (a due time is never written empty): a span rather than an
    /// option of one keeps items smaller, and evaluating is mostly writing them.
    pub due_text: Span,
    pub satisfied_run: Run,
    pub missing_run: Run,
    pub detail_text: Span,
}

impl ItemRow {
    /// Where the rule id of a key `span` written as `rule@target` ends.
    pub(crate) fn rule_end(span: Span, rule_len: usize) -> u32 {
        span.start().saturating_add(at(rule_len)).min(span.end())
    }
}

/// One checklist item: one rule applied to one target, as read from its report
/// ([`StepReport::items`], [`Report::items`]).
///
/// Serialized, it is an object with `key`, `rule`, `target`, `status`, `strength`,
/// `severity`, `due`, `due_at`, `satisfied_by`, `missing`, `detail` and `waived_by_config`.
#[derive(Clone, Copy)]
pub struct Item<'a> {
    /// Where it stands.
    pub status: Status,
    /// 必须 / 有条件时必须 / 可选.
    pub strength: Strength,
    /// At submit, after the agency's configuration.
    pub severity: Severity,
    /// When the period ends, for deadlines, as a time for computing time left.
    pub due_at: Option<Time>,
    /// Set when the agency config switched the rule off or lowered a must rule: the config's
    /// reason. The item keeps its real status: "waived by config", never satisfied.
    pub waived_by_config: Option<&'a str>,
    row: &'a ItemRow,
    texts: &'a Texts,
}

impl<'a> Item<'a> {
    fn new(row: &'a ItemRow, texts: &'a Texts) -> Self {
        Item {
            status: row.status,
            strength: row.strength,
            severity: row.severity,
            due_at: row.due_at,
            waived_by_config: row.waived_by_config.as_deref(),
            row,
            texts,
        }
    }

    /// Whether the item stops a submit: unmet and blocking (the gate lists it).
    pub fn blocks(&self) -> bool {
        self.status.is_unmet() && self.severity == Severity::Blocking
    }

    /// `rule@target`, stable across evaluations; acknowledgments refer to it.
    pub fn key(&self) -> &'a str {
        self.texts.read(self.row.key)
    }

    /// Rule id; its title and citation are in [`Report::rules`].
    pub fn rule(&self) -> &'a str {
        self.texts.read(Span::new(self.row.key.start(), self.row.rule_end))
    }

    /// `case`, or the id of the activity, service, record or `record/media` checked.
    pub fn target(&self) -> &'a str {
        let end = self.row.key.end();
        self.texts.read(Span::new(self.row.rule_end.saturating_add(1).min(end), end))
    }

    /// When the period ends, for deadlines (e.g. `2026-03-05 24:00`).
    pub fn due(&self) -> Option<&'a str> {
        (!self.row.due_text.is_empty()).then(|| self.texts.read(self.row.due_text))
    }

    /// What satisfied it (record ids, times, acknowledgments).
    pub fn satisfied_by(&self) -> List<'a> {
        List { texts: self.texts, spans: self.texts.run(self.row.satisfied_run) }
    }

    /// What is lacking (content elements, signatures, media, service).
    pub fn missing(&self) -> List<'a> {
        List { texts: self.texts, spans: self.texts.run(self.row.missing_run) }
    }

    /// A sentence for the officer (Chinese).
    pub fn detail(&self) -> &'a str {
        self.texts.read(self.row.detail_text)
    }
}

impl std::fmt::Debug for Item<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Item")
            .field("key", &self.key())
            .field("rule", &self.rule())
            .field("target", &self.target())
            .field("status", &self.status)
            .field("strength", &self.strength)
            .field("severity", &self.severity)
            .field("due", &self.due())
            .field("due_at", &self.due_at)
            .field("satisfied_by", &self.satisfied_by())
            .field("missing", &self.missing())
            .field("detail", &self.detail())
            .field("waived_by_config", &self.waived_by_config)
            .finish()
    }
}

impl PartialEq for Item<'_> {
    fn eq(&self, o: &Self) -> bool {
        self.key() == o.key()
            && self.rule() == o.rule()
            && self.status == o.status
            && self.strength == o.strength
            && self.severity == o.severity
            && self.due() == o.due()
            && self.due_at == o.due_at
            && self.satisfied_by().iter().eq(o.satisfied_by().iter())
            && self.missing().iter().eq(o.missing().iter())
            && self.detail() == o.detail()
            && self.waived_by_config == o.waived_by_config
    }
}

impl Serialize for Item<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (sat, mis) = (self.satisfied_by(), self.missing());
        let due = self.due();
        let fields = 7
            + usize::from(due.is_some())
            + usize::from(self.due_at.is_some())
            + usize::from(!sat.is_empty())
            + usize::from(!mis.is_empty())
            + usize::from(self.waived_by_config.is_some());
        let mut m = s.serialize_struct("Item", fields)?;
        m.serialize_field("key", self.key())?;
        m.serialize_field("rule", self.rule())?;
        m.serialize_field("target", self.target())?;
        m.serialize_field("status", &self.status)?;
        m.serialize_field("strength", &self.strength)?;
        m.serialize_field("severity", &self.severity)?;
        match due {
            Some(d) => m.serialize_field("due", d)?,
            None => m.skip_field("due")?,
        }
        match &self.due_at {
            Some(d) => m.serialize_field("due_at", d)?,
            None => m.skip_field("due_at")?,
        }
        if sat.is_empty() {
            m.skip_field("satisfied_by")?;
        } else {
            m.serialize_field("satisfied_by", &sat)?;
        }
        if mis.is_empty() {
            m.skip_field("missing")?;
        } else {
            m.serialize_field("missing", &mis)?;
        }
        m.serialize_field("detail", self.detail())?;
        match self.waived_by_config {
            Some(w) => m.serialize_field("waived_by_config", w)?,
            None => m.skip_field("waived_by_config")?,
        }
        m.end()
    }
}

impl ItemRepr {
    /// The item as a report stores it, its texts written to `texts`.
    fn into_row(self, texts: &mut Texts) -> ItemRow {
        // The key is `rule@target` by definition; it is rebuilt from its parts.
        let key = texts.say(format_args!("{}@{}", self.rule, self.target));
        let due = self.due.as_deref().map(|s| texts.say(format_args!("{s}")));
        let satisfied_run = texts.list(&self.satisfied_by);
        let missing_run = texts.list(&self.missing);
        let detail_text = texts.say(format_args!("{}", self.detail));
        ItemRow {
            key,
            rule_end: ItemRow::rule_end(key, self.rule.len()),
            status: self.status,
            strength: self.strength,
            severity: self.severity,
            due_at: self.due_at,
            waived_by_config: self.waived_by_config,
            due_text: due.unwrap_or_default(),
            satisfied_run,
            missing_run,
            detail_text,
        }
    }
}

/// `JsonSchema` for a type written as JSON through its `…Repr` twin: the schema is the twin's.
#[cfg(feature = "schema")]
macro_rules! schema_as_repr {
    ($t:ty, $repr:ty) => {
        impl schemars::JsonSchema for $t {
            fn schema_name() -> Cow<'static, str> {
                <$repr>::schema_name()
            }

            fn schema_id() -> Cow<'static, str> {
                <$repr>::schema_id()
            }

            fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                <$repr>::json_schema(generator)
            }
        }
    };
}

#[cfg(feature = "schema")]
schema_as_repr!(StepReport, StepReportRepr);

// [`Item`] as JSON has it, for reading reports back and for the schema.
/// One checklist item: one rule applied to one target.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "Item"))]
#[allow(dead_code)] // `key` is read for the schema only: it is rebuilt from `rule` and `target`
struct ItemRepr {
    /// `rule@target`, stable across evaluations; acknowledgments refer to it.
    key: String,
    /// Rule id; its title and citation are in [`Report::rules`].
    rule: String,
    /// `case`, or the id of the activity, service, record or `record/media` checked.
    target: String,
    /// Where it stands.
    status: Status,
    /// 必须 / 有条件时必须 / 可选.
    strength: Strength,
    /// At submit, after the agency's configuration.
    severity: Severity,
    /// When the period ends, for deadlines (e.g. `2026-03-05 24:00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    due: Option<String>,
    /// The same moment as a time, for computing time left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    due_at: Option<Time>,
    /// What satisfied it (record ids, times, acknowledgments).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    satisfied_by: Vec<String>,
    /// What is lacking (content elements, signatures, media, service).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    missing: Vec<String>,
    /// A sentence for the officer (Chinese).
    detail: String,
    /// Set when the agency config switched the rule off or lowered a must rule: the config's
    /// reason. The item keeps its real status: "waived by config", never satisfied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    waived_by_config: Option<String>,
}

/// An unmet item, for the findings list and the submit dialog.
///
/// Serialized, it is an object with `key`, `rule`, `severity`, `status`, `message` and
/// `waived_by_config`.
#[derive(Clone)]
pub struct Finding {
    /// The item key.
    pub key: Key,
    /// Severity at submit.
    pub severity: Severity,
    /// The item status.
    pub status: Status,
    /// The config's reason, when the config lowered the rule (see [`Item::waived_by_config`]).
    pub waived_by_config: Option<String>,
    /// Whether an item's rule raised it (the key's rule part is then the rule).
    pub(crate) has_rule: bool,
    pub(crate) message_text: Span,
}

impl Finding {
    /// The item's rule; its title and citation are in [`Report::rules`]. `None` for a finding
    /// about the case as a whole that no rule raised (an unknown procedure).
    pub fn rule(&self) -> Option<&str> {
        self.has_rule.then(|| self.key.rule())
    }

    /// What is wrong (Chinese).
    pub fn message(&self) -> &str {
        self.key.texts().read(self.message_text)
    }
}

impl std::fmt::Debug for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Finding")
            .field("key", &self.key)
            .field("rule", &self.rule())
            .field("severity", &self.severity)
            .field("status", &self.status)
            .field("message", &self.message())
            .field("waived_by_config", &self.waived_by_config)
            .finish()
    }
}

impl PartialEq for Finding {
    fn eq(&self, o: &Self) -> bool {
        self.key == o.key
            && self.rule() == o.rule()
            && self.severity == o.severity
            && self.status == o.status
            && self.message() == o.message()
            && self.waived_by_config == o.waived_by_config
    }
}

impl Serialize for Finding {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let rule = self.rule();
        let fields = 4 + usize::from(rule.is_some()) + usize::from(self.waived_by_config.is_some());
        let mut m = s.serialize_struct("Finding", fields)?;
        m.serialize_field("key", self.key.as_str())?;
        match rule {
            Some(r) => m.serialize_field("rule", r)?,
            None => m.skip_field("rule")?,
        }
        m.serialize_field("severity", &self.severity)?;
        m.serialize_field("status", &self.status)?;
        m.serialize_field("message", self.message())?;
        match &self.waived_by_config {
            Some(w) => m.serialize_field("waived_by_config", w)?,
            None => m.skip_field("waived_by_config")?,
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Finding {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = FindingRepr::deserialize(d)?;
        let mut texts = Texts::default();
        let key = texts.say(format_args!("{}", r.key));
        let rule_len = match &r.rule {
            Some(rule) if r.key.strip_prefix(rule.as_str()).is_some_and(|t| t.starts_with('@')) => rule.len(),
            _ => r.key.find('@').unwrap_or(r.key.len()),
        };
        let message = texts.say(format_args!("{}", r.message));
        Ok(Finding {
            key: Key::new(sealed(texts), key, rule_len),
            severity: r.severity,
            status: r.status,
            waived_by_config: r.waived_by_config,
            has_rule: r.rule.is_some(),
            message_text: message,
        })
    }
}

#[cfg(feature = "schema")]
schema_as_repr!(Finding, FindingRepr);

// [`Finding`] as JSON has it, for reading reports back and for the schema.
/// An unmet item, for the findings list and the submit dialog.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "Finding"))]
struct FindingRepr {
    /// The item key.
    key: String,
    /// The item's rule; its title and citation are in [`Report::rules`]. Absent for a finding
    /// about the case as a whole that no rule raised (an unknown procedure).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rule: Option<String>,
    /// Severity at submit.
    severity: Severity,
    /// The item status.
    status: Status,
    /// What is wrong (Chinese).
    message: String,
    /// The config's reason, when the config lowered the rule (see [`Item::waived_by_config`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    waived_by_config: Option<String>,
}

/// The submit decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Gate {
    /// `true` when no blocking item is unmet.
    pub allowed: bool,
    /// Keys of the unmet blocking items.
    pub blocking: Vec<Key>,
    /// Keys of the unmet warnings (submit needs a reason).
    pub warnings: Vec<Key>,
}

/// What a submit may do under a [`Gate`], given the reasons an officer has written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submit {
    /// Nothing blocks and every unmet warning has a reason.
    Pass,
    /// An unmet blocking item remains: no reason lets the case through.
    Block,
    /// Nothing blocks, but an unmet warning has no reason yet.
    NeedsReason,
}

impl Gate {
    /// Whether a submit goes through, given `covered`: whether a reason the officer gave
    /// covers the item with this key. A blocking item is never covered by a reason; every
    /// unmet warning must be.
    pub fn decide(&self, covered: impl Fn(&str) -> bool) -> Submit {
        if !self.allowed || !self.blocking.is_empty() {
            Submit::Block
        } else if self.warnings.iter().all(|k| covered(k)) {
            Submit::Pass
        } else {
            Submit::NeedsReason
        }
    }

    /// [`Gate::decide`] with the reasons of a checklist record: a warning is covered when a
    /// reason names it.
    pub fn decide_with(&self, reasons: &[crate::checklist::SubmitReason]) -> Submit {
        self.decide(|key| reasons.iter().any(|r| r.items.iter().any(|k| k == key)))
    }
}

impl Report {
    /// Every item of every step.
    pub fn items(&self) -> impl Iterator<Item = Item<'_>> + Clone {
        self.steps.iter().flat_map(StepReport::items)
    }

    /// An item by key.
    pub fn item(&self, key: &str) -> Option<Item<'_>> {
        self.items().find(|i| i.key() == key)
    }

    /// A rule's title and citation, for an item's or a finding's `rule`.
    pub fn rule(&self, id: &str) -> Option<&RuleInfo> {
        self.rules.get(id).map(|r| &**r)
    }

    /// The title and citation of an item's rule.
    pub fn rule_of(&self, item: Item<'_>) -> Option<&RuleInfo> {
        self.rules.get(item.rule()).map(|r| &**r)
    }
}

#[cfg(test)]
mod tests {
    use crate::{evaluate, Case, Config, Pack, Report, Time};

    /// Items and findings keep their texts in a shared buffer: read back from JSON, a report is
    /// equal to the one written and writes the same JSON.
    #[test]
    fn json_round_trip() {
        let pack = Pack::builtin("changsha-zfj").unwrap();
        for sample in [
            include_str!("../samples/01-complete.json"),
            include_str!("../samples/02-missing-service-receipt.json"),
            include_str!("../samples/03-av-stored-late.json"),
        ] {
            let case = Case::from_json(sample).unwrap();
            let r = evaluate(&case, &pack, &Config::default(), Time::parse("2026-04-10T12:00").unwrap());
            let json = serde_json::to_string(&r).unwrap();
            let back: Report = serde_json::from_str(&json).unwrap();
            assert_eq!(back, r);
            assert_eq!(serde_json::to_string(&back).unwrap(), json);
            for i in r.items() {
                assert_eq!(i.key(), format!("{}@{}", i.rule(), i.target()));
            }
        }
    }
}
