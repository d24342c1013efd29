//! The report as the widget reads it, typed: an item's status, strength, severity and due
//! time, what it accepts, the gate and which steps show are the engine's own values, and the
//! words an officer reads for them are the engine's (`Status::zh`, `Strength::zh`,
//! `Severity::zh`, `Time`'s display). `engine::view_of` fills these from the report.
use std::rc::Rc;

use rules_core::{Severity, Status, Strength, Time};

/// The engine's report, as the widget renders it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportView {
    /// Which rule pack produced the report.
    pub pack: PackView,
    /// The fingerprint of the agency config applied.
    pub fingerprint: String,
    /// How many config overrides applied to the case.
    pub overrides: usize,
    /// The case the report is about.
    pub case_id: String,
    /// The evaluation time (`None` only in the empty report of a case the host withdrew).
    pub now: Option<Time>,
    /// Checklist steps in the pack's order, shared with the components that render them.
    pub steps: Vec<Rc<StepView>>,
    /// The submit gate: it decides, with the reasons given, whether a submit passes.
    pub gate: rules_core::Gate,
    /// Unmet items, most severe first.
    pub findings: Vec<FindingView>,
    /// Engine notes shown under the checklist.
    pub notes: Vec<String>,
}

/// An unmet item as the engine lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingView {
    /// Item key.
    pub key: String,
    /// Severity at submit.
    pub severity: Severity,
    /// Item status.
    pub status: Status,
    /// What is wrong (zh).
    pub message: String,
}

/// The pack named in a report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PackView {
    /// Pack id, e.g. `changsha-zfj`.
    pub id: String,
    /// Pack version.
    pub version: String,
    /// Agency name (zh).
    pub agency: String,
    /// The regulation's title (zh), as citations name it.
    pub title: String,
    /// The day this version took effect.
    pub effective: Option<String>,
}

impl Default for ReportView {
    fn default() -> Self {
        ReportView {
            pack: PackView::default(),
            fingerprint: String::new(),
            overrides: 0,
            case_id: String::new(),
            now: None,
            steps: Vec::new(),
            gate: rules_core::Gate { allowed: false, blocking: Vec::new(), warnings: Vec::new() },
            findings: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// One step of the checklist. `Eq`, so an `Rc` of it compares by pointer first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepView {
    /// Step id.
    pub id: String,
    /// Step name (zh).
    pub name: String,
    /// Items of the step, shared with the rows that render them: a render hands each row an
    /// `Rc`, not a copy of the item.
    pub items: Vec<Rc<ItemView>>,
    /// Whether the agency's options show the step ([`rules_core::Options::shows_step`]).
    pub shown: bool,
}

/// A citation: article and verbatim quote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CitationView {
    /// Article reference.
    pub article: String,
    /// Verbatim quote.
    pub quote: String,
}

/// One checklist item. `Eq`, so an `Rc` of it compares by pointer first (the same item is
/// equal without comparing its fields) and by value after a new evaluation (an unchanged item
/// does not draw its row again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemView {
    /// `rule@target`.
    pub key: String,
    /// Rule id.
    pub rule: String,
    /// What the rule was applied to.
    pub target: String,
    /// Title (zh), shared by every item of the rule.
    pub title: Rc<str>,
    /// Where it stands.
    pub status: Status,
    /// How strongly the rule applies.
    pub strength: Strength,
    /// What it does to submitting while unmet.
    pub severity: Severity,
    /// Due time as the engine words it (e.g. `2026-03-05 24:00`).
    pub due: Option<String>,
    /// The same moment as a time, for the time left (set exactly when `due` is).
    pub due_at: Option<Time>,
    /// Ids of what satisfied the item.
    pub satisfied_by: Vec<String>,
    /// What is missing.
    pub missing: Vec<String>,
    /// The legal source, shared by every item of the rule.
    pub citation: Rc<CitationView>,
    /// Explanation (zh).
    pub detail: String,
    /// The config's reason when the agency config switched the rule off or lowered it.
    pub waived_by_config: Option<String>,
    /// What its rule accepts from the officer (an acknowledgment, audio-video files), as the
    /// engine says ([`rules_core::Rule::accepts`]); filled by `engine`.
    pub accepts: rules_core::Accepts,
    /// The SHA-256 the case records for its file (a media item `rule@record/name`); filled by
    /// `engine`.
    pub recorded_sha256: Option<String>,
}

