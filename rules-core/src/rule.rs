//! One rule of a pack: what an article requires, when, and how strongly.
use serde::{Deserialize, Serialize};

use crate::case::ServiceMethod;
use crate::period::Period;

/// How strongly the regulation words the duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Strength {
    /// 应当 / 必须 / 应 / 需.
    Must,
    /// 有条件的应: must where the means exist.
    Conditional,
    /// 可以 / 根据需要 / 视情况.
    May,
}

impl Strength {
    /// Its code in JSON (`must`, `conditional`, `may`).
    pub fn code(self) -> &'static str {
        match self {
            Strength::Must => "must",
            Strength::Conditional => "conditional",
            Strength::May => "may",
        }
    }

    /// How the checklist shows it.
    pub fn zh(self) -> &'static str {
        match self {
            Strength::Must => "必须",
            Strength::Conditional => "有条件时必须",
            Strength::May => "可选",
        }
    }

    /// The severity at submit when the pack does not say.
    pub fn default_severity(self) -> Severity {
        match self {
            Strength::Must => Severity::Blocking,
            Strength::Conditional => Severity::Warning,
            Strength::May => Severity::Info,
        }
    }
}

/// What an unmet rule does to submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Submission is refused.
    Blocking,
    /// Submission needs a reason.
    Warning,
    /// Shown, never stops anything.
    Info,
}

impl Severity {
    /// Its code in JSON (`blocking`, `warning`, `info`).
    pub fn code(self) -> &'static str {
        match self {
            Severity::Blocking => "blocking",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// How the checklist shows it.
    pub fn zh(self) -> &'static str {
        match self {
            Severity::Blocking => "阻止提交",
            Severity::Warning => "警告",
            Severity::Info => "提示",
        }
    }
}

/// A rule as written in a pack file.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id, unique in the pack (e.g. `13-inspection-record`).
    pub id: String,
    /// What the checklist item says, in Chinese.
    pub title: String,
    /// The procedures the rule belongs to (pack procedure ids).
    pub procedures: Vec<String>,
    /// The step the item is listed under (a pack step id).
    pub step: String,
    /// The article as the text numbers it (e.g. `第十三条`, `第7条`).
    pub article: String,
    /// A verbatim passage of that article.
    pub quote: String,
    /// 应当 / 有条件的应 / 可以.
    pub strength: Strength,
    /// At submit; defaults from the strength.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// What the rule is checked for, one item per target.
    #[serde(default)]
    pub scope: Scope,
    /// When it applies; always when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Cond>,
    /// What satisfies it.
    pub check: Check,
    /// What the encoding simplified, and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Why a rule whose quote words a duty (应当 / 应 / 必须 / 不得) is nevertheless `may`
    /// (e.g. 「应当根据实际进行音像记录」). The loader refuses such a rule without it, and every
    /// report that lists the rule shows it: a duty is never made optional silently.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strength_override: Option<String>,
}

/// Words containing 应 that do not word a duty.
const NOT_DUTY: [&str; 16] = [
    "相应", "对应", "适应", "响应", "反应", "供应", "呼应", "感应", "效应", "答应", "应急", "应用", "应对", "应诉",
    "应聘", "应邀",
];

/// The word by which a quote makes something a duty (应当, 必须, 不得, 应), if any.
pub fn duty_word(quote: &str) -> Option<&'static str> {
    let mut q = quote.to_owned();
    for w in NOT_DUTY {
        q = q.replace(w, "");
    }
    ["应当", "必须", "不得", "应"].into_iter().find(|w| q.contains(w))
}

impl Rule {
    /// The effective severity from the pack (before any agency config).
    pub fn severity(&self) -> Severity {
        self.severity.unwrap_or_else(|| self.strength.default_severity())
    }

    /// What an officer may add to this rule's items in place of the platform's data.
    pub fn accepts(&self) -> Accepts {
        Accepts {
            acknowledgment: matches!(self.check, Check::Record(_)),
            media: matches!(self.scope, Scope::Media(_)) || matches!(&self.check, Check::Record(c) if c.media),
        }
    }
}

/// What a rule's items accept from an officer, as [`Rule::accepts`] says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Accepts {
    /// An acknowledgment (the officer confirms a paper record the platform has no data of):
    /// only a record check takes one, and only for an item whose record is missing.
    pub acknowledgment: bool,
    /// Audio-video files: a record check asking for media, or a rule over media files.
    pub media: bool,
}

impl Accepts {
    /// Whether an acknowledgment can make an item of this rule with `status` acknowledged: a
    /// record the platform holds and that falls short must be completed instead, and a met
    /// item needs none.
    pub fn acknowledgment_for(self, status: crate::Status) -> bool {
        self.acknowledgment && status == crate::Status::Missing
    }
}

/// What a rule produces one checklist item for.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The case as a whole (one item).
    #[default]
    Case,
    /// Each activity of these kinds.
    Activity(Vec<String>),
    /// Each service attempt by these methods (all methods when empty).
    Service(Vec<ServiceMethod>),
    /// Each record of these kinds, wherever filed.
    Record(Vec<String>),
    /// Each attached media file, in records of these kinds (all when empty).
    Media(Vec<String>),
}

