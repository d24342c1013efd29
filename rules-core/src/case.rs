//! The case contract: what the host platform knows about one case.
use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::CaseError;
use crate::time::Time;

/// One enforcement case as the host platform sends it (JSON).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The platform's case number.
    pub id: String,
    /// The pack id of the agency handling the case, e.g. `changsha-zfj`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    /// The procedure, as the pack names it (e.g. `ordinary`, `simple`, `inspection`).
    pub procedure: String,
    /// The department handling the case (科室 / 中队), as the agency's config names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// Case-wide conditions, as the pack names them (e.g. `major`, `hearing-requested`).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub flags: BTreeSet<String>,
    /// Named moments of the case (e.g. `violation_ended`, `discovered`, `closed`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub facts: BTreeMap<String, Time>,
    /// Written and audio-video records filed on the case itself.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<Record>,
    /// What was done: inspections, questioning, seizures, hearings …
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activities: Vec<Activity>,
    /// Attempts to serve documents on the party.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<Service>,
    /// Time not counted in a period (testing, appraisal, hearing …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded_periods: Vec<ExcludedPeriod>,
    /// Items the officer confirmed by hand (things the platform cannot know).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledgments: Vec<Acknowledgment>,
}

/// An enforcement activity, with the records made during it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Activity {
    /// Unique within the case.
    pub id: String,
    /// The activity kind as the pack names it (e.g. `现场检查`, `询问`, `查封扣押`).
    pub kind: String,
    /// When it started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Time>,
    /// When it ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Time>,
    /// Where it happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// Conditions of this activity (e.g. `emergency`, `remote`, `uncooperative`).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub flags: BTreeSet<String>,
    /// For remote work: when the officers returned to the office.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returned_at: Option<Time>,
    /// Records made during this activity.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<Record>,
}

/// How a document was served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ServiceMethod {
    /// 直接送达.
    Direct,
    /// 邮寄送达.
    Postal,
    /// 留置送达.
    Left,
    /// 委托送达 / 转交送达.
    Entrusted,
    /// 公告送达.
    PublicNotice,
}

impl ServiceMethod {
    /// The method's Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            ServiceMethod::Direct => "直接送达",
            ServiceMethod::Postal => "邮寄送达",
            ServiceMethod::Left => "留置送达",
            ServiceMethod::Entrusted => "委托/转交送达",
            ServiceMethod::PublicNotice => "公告送达",
        }
    }
}

/// One attempt to serve a document on the party.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Unique within the case.
    pub id: String,
    /// The record kind of the document served (e.g. `行政处罚决定书`).
    pub document: String,
    /// How it was served.
    pub method: ServiceMethod,
    /// When it was served (for public notice: when the notice period began).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<Time>,
    /// Conditions of this service.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub flags: BTreeSet<String>,
    /// Proof of service: 送达回证, postal receipt, notice evidence, AV …
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<Record>,
}

/// A written record (文书) or an audio-video record (音像记录).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Unique within the case.
    pub id: String,
    /// The record kind as the pack names it (e.g. `询问笔录`, `音像记录`).
    pub kind: String,
    /// The step the platform filed it under (a pack step id); informational, the pack decides
    /// which step an item is listed in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<String>,
    /// When it was made (or approved, for an 审批表).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub made_at: Option<Time>,
    /// How many pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages: Option<u32>,
    /// The content elements it carries, as the pack names them (e.g. `检查起止时间`).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub elements: BTreeSet<String>,
    /// Who signed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub signatures: Vec<Signature>,
    /// Attached audio-video files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<Media>,
    /// Conditions of this record (e.g. `approved`).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub flags: BTreeSet<String>,
}

/// A signature (or seal) on a record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// The signer's role as the pack names it (e.g. `当事人`, `执法人员`, `见证人`).
    pub role: String,
    /// The signer's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The date written beside the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Time>,
    /// Signed on every page.
    #[serde(default)]
    pub every_page: bool,
    /// The person refused to sign, and the refusal is noted on the record.
    #[serde(default)]
    pub refused: bool,
}

/// An audio-video file attached to a record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Media {
    /// File name.
    pub name: String,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// SHA-256 of the file, lowercase hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// SM3 (GB/T 32905) of the file, lowercase hex, where the agency records it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sm3: Option<String>,
    /// When recording started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_from: Option<Time>,
    /// When recording ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_to: Option<Time>,
    /// When it was stored in the designated system or storage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored_at: Option<Time>,
    /// When it was deleted from storage, if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<Time>,
}

/// A span of time not counted in periods that exclude its kind.
///
/// Dates without a time are whole days, both ends included: `from` `2026-03-20` to `to`
/// `2026-03-29` is ten days, and `from` and `to` on the same date one day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExcludedPeriod {
    /// What took the time, as the pack's deadline rules name it (e.g. `检测`, `鉴定`, `听证`).
    pub kind: String,
    /// Start. A date alone is 00:00 of that day.
    pub from: Time,
    /// End. A date alone is the end of that day (24:00): an appraisal until 2026-03-29 took
    /// that day too. A time is the exact end.
    #[serde(deserialize_with = "end_of_period")]
    pub to: Time,
}

