//! The report as the widget reads it, and the zh-CN words it shows for the engine's codes.
//!
//! Strength and severity keep the engine's JSON codes (`must`, `blocking`, …), so the widget
//! and the hosts read the same words; an item's status, what it accepts, the gate and which
//! steps show are the engine's own values. `engine::view_of` fills these from the report.
use std::rc::Rc;

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
    /// The evaluation time.
    pub now: String,
    /// Checklist steps in the pack's order.
    pub steps: Vec<StepView>,
    /// The submit gate: it decides, with the reasons given, whether a submit passes.
    pub gate: rules_core::Gate,
    /// Unmet items, most severe first.
    pub findings: Vec<FindingView>,
    /// Engine notes shown under the checklist.
    pub notes: Vec<String>,
}

/// An unmet item as the engine lists it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FindingView {
    /// Item key.
    pub key: String,
    /// Severity at submit.
    pub severity: String,
    /// Item status.
    pub status: String,
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
            now: String::new(),
            steps: Vec::new(),
            gate: rules_core::Gate { allowed: false, blocking: Vec::new(), warnings: Vec::new() },
            findings: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// One step of the checklist.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StepView {
    /// Step id.
    pub id: String,
    /// Step name (zh).
    pub name: String,
    /// Items of the step.
    pub items: Vec<ItemView>,
    /// Whether the agency's options show the step ([`rules_core::Options::shows_step`]).
    pub shown: bool,
}

/// A citation: article and verbatim quote.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CitationView {
    /// Article reference.
    pub article: String,
    /// Verbatim quote.
    pub quote: String,
}

/// One checklist item.
#[derive(Debug, Clone, PartialEq)]
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
    pub status: rules_core::Status,
    /// Strength code.
    pub strength: String,
    /// Severity code.
    pub severity: String,
    /// Due time as the engine words it (e.g. `2026-03-05 24:00`).
    pub due: Option<String>,
    /// The same moment as a time, for the time left.
    pub due_at: Option<String>,
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
            status: rules_core::Status::NotApplicable,
            strength: String::new(),
            severity: String::new(),
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
    pub fn status_tag(&self) -> (&str, String) {
        if self.strength == "may" && self.is_unmet() {
            ("可补充", "st-optional".to_owned())
        } else {
            (status_label(self.status.code()), format!("st-{}", self.status.code()))
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
    use rules_core::Status as S;
    let counted: Vec<&ItemView> = items.filter(|i| !matches!(i.status, S::NotApplicable | S::Waived)).collect();
    let done = counted.iter().filter(|i| matches!(i.status, S::Satisfied | S::Acknowledged)).count();
    (done, counted.len())
}

impl StepView {
    /// Nothing left to do in the step: every item that applies is done.
    pub fn is_complete(&self) -> bool {
        self.items.iter().all(ItemView::is_done)
    }
}

impl ReportView {
    /// Every item, in step order.
    pub fn items(&self) -> impl Iterator<Item = &ItemView> {
        self.steps.iter().flat_map(|s| s.items.iter())
    }

    /// The item with this key.
    pub fn item(&self, key: &str) -> Option<&ItemView> {
        self.items().find(|i| i.key == key)
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
        self.findings.iter().filter(|f| f.severity == "info").filter_map(|f| self.item(&f.key)).collect()
    }
}

/// How strongly the rule applies, in the officer's words.
pub fn strength_label(code: &str) -> &str {
    match code {
        "must" => "必须",
        "conditional" => "有条件时必须",
        "may" => "可选",
        other => other,
    }
}

/// The item status, in the officer's words.
pub fn status_label(code: &str) -> &str {
    match code {
        "satisfied" => "已满足",
        "acknowledged" => "人工确认",
        "missing" => "缺失",
        "incomplete" => "不完整",
        "overdue" => "已超期",
        "due-by" => "待完成",
        "not-applicable" => "不适用",
        "waived" => "已停用",
        "out-of-order" => "顺序不符",
        other => other,
    }
}

/// The severity, in the officer's words.
pub fn severity_label(code: &str) -> &str {
    match code {
        "blocking" => "阻止提交",
        "warning" => "警告",
        "info" => "提示",
        other => other,
    }
}

/// Minutes since 2000-01-01 for a `YYYY-MM-DDTHH:MM` civil time (seconds and offsets ignored:
/// the engine reports Beijing civil time).
pub fn civil_minutes(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num =
        |from: usize, to: usize| -> Option<i64> { std::str::from_utf8(b.get(from..to)?).ok()?.parse::<i64>().ok() };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || b.get(13) != Some(&b':') {
        return None;
    }
    let (y, m, d, h, mi) = (num(0, 4)?, num(5, 7)?, num(8, 10)?, num(11, 13)?, num(14, 16)?);
    // Days from civil (Howard Hinnant's algorithm); exact for the Gregorian calendar.
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 730_425;
    Some(days * 1440 + h * 60 + mi)
}

/// Whether a deadline not yet passed is close enough to warn: under a day for a period counted
/// in hours, under three days for one counted in days (whose end the engine words `… 24:00`).
pub fn due_soon(now: &str, due_at: &str, due_text: &str) -> bool {
    let Some(left) = civil_minutes(due_at).zip(civil_minutes(now)).map(|(d, n)| d - n) else { return false };
    let window = if due_text.ends_with("24:00") { 3 * 1440 } else { 1440 };
    (0..window).contains(&left)
}

/// Time left until `due` as seen at `now`, e.g. `剩余 2 天 3 小时` or `已超期 5 小时`.
pub fn time_left(now: &str, due: &str) -> Option<String> {
    let diff = civil_minutes(due)? - civil_minutes(now)?;
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
    Some(if diff >= 0 { format!("剩余 {}", span(diff)) } else { format!("已超期 {}", span(-diff)) })
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
    fn strength_words() {
        assert_eq!(strength_label("must"), "必须");
        assert_eq!(strength_label("conditional"), "有条件时必须");
        assert_eq!(strength_label("may"), "可选");
    }

    #[test]
    fn minutes_cross_month_and_leap_day() {
        let a = civil_minutes("2024-02-28T23:00").unwrap();
        let b = civil_minutes("2024-03-01T01:00").unwrap();
        assert_eq!(b - a, 26 * 60);
        assert_eq!(civil_minutes("2000-01-01T00:00"), Some(0));
        assert_eq!(civil_minutes("junk"), None);
    }

    #[test]
    fn time_left_both_ways() {
        assert_eq!(time_left("2026-03-01T10:00", "2026-03-03T13:00").unwrap(), "剩余 2 天 3 小时");
        assert_eq!(time_left("2026-03-01T10:00", "2026-03-01T05:00").unwrap(), "已超期 5 小时 0 分钟");
        assert_eq!(time_left("2026-03-01T10:00", "2026-03-01T10:30+08:00").unwrap(), "剩余 30 分钟");
    }
}
