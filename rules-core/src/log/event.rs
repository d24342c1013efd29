//! What the widget logs: one variant per kind of event, each with its own payload.
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

/// One logged event: `{"kind": "…", "payload": {…}}`.
// Read by hand (see `Deserialize` below); written by serde's derive.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
// `deny_unknown_fields` is for the schema: the hand-written reader refuses other members.
#[serde(tag = "kind", content = "payload", rename_all = "kebab-case", deny_unknown_fields)]
pub enum LogEvent {
    /// A media file was hashed on the device.
    MediaHashed(MediaHashed),
    /// The officer ticked a checklist item.
    ItemAcknowledged(ItemAcknowledged),
    /// The officer took a tick back.
    ItemUnacknowledged(ItemUnacknowledged),
    /// The platform asked whether the case may be submitted.
    SubmitAttempted(SubmitAttempted),
    /// Submission was refused.
    SubmitBlocked(SubmitBlocked),
    /// Submission was let through.
    SubmitAllowed(SubmitAllowed),
    /// An agency configuration was applied.
    ConfigApplied(ConfigApplied),
    /// The rule pack used to check the case.
    PackVersion(PackVersion),
    /// Two copies of the log that grew apart (two people on two PCs) were joined.
    Merged(Merged),
}

/// Payload of [`LogEvent::MediaHashed`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MediaHashed {
    /// The record the file is attached to, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// File name.
    pub name: String,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// SHA-256 of the file, lowercase hex.
    pub sha256: String,
}

/// Payload of [`LogEvent::ItemAcknowledged`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ItemAcknowledged {
    /// The item key, `rule@target`.
    pub item: String,
    /// Who ticked it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// What the officer wrote: the paper record and where it is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Payload of [`LogEvent::ItemUnacknowledged`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ItemUnacknowledged {
    /// The item key, `rule@target`.
    pub item: String,
}

/// Payload of [`LogEvent::SubmitAttempted`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitAttempted {
    /// Unmet blocking items at the time.
    pub blocking: u32,
    /// Unmet warnings at the time.
    pub warnings: u32,
}

/// Payload of [`LogEvent::SubmitBlocked`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitBlocked {
    /// Why (e.g. the blocking items, or that the officer cancelled).
    pub reason: String,
    /// Keys of the unmet blocking items.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocking: Vec<String>,
}

/// Payload of [`LogEvent::SubmitAllowed`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitAllowed {
    /// The officer's reason for submitting over warnings, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Keys of the unmet warnings submitted over.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Payload of [`LogEvent::ConfigApplied`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfigApplied {
    /// The configuration's fingerprint (SHA-256).
    pub fingerprint: String,
}

/// Payload of [`LogEvent::PackVersion`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PackVersion {
    /// Pack id.
    pub id: String,
    /// Pack version.
    pub version: String,
}

/// Payload of [`LogEvent::Merged`].
///
/// The entry follows the last entry of the other copy and names both heads, so the joined log
/// verifies end to end: every entry of both copies keeps its hash, and each branch is reached
/// from the merge entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Merged {
    /// The hashes of the two heads joined: this copy's, then the other copy's (the entry's
    /// `prev`).
    pub heads: Vec<String>,
    /// Items both copies acknowledged differently; the later acknowledgment is the one kept,
    /// and both stay in the log.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
}

/// The kinds of [`LogEvent`], as `kind` names them.
#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    MediaHashed,
    ItemAcknowledged,
    ItemUnacknowledged,
    SubmitAttempted,
    SubmitBlocked,
    SubmitAllowed,
    ConfigApplied,
    PackVersion,
    Merged,
}

/// The members of an event object. Any other member is refused: the hash covers an event as
/// it is written back, so a member read and dropped would sit in the file unprotected.
#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum Member {
    Kind,
    Payload,
}

/// Reads `{"kind": …, "payload": …}` with `kind` first, as every log is written. serde's
/// derive would also take the payload first, by buffering it, and that buffering is compiled
/// in for every payload type (about 6 KB of the widget's gzipped wasm); a log with its members
/// the other way round is refused with a message that says so.
impl<'de> Deserialize<'de> for LogEvent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_struct("LogEvent", &["kind", "payload"], EventVisitor)
    }
}

