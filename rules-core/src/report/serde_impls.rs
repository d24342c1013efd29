//! serde for the report types whose texts live in the shared buffer, and the `…Repr` twins:
//! the JSON shapes of those types, for reading reports back and for the schema.
use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::text::{sealed, Run, Texts};
use super::{Finding, Item, ItemRow, Key, List, Status, StepReport};
use crate::rule::{Severity, Strength};
use crate::time::Time;

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

impl Serialize for List<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
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
        let satisfied_run = list(texts, &self.satisfied_by);
        let missing_run = list(texts, &self.missing);
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
    /// Set, while the item is unmet, when the agency config switched the rule off or lowered a
    /// must rule: the config's reason. The item keeps its real status: "waived by config",
    /// never satisfied; a met item has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    waived_by_config: Option<String>,
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

/// Adds a list of owned strings as the next list entries (for reports read back from JSON).
fn list(texts: &mut Texts, v: &[String]) -> Run {
    let mark = texts.list_mark();
    for s in v {
        texts.entry(format_args!("{s}"));
    }
    texts.list_since(mark)
}