/// A condition on the case and the current target.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cond {
    /// Every condition holds.
    All(Vec<Cond>),
    /// At least one holds.
    Any(Vec<Cond>),
    /// The condition does not hold.
    Not(Box<Cond>),
    /// The case has this flag.
    Flag(String),
    /// The target (or the activity or service it belongs to) has this flag.
    ThisFlag(String),
    /// The case, or any of its activities, services or records, has this flag: for a fact
    /// the platform may record on the case or on the activity where it happened.
    AnyFlag(String),
    /// The case has an activity of one of these kinds.
    Activity(Vec<String>),
    /// The case has a record of one of these kinds.
    Record(Vec<String>),
    /// A document of one of these kinds was served.
    Served(Vec<String>),
    /// The case has this fact.
    Fact(String),
    /// The target service serves one of these document kinds (or the target record is one).
    ThisDocument(Vec<String>),
    /// The target activity (or the activity the target record belongs to) is of one of these kinds.
    ThisKind(Vec<String>),
    /// The target record (or media's record) has more than one page.
    MultiPage,
    /// On the target record (or media's record) a signer in this role refused to sign: where a
    /// text gives a remedy for a refusal (「拒绝签字确认的…在相应文书中注明」), the duties the
    /// refusing person would have performed (a print at corrections, a seam print) give way
    /// to it.
    Refused(String),
}

/// A moment a deadline or an order is measured from or to.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    /// A named fact of the case.
    Fact(String),
    /// The earliest start of an activity of these kinds.
    ActivityStart(Vec<String>),
    /// The latest end of an activity of these kinds.
    ActivityEnd(Vec<String>),
    /// The earliest record of these kinds (its `made_at`).
    Record(Vec<String>),
    /// The earliest service of a document of these kinds.
    Served(Vec<String>),
    /// As `record`, but the earliest made at or after the other end of the check (a deadline's
    /// start, an order's first): where each target needs its own record in time (a disc burnt
    /// within 24 hours of each recording), a record made for an earlier target does not answer
    /// for a later one.
    RecordAfter(Vec<String>),
    /// A moment of the current target.
    This(ThisPoint),
    /// The first of these anchors that is present.
    FirstOf(Vec<Anchor>),
}

/// A moment of the current target.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThisPoint {
    /// Activity start.
    Start,
    /// Activity end.
    End,
    /// Return to the office after remote work (of the activity, or the media's activity).
    Returned,
    /// Service time.
    Served,
    /// Record made.
    Made,
    /// Media recording ended.
    RecordedTo,
    /// Media stored.
    Stored,
    /// Media deleted.
    Deleted,
}

/// What satisfies a rule.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// A record is present and complete.
    Record(RecordCheck),
    /// Something happens within a period.
    Deadline(DeadlineCheck),
    /// One thing happens before another.
    Order(OrderCheck),
}

/// A record is present and complete.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordCheck {
    /// Any of these kinds satisfies (empty with a record scope: the record itself).
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Where to look.
    #[serde(default)]
    pub within: Within,
    /// Content elements it must carry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub elements: Vec<String>,
    /// Who must sign, and how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signatures: Option<SignatureCheck>,
    /// It must carry an audio-video file.
    #[serde(default)]
    pub media: bool,
    /// It must have been served on the party.
    #[serde(default)]
    pub served: bool,
}

/// Where a record check looks.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Within {
    /// The target's own records for activity, service and record scopes; the whole case otherwise.
    #[default]
    Auto,
    /// Anywhere in the case.
    Case,
}

/// Signatures a record needs.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureCheck {
    /// Roles that must each sign (or have a noted refusal); a role listed twice needs two
    /// signers (e.g. two officers); `A|B` is satisfied by a signer in either role.
    pub roles: Vec<String>,
    /// On every page (逐页签名).
    #[serde(default)]
    pub every_page: bool,
    /// With a date beside the signature (注明日期).
    #[serde(default)]
    pub dated: bool,
    /// A refusal to sign does not satisfy the role.
    #[serde(default)]
    pub refusal_not_allowed: bool,
    /// When someone refused, these roles must have signed to attest the refusal (a role listed
    /// twice needs two signers).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_refusal: Vec<String>,
    /// When someone refused, the record must carry these elements (e.g. the refusal noted).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refusal_elements: Vec<String>,
}

/// Something happens within a period.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineCheck {
    /// When the period starts.
    pub from: Anchor,
    /// What must happen in time; when absent or not yet happened, the item shows the due time.
    pub to: Anchor,
    /// How long.
    pub period: Period,
    /// Excluded-period kinds not counted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// A longer period under a condition (e.g. approved extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extend: Option<Extension>,
    /// Which counting applies and why, for the pack docs.
    pub basis: String,
}

/// A period added when a condition holds.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// How much is added.
    pub period: Period,
    /// When.
    pub when: Cond,
}

/// One thing happens before another.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderCheck {
    /// Must come first.
    pub first: Anchor,
    /// Comes after.
    pub then: Anchor,
    /// At least this long between them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_gap: Option<Period>,
    /// Which counting applies to the gap and why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}