impl Default for ItemView {
    fn default() -> Self {
        ItemView {
            key: String::new(),
            rule: String::new(),
            target: String::new(),
            title: Rc::from(""),
            status: Status::NotApplicable,
            strength: Strength::Must,
            severity: Severity::Blocking,
            due: None,
            due_at: None,
            satisfied_by: Vec::new(),
            missing: Vec::new(),
            citation: Rc::default(),
            detail: String::new(),
            waived_by_config: None,
            accepts: rules_core::Accepts::default(),
            recorded_sha256: None,
        }
    }
}

impl ItemView {
    /// Done items need nothing more from the officer ([`rules_core::Status::is_done`]).
    pub fn is_done(&self) -> bool {
        self.status.is_done()
    }

    /// Whether the item counts against submission now ([`rules_core::Status::is_unmet`]): only
    /// these carry their severity, as what happens if they stay so.
    pub fn is_unmet(&self) -> bool {
        self.status.is_unmet()
    }

    /// Whether an acknowledgment can satisfy the item now
    /// ([`rules_core::Accepts::acknowledgment_for`]).
    pub fn takes_acknowledgment(&self) -> bool {
        self.accepts.acknowledgment_for(self.status)
    }

    /// The status tag: its words and its colour class. An optional item not done is 「可补充」 in
    /// grey, never a red 缺失.
    pub fn status_tag(&self) -> (&'static str, String) {
        if self.strength == Strength::May && self.is_unmet() {
            ("可补充", "st-optional".to_owned())
        } else {
            (self.status.zh(), format!("st-{}", self.status.code()))
        }
    }

    /// `缺少：…` for an open item, unless its detail already names every missing thing (the
    /// engine's details for missing and incomplete records do): the officer reads each once.
    pub fn missing_line(&self) -> Option<String> {
        let said = self.missing.iter().all(|m| self.detail.contains(m.as_str()));
        (!self.missing.is_empty() && !self.is_done() && !said).then(|| format!("缺少：{}", self.missing.join("、")))
    }
}

/// Progress as the 核查表 counts it: done (met or confirmed by an officer) of the items that
/// apply and are not switched off.
pub fn progress<'a>(items: impl Iterator<Item = &'a ItemView>) -> (usize, usize) {
    use Status as S;
    let counted: Vec<&ItemView> = items.filter(|i| !matches!(i.status, S::NotApplicable | S::Waived)).collect();
    let done = counted.iter().filter(|i| matches!(i.status, S::Satisfied | S::Acknowledged)).count();
    (done, counted.len())
}

impl StepView {
    /// Nothing left to do in the step: every item that applies is done.
    pub fn is_complete(&self) -> bool {
        self.items.iter().all(|i| i.is_done())
    }
}

impl ReportView {
    /// Every item, in step order.
    pub fn items(&self) -> impl Iterator<Item = &ItemView> {
        self.steps.iter().flat_map(|s| s.items.iter().map(|i| &**i))
    }

    /// The item with this key.
    pub fn item(&self, key: &str) -> Option<&ItemView> {
        self.items().find(|i| i.key == key)
    }

    /// The item with this key, shared, and the id of the step it is under.
    pub fn locate(&self, key: &str) -> Option<(String, Rc<ItemView>)> {
        self.steps.iter().find_map(|s| s.items.iter().find(|i| i.key == key).map(|i| (s.id.clone(), i.clone())))
    }

    /// Items that block submitting, as the gate names them.
    pub fn blocking(&self) -> Vec<&ItemView> {
        self.gate.blocking.iter().filter_map(|k| self.item(k)).collect()
    }

    /// Unmet warnings, as the gate names them: submitting needs a reason.
    pub fn open_warnings(&self) -> Vec<&ItemView> {
        self.gate.warnings.iter().filter_map(|k| self.item(k)).collect()
    }

    /// Unmet informational items.
    pub fn open_info(&self) -> Vec<&ItemView> {
        self.findings.iter().filter(|f| f.severity == Severity::Info).filter_map(|f| self.item(&f.key)).collect()
    }
}

/// Whole minutes from `from` to `to` as the clock shows them (to the minute: the seconds of
/// either do not count, as the checklist writes times without them).
fn minutes_between(from: Time, to: Time) -> i64 {
    let minute = |t: Time| t.naive().and_utc().timestamp().div_euclid(60);
    minute(to) - minute(from)
}

