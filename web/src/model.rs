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
