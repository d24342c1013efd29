//! The widget's model types, below both the reducer (`state`) and the engine calls
//! (`engine`): what an officer adds to a case, why a case has no report, and an evaluation.
//! Either module uses them; neither needs the other to name them.
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use crate::view::ReportView;

/// An item the officer marked as done outside the platform (e.g. a paper 送达回证 signed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficerAck {
    /// Item key, `rule@target`.
    pub item: String,
    /// When the officer ticked it.
    pub at: String,
    /// Who ticked it, when the host told us.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// What the paper record is and where it is kept, as the officer wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Why there is no report; shown inside the widget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", content = "message", rename_all = "kebab-case")]
pub enum Problem {
    /// The host's case does not match the contract.
    InvalidCase(String),
    /// No pack for the agency, or the pack did not load.
    Pack(String),
    /// A bad `now`.
    InvalidTime(String),
    /// The agency config does not fit the pack (the widget falls back to the pack's defaults).
    Config(String),
}

impl Problem {
    /// What the officer reads, in their words: what happened and what it means for the case.
    pub fn said(&self) -> &'static str {
        match self {
            Problem::InvalidCase(_) => "平台提供的案件数据格式有误，本案暂未检查。请将下方技术信息告知平台技术支持。",
            Problem::Pack(_) => "本案的执法机关没有可用的规则，本案暂未检查。请联系本机关法制机构或平台技术支持。",
            Problem::InvalidTime(_) => "平台提供的当前时间无效，本案暂未检查。请联系平台技术支持。",
            Problem::Config(_) => "本机关配置不适用于本案。请联系本机关法制机构。",
        }
    }

    /// The engine's own words, with the place in the data, for the platform's support staff.
    pub fn detail(&self) -> &str {
        match self {
            Problem::InvalidCase(m) | Problem::Pack(m) | Problem::InvalidTime(m) | Problem::Config(m) => m,
        }
    }

    /// Both, for the host and the case log.
    pub fn message(&self) -> String {
        format!("{}（技术信息：{}）", self.said(), self.detail())
    }
}

/// A fresh evaluation: the report as JSON for the host, and as read for rendering.
#[derive(Debug, Clone)]
pub struct Evaluated {
    /// The report as the host receives it.
    pub json: Rc<String>,
    /// The report as the widget renders it.
    pub view: Rc<ReportView>,
    /// The case, pack and report behind it, for the print view (the widget's evaluations only).
    pub prepared: Option<Rc<Prepared>>,
}

/// Two evaluations are alike when they report alike; the case and pack behind them are not
/// compared (the report follows from them).
impl PartialEq for Evaluated {
    fn eq(&self, other: &Self) -> bool {
        self.json == other.json && self.view == other.view
    }
}

/// What an evaluation for the widget was made from and what it made, kept for the print view.
#[derive(Debug)]
pub struct Prepared {
    /// The case with the officer's acknowledgments and hashed files added.
    pub case: rules_core::Case,
    /// The pack it was checked against.
    pub pack: Rc<rules_core::Pack>,
    /// The engine's report.
    pub report: rules_core::Report,
}

/// An administrator's choice for one rule in one scope: leave it as the pack writes it, give
/// it another severity, or switch it off. The config records it as a
/// [`rules_core::RuleOverride`]; the engine decides which choices a rule allows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RuleChoice {
    /// No override: the pack's severity.
    #[default]
    PackDefault,
    /// Another severity.
    Severity(rules_core::Severity),
    /// Switched off.
    Disabled,
}

impl RuleChoice {
    /// Every choice, in the order the rule table offers them.
    pub const ALL: [RuleChoice; 5] = [
        RuleChoice::PackDefault,
        RuleChoice::Severity(rules_core::Severity::Blocking),
        RuleChoice::Severity(rules_core::Severity::Warning),
        RuleChoice::Severity(rules_core::Severity::Info),
        RuleChoice::Disabled,
    ];

    /// The choice an override in force amounts to (`None`: no override).
    pub fn of(over: Option<&rules_core::RuleOverride>) -> Self {
        match over {
            Some(o) if o.disabled => RuleChoice::Disabled,
            Some(o) => o.severity.map_or(RuleChoice::PackDefault, RuleChoice::Severity),
            None => RuleChoice::PackDefault,
        }
    }

    /// Its code, as a menu's `value` carries it: `default`, a severity's code, or `disabled`.
    pub fn code(self) -> &'static str {
        match self {
            RuleChoice::PackDefault => "default",
            RuleChoice::Severity(s) => s.code(),
            RuleChoice::Disabled => "disabled",
        }
    }

    /// The choice whose [`code`](Self::code) is `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// How the rule table names it.
    pub fn zh(self) -> &'static str {
        match self {
            RuleChoice::PackDefault => "规则包默认",
            RuleChoice::Severity(s) => s.zh(),
            RuleChoice::Disabled => "停用",
        }
    }

    /// The override it sets, with the administrator's reason, name and time (`None`: the
    /// pack's own setting again).
    pub fn to_override(self, reason: &str, by: &str, at: rules_core::Time) -> Option<rules_core::RuleOverride> {
        let over = |severity, disabled| rules_core::RuleOverride {
            severity,
            disabled,
            reason: reason.into(),
            by: Some(by.into()),
            at: Some(at),
        };
        match self {
            RuleChoice::PackDefault => None,
            RuleChoice::Severity(s) => Some(over(Some(s), false)),
            RuleChoice::Disabled => Some(over(None, true)),
        }
    }
}

/// Whether two optional shared values are the same one, or both absent. Inputs of derived data
/// are compared by identity: a changed value arrives as a new `Rc`.
pub fn same_rc<T>(a: &Option<Rc<T>>, b: &Option<Rc<T>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Rc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::RuleChoice;

    #[test]
    fn a_rule_choice_reads_back_from_its_code_and_from_the_override_in_force() {
        for c in RuleChoice::ALL {
            assert_eq!(RuleChoice::from_code(c.code()), Some(c));
        }
        assert_eq!(RuleChoice::from_code("停用"), None, "labels are not codes");
        let at = rules_core::Time::parse("2026-03-02T10:00").unwrap();
        for c in RuleChoice::ALL {
            assert_eq!(RuleChoice::of(c.to_override("理由", "王科长", at).as_ref()), c);
        }
    }
}