/// Whether a deadline not yet passed is close enough to warn: under a day for a period counted
/// in hours, under three days for one counted in days (whose end the engine words `… 24:00`).
pub fn due_soon(now: Time, due_at: Time, due_text: &str) -> bool {
    let left = minutes_between(now, due_at);
    let window = if due_text.ends_with("24:00") { 3 * 1440 } else { 1440 };
    (0..window).contains(&left)
}

/// Time left until `due` as seen at `now`, e.g. `剩余 2 天 3 小时` or `已超期 5 小时 0 分钟`.
pub fn time_left(now: Time, due: Time) -> String {
    let diff = minutes_between(now, due);
    let span = |m: i64| {
        let (d, h, mi) = (m / 1440, (m % 1440) / 60, m % 60);
        if d > 0 {
            format!("{d} 天 {h} 小时")
        } else if h > 0 {
            format!("{h} 小时 {mi} 分钟")
        } else {
            format!("{mi} 分钟")
        }
    };
    if diff >= 0 {
        format!("剩余 {}", span(diff))
    } else {
        format!("已超期 {}", span(-diff))
    }
}

/// A due time as shown: `2026-03-10T17:00` becomes `2026-03-10 17:00`.
pub fn show_time(s: &str) -> String {
    s.get(..16).unwrap_or(s).replacen('T', " ", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_things_are_listed_once() {
        // As the engine words an incomplete record: its detail names what is missing.
        let incomplete = ItemView {
            status: rules_core::Status::Incomplete,
            missing: vec!["缺少内容：检查地点".into(), "缺少签名：当事人".into()],
            detail: "《现场检查(勘验)笔录》（R1）不完整：缺少内容：检查地点；缺少签名：当事人".into(),
            ..ItemView::default()
        };
        assert_eq!(incomplete.missing_line(), None);
        // A detail that does not name them: the list is shown.
        let other = ItemView { detail: "须于立案前完成".into(), ..incomplete.clone() };
        assert_eq!(other.missing_line().as_deref(), Some("缺少：缺少内容：检查地点、缺少签名：当事人"));
        // Nothing to show once done.
        assert_eq!(ItemView { status: rules_core::Status::Satisfied, ..other }.missing_line(), None);
    }

    #[test]
    fn tags_use_the_engines_words() {
        let open = ItemView { status: Status::Missing, ..ItemView::default() };
        assert_eq!(open.status_tag(), ("缺失", "st-missing".to_owned()));
        let optional = ItemView { strength: Strength::May, ..open };
        assert_eq!(optional.status_tag(), ("可补充", "st-optional".to_owned()));
        let due = ItemView { status: Status::DueBy, ..optional };
        assert_eq!(due.status_tag(), ("待完成", "st-due-by".to_owned()));
    }

    fn t(s: &str) -> Time {
        Time::parse(s).unwrap()
    }

    #[test]
    fn time_left_both_ways_across_a_leap_day() {
        assert_eq!(time_left(t("2026-03-01T10:00"), t("2026-03-03T13:00")), "剩余 2 天 3 小时");
        assert_eq!(time_left(t("2026-03-01T10:00"), t("2026-03-01T05:00")), "已超期 5 小时 0 分钟");
        assert_eq!(time_left(t("2026-03-01T10:00"), t("2026-03-01T10:30")), "剩余 30 分钟");
        assert_eq!(time_left(t("2024-02-28T23:00"), t("2024-03-01T01:00")), "剩余 1 天 2 小时");
        // Seconds do not count: the clock and the due time read to the minute.
        assert_eq!(time_left(t("2026-03-01T10:00:30"), t("2026-03-01T10:05:00")), "剩余 5 分钟");
        assert_eq!(time_left(t("2026-03-01T10:00:30"), t("2026-03-01T10:00:00")), "剩余 0 分钟");
    }

    #[test]
    fn soon_is_a_day_for_hours_and_three_for_days() {
        let now = t("2026-03-01T10:00");
        assert!(due_soon(now, t("2026-03-02T09:59"), "2026-03-02 09:59"));
        assert!(!due_soon(now, t("2026-03-02T10:00"), "2026-03-02 10:00"));
        assert!(due_soon(now, t("2026-03-04T00:00"), "2026-03-03 24:00"));
        assert!(!due_soon(now, t("2026-03-01T09:00"), "2026-03-01 09:00"));
    }
}