/// The end of an excluded period: a date given alone includes its whole day. Read here rather
/// than as `Time` reads dates (00:00) because a period 「至3月29日」 covers the 29th, and
/// counting it to 00:00 dropped a day from every date-only period.
fn end_of_period<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
    crate::text_value::deserialize(d, "a time such as `2026-03-02T09:30` or a date", |s| match crate::time::parse_date(
        s.trim(),
    ) {
        Some(date) => date
            .succ_opt()
            .map(Time::start_of)
            .filter(|t| crate::time::in_range(t.naive()))
            .ok_or_else(|| format!("`{s}`: the end of this day lies outside the years 0001–9999")),
        None => Time::parse(s).map_err(|e| e.to_string()),
    })
}

/// The longest excluded period believed: ten years (3,653 days), beyond any limitation period
/// of administrative punishment. A longer one (「8,000 年的鉴定」) stopped a deadline from ever
/// running out and turned an overdue decision into 可以提交.
pub const MAX_EXCLUDED_DAYS: i64 = 3653;

/// The officer's own confirmation of a checklist item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Acknowledgment {
    /// The item, as `rule@target` (see the report's item keys).
    pub item: String,
    /// When it was confirmed.
    pub at: Time,
    /// Who confirmed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// What the officer wrote (e.g. where the paper record is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Case {
    /// Reads a case from JSON, naming the location of any problem.
    pub fn from_json(text: &str) -> Result<Self, CaseError> {
        let text = crate::json_reader::without_bom(text);
        let case: Case = crate::json_reader::from_str(text).map_err(|e| CaseError::Malformed {
            location: crate::json_path::error_path(text, &e),
            message: e.to_string(),
        })?;
        case.check_ids()?;
        case.check_spans()?;
        Ok(case)
    }

    /// Reads a case from a JSON value (as a binding receives it).
    pub fn from_value(value: serde_json::Value) -> Result<Self, CaseError> {
        Self::from_json(&value.to_string())
    }

    /// The day the case was opened, which decides the pack version it is checked under: the
    /// fact `filed` (立案), `accepted` (受理) or `opened`, whichever the case gives first; else
    /// the earliest activity start or record date.
    pub fn opened_on(&self) -> Option<chrono::NaiveDate> {
        if let Some(t) = ["filed", "accepted", "opened"].iter().find_map(|f| self.facts.get(*f)) {
            return Some(t.date());
        }
        let starts = self.activities.iter().filter_map(|a| a.start);
        let made = self.all_records().filter_map(|(_, r)| r.made_at);
        starts.chain(made).min().map(Time::date)
    }

    /// Every record in the case, wherever it is filed, with its location.
    pub fn all_records(&self) -> impl Iterator<Item = (Owner<'_>, &Record)> {
        let own = self.records.iter().map(|r| (Owner::Case, r));
        let acts = self.activities.iter().flat_map(|a| a.records.iter().map(move |r| (Owner::Activity(a), r)));
        let svcs = self.services.iter().flat_map(|s| s.records.iter().map(move |r| (Owner::Service(s), r)));
        own.chain(acts).chain(svcs)
    }

    /// Refuses spans that cannot be true, naming where: an excluded period, activity or
    /// recording that ends before it starts, and an excluded period longer than
    /// [`MAX_EXCLUDED_DAYS`].
    fn check_spans(&self) -> Result<(), CaseError> {
        fn ordered(from: Option<Time>, to: Option<Time>, location: &dyn Fn() -> String) -> Result<(), CaseError> {
            match (from, to) {
                (Some(from), Some(to)) if to < from => Err(CaseError::Impossible {
                    location: location(),
                    message: format!("结束时间 {} 早于开始时间 {}", to.seconds(), from.seconds()),
                }),
                _ => Ok(()),
            }
        }
        for (i, p) in self.excluded_periods.iter().enumerate() {
            ordered(Some(p.from), Some(p.to), &|| format!("excluded_periods[{i}].to"))?;
            let days = p.to.since(p.from).num_days();
            if days > MAX_EXCLUDED_DAYS {
                return Err(CaseError::Impossible {
                    location: format!("excluded_periods[{i}]"),
                    message: format!(
                        "扣除期间「{}」自 {} 至 {} 共 {days} 日，超过 {MAX_EXCLUDED_DAYS} 日（十年），不可能成立",
                        p.kind,
                        p.from.seconds(),
                        p.to.seconds()
                    ),
                });
            }
        }
        let media = |records: &[Record], at: &dyn Fn(usize, usize) -> String| {
            for (j, r) in records.iter().enumerate() {
                for (k, m) in r.media.iter().enumerate() {
                    ordered(m.recorded_from, m.recorded_to, &|| at(j, k))?;
                }
            }
            Ok(())
        };
        media(&self.records, &|j, k| format!("records[{j}].media[{k}].recorded_to"))?;
        for (i, a) in self.activities.iter().enumerate() {
            ordered(a.start, a.end, &|| format!("activities[{i}].end"))?;
            media(&a.records, &|j, k| format!("activities[{i}].records[{j}].media[{k}].recorded_to"))?;
        }
        for (i, s) in self.services.iter().enumerate() {
            media(&s.records, &|j, k| format!("services[{i}].records[{j}].media[{k}].recorded_to"))?;
        }
        Ok(())
    }

    fn check_ids(&self) -> Result<(), CaseError> {
        // The location is written only for the duplicate: a case has hundreds of ids.
        fn first<'a>(
            seen: &mut BTreeSet<&'a str>,
            id: &'a str,
            location: &dyn Fn() -> String,
        ) -> Result<(), CaseError> {
            if seen.insert(id) {
                Ok(())
            } else {
                Err(CaseError::DuplicateId { id: id.to_owned(), location: location() })
            }
        }
        let mut seen = BTreeSet::new();
        let mut check = |id, location: &dyn Fn() -> String| first(&mut seen, id, location);
        for (i, r) in self.records.iter().enumerate() {
            check(&r.id, &|| format!("records[{i}].id"))?;
        }
        for (i, a) in self.activities.iter().enumerate() {
            check(&a.id, &|| format!("activities[{i}].id"))?;
            for (j, r) in a.records.iter().enumerate() {
                check(&r.id, &|| format!("activities[{i}].records[{j}].id"))?;
            }
        }
        for (i, s) in self.services.iter().enumerate() {
            check(&s.id, &|| format!("services[{i}].id"))?;
            for (j, r) in s.records.iter().enumerate() {
                check(&r.id, &|| format!("services[{i}].records[{j}].id"))?;
            }
        }
        Ok(())
    }
}

