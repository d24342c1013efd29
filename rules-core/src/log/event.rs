//! What the widget logs: one variant per kind of event, each with its own payload.
use serde::{Deserialize, Serialize};

/// One logged event: `{"kind": "…", "payload": {…}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", content = "payload", rename_all = "kebab-case")]
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

impl LogEvent {
    /// One line for people (Chinese), as the report and the CLI show it.
    pub fn zh(&self) -> String {
        match self {
            LogEvent::MediaHashed(m) => format!(
                "音像文件 {}{} 计算摘要 SHA-256 {}",
                m.name,
                m.record.as_deref().map(|r| format!("（记录 {r}）")).unwrap_or_default(),
                m.sha256
            ),
            LogEvent::ItemAcknowledged(a) => {
                format!("确认事项 {}{}", a.item, a.by.as_deref().map(|b| format!("（{b}）")).unwrap_or_default())
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
        }
    }
}