struct EventVisitor;

impl<'de> Visitor<'de> for EventVisitor {
    type Value = LogEvent;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("adjacently tagged enum LogEvent")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<LogEvent, A::Error> {
        let mut kind = None;
        let mut event = None;
        // A payload met before any kind is skipped; the event is then refused at its end.
        let mut early_payload = false;
        while let Some(member) = map.next_key::<Member>()? {
            match member {
                Member::Kind if kind.is_some() => return Err(de::Error::duplicate_field("kind")),
                Member::Kind => kind = Some(map.next_value::<Kind>()?),
                Member::Payload if event.is_some() || early_payload => {
                    return Err(de::Error::duplicate_field("payload"))
                }
                Member::Payload => {
                    let Some(kind) = kind else {
                        map.next_value::<IgnoredAny>()?;
                        early_payload = true;
                        continue;
                    };
                    event = Some(match kind {
                        Kind::MediaHashed => LogEvent::MediaHashed(map.next_value()?),
                        Kind::ItemAcknowledged => LogEvent::ItemAcknowledged(map.next_value()?),
                        Kind::ItemUnacknowledged => LogEvent::ItemUnacknowledged(map.next_value()?),
                        Kind::SubmitAttempted => LogEvent::SubmitAttempted(map.next_value()?),
                        Kind::SubmitBlocked => LogEvent::SubmitBlocked(map.next_value()?),
                        Kind::SubmitAllowed => LogEvent::SubmitAllowed(map.next_value()?),
                        Kind::ConfigApplied => LogEvent::ConfigApplied(map.next_value()?),
                        Kind::PackVersion => LogEvent::PackVersion(map.next_value()?),
                        Kind::Merged => LogEvent::Merged(map.next_value()?),
                    });
                }
            }
        }
        match (kind, event) {
            (None, _) => Err(de::Error::missing_field("kind")),
            (Some(_), None) if early_payload => {
                Err(de::Error::custom("`payload` before `kind`: an event gives its `kind` first"))
            }
            (Some(_), None) => Err(de::Error::missing_field("payload")),
            (Some(_), Some(event)) => Ok(event),
        }
    }
}

impl LogEvent {
    /// One line for people (Chinese), as the report and the CLI show it.
    pub fn zh(&self) -> String {
        match self {
            LogEvent::MediaHashed(m) => format!(
                "音像文件 {}{} 计算哈希 SHA-256 {}",
                m.name,
                m.record.as_deref().map(|r| format!("（记录 {r}）")).unwrap_or_default(),
                m.sha256
            ),
            LogEvent::ItemAcknowledged(a) => {
                format!(
                    "确认事项 {}{}{}",
                    a.item,
                    a.by.as_deref().map(|b| format!("（{b}）")).unwrap_or_default(),
                    a.note.as_deref().map(|n| format!("：{n}")).unwrap_or_default()
                )
            }
            LogEvent::ItemUnacknowledged(a) => format!("撤销确认 {}", a.item),
            LogEvent::SubmitAttempted(s) => {
                format!("尝试提交：必须事项未满足 {} 项，警告 {} 项", s.blocking, s.warnings)
            }
            LogEvent::SubmitBlocked(s) => format!("提交被拦截：{}", s.reason),
            LogEvent::SubmitAllowed(s) => match &s.reason {
                Some(r) => format!("允许提交（说明：{r}）"),
                None => "允许提交".to_owned(),
            },
            LogEvent::ConfigApplied(c) => format!("应用本机关配置，指纹 {}", c.fingerprint),
            LogEvent::PackVersion(p) => format!("使用规则包 {} 版本 {}", p.id, p.version),
            LogEvent::Merged(m) => {
                let short = |h: &String| h.get(..12).unwrap_or(h).to_owned();
                let heads: Vec<String> = m.heads.iter().map(short).collect();
                let conflicts = if m.conflicts.is_empty() {
                    String::new()
                } else {
                    format!("；两处确认不一致的事项（保留较晚的一条，两条均在日志中）：{}", m.conflicts.join("、"))
                };
                format!("合并两份记录的日志（日志头 {}）{conflicts}", heads.join(" 与 "))
            }
        }
    }
}