/// Where a record is filed.
#[derive(Debug, Clone, Copy)]
pub enum Owner<'a> {
    /// On the case itself.
    Case,
    /// Within an activity.
    Activity(&'a Activity),
    /// Within a service attempt.
    Service(&'a Service),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_location() {
        let e = Case::from_json(
            r#"{"id":"c","procedure":"ordinary","activities":[{"id":"a","kind":"询问","records":[{"id":"r","kind":"询问笔录","signatures":{"role":"x"}}]}]}"#,
        )
        .unwrap_err();
        let s = e.to_string();
        assert!(s.contains("`activities[0].records[0].signatures`"), "{s}");
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let e = Case::from_json(
            r#"{"id":"c","procedure":"ordinary","records":[{"id":"r","kind":"a"},{"id":"r","kind":"b"}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "case has the id `r` twice (at `records[1].id`)");
    }

    #[test]
    fn a_byte_order_mark_before_the_json_is_read_past() {
        let plain = r#"{"id":"c","procedure":"ordinary","facts":{"filed":"2026-03-02"}}"#;
        assert_eq!(Case::from_json(&format!("\u{feff}{plain}")), Case::from_json(plain));
        let e = Case::from_json("\u{feff}{\"id\":\"c\",\"procedure\":\"ordinary\",\"facts\":{\"filed\":\"x\"}}");
        assert!(e.unwrap_err().to_string().contains("`facts.filed`"));
        // Only at the start: elsewhere it is a character like any other, and not JSON.
        assert!(Case::from_json(&format!("{plain}\u{feff}")).is_err());
    }

    #[test]
    fn a_date_only_excluded_period_takes_its_last_day_whole() {
        let c = Case::from_json(
            r#"{"id":"c","procedure":"ordinary","excluded_periods":[
                {"kind":"鉴定","from":"2026-03-20","to":"2026-03-29"},
                {"kind":"检测","from":"2026-03-20","to":"2026-03-20"},
                {"kind":"听证","from":"2026-03-20T09:00","to":"2026-03-20T11:30"}]}"#,
        )
        .unwrap();
        let days: Vec<_> = c.excluded_periods.iter().map(|p| p.to.since(p.from)).collect();
        let h = chrono::Duration::hours;
        assert_eq!(days, [chrono::Duration::days(10), chrono::Duration::days(1), h(2) + chrono::Duration::minutes(30)]);
        // Written back, the end keeps its meaning when read again.
        assert_eq!(Case::from_json(&serde_json::to_string(&c).unwrap()).unwrap(), c);
    }

    #[test]
    fn bad_times_are_named() {
        let e = Case::from_json(r#"{"id":"c","procedure":"ordinary","facts":{"filed":"yesterday"}}"#).unwrap_err();
        assert!(e.to_string().contains("`facts.filed`"), "{e}");
    }
}
