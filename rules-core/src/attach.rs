//! Media files hashed on the officer's machine, filed where a checklist item looks
//! for them, so the item is judged on the real file and its real storage time.
use crate::case::{Case, Media, Record};
use crate::pack::Pack;
use crate::rule::{Check, Rule, Scope};

/// Why a media file cannot be filed under an item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachError {
    /// The item key is not `rule@target`.
    #[error("item `{0}` is not of the form `rule@target`")]
    BadKey(String),
    /// The pack has no such rule.
    #[error("item `{item}` names the rule `{rule}`, which the pack does not have")]
    UnknownRule {
        /// The item key.
        item: String,
        /// The rule id in it.
        rule: String,
    },
    /// The rule does not ask for audio-video files.
    #[error("item `{0}` does not take audio-video files")]
    NotMedia(String),
    /// The case has no such target.
    #[error("item `{item}` names `{target}`, which the case does not have")]
    UnknownTarget {
        /// The item key.
        item: String,
        /// The target id in it.
        target: String,
    },
}

/// Whether `item` (`rule@target`) is one that audio-video files satisfy: a record check that
/// asks for media, or a rule over media files (such as the storage deadline).
pub fn takes_media(pack: &Pack, item: &str) -> bool {
    item.split_once('@').and_then(|(rule, _)| pack.rule(rule)).is_some_and(media_rule)
}

/// Whether the items of `rule` take an audio-video file (see [`takes_media`]), for callers
/// that already hold the rule.
pub fn is_media_rule(rule: &Rule) -> bool {
    media_rule(rule)
}

fn media_rule(rule: &Rule) -> bool {
    rule.accepts().media
}

/// Files `media` where the item `item` looks for it and returns the id of the record that
/// holds it:
/// - an item over one media file (`rule@record/name`): the file of that name in that record
///   takes the new digests, size and storage time (a file not yet listed is added);
/// - an item asking for an audio-video record of an activity, service, record or the case:
///   the first such record there without the file takes it; when there is none, a record of
///   the rule's first kind is added (id `<target>-av`, made when the recording ended).
pub fn attach_media(case: &mut Case, pack: &Pack, item: &str, media: Media) -> Result<String, AttachError> {
    let (rule_id, target) = item.split_once('@').ok_or_else(|| AttachError::BadKey(item.to_owned()))?;
    let rule = pack
        .rule(rule_id)
        .ok_or_else(|| AttachError::UnknownRule { item: item.to_owned(), rule: rule_id.to_owned() })?;
    if !media_rule(rule) {
        return Err(AttachError::NotMedia(item.to_owned()));
    }
    let unknown = || AttachError::UnknownTarget { item: item.to_owned(), target: target.to_owned() };
    if let Scope::Media(_) = rule.scope {
        let (record_id, name) = target.split_once('/').ok_or_else(unknown)?;
        let record = record_mut(case, record_id).ok_or_else(unknown)?;
        // The item is about the file listed under that name, whatever the copy is called.
        merge(record, Media { name: name.to_owned(), ..media });
        return Ok(record_id.to_owned());
    }
    let kinds = match &rule.check {
        Check::Record(c) => c.kinds.clone(),
        _ => Vec::new(),
    };
    if let Some(record) = record_mut(case, target) {
        merge(record, media);
        return Ok(target.to_owned());
    }
    let fresh_id = fresh_id(case, target);
    let records = records_of(case, target).ok_or_else(unknown)?;
    if let Some(r) = records.iter_mut().find(|r| kinds.contains(&r.kind)) {
        merge(r, media);
        return Ok(r.id.clone());
    }
    let kind = kinds.first().cloned().unwrap_or_else(|| "音像记录".to_owned());
    records.push(Record {
        id: fresh_id.clone(),
        kind,
        step: Some(rule.step.clone()),
        made_at: media.recorded_to,
        media: vec![media],
        ..Record::default()
    });
    Ok(fresh_id)
}

/// Adds the file, or updates the listed file of the same name with what was measured.
fn merge(record: &mut Record, media: Media) {
    match record.media.iter_mut().find(|m| m.name == media.name) {
        Some(m) => {
            m.size = media.size.or(m.size);
            m.sha256 = media.sha256.or(m.sha256.take());
            m.sm3 = media.sm3.or(m.sm3.take());
            m.recorded_from = m.recorded_from.or(media.recorded_from);
            m.recorded_to = m.recorded_to.or(media.recorded_to);
            // Stored is stored: a later fingerprint does not move an earlier storage time.
            m.stored_at = match (m.stored_at, media.stored_at) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        None => record.media.push(media),
    }
}

fn record_mut<'a>(case: &'a mut Case, id: &str) -> Option<&'a mut Record> {
    let Case { records, activities, services, .. } = case;
    records
        .iter_mut()
        .chain(activities.iter_mut().flat_map(|a| a.records.iter_mut()))
        .chain(services.iter_mut().flat_map(|s| s.records.iter_mut()))
        .find(|r| r.id == id)
}

fn records_of<'a>(case: &'a mut Case, target: &str) -> Option<&'a mut Vec<Record>> {
    if target == "case" {
        return Some(&mut case.records);
    }
    if let Some(a) = case.activities.iter_mut().find(|a| a.id == target) {
        return Some(&mut a.records);
    }
    case.services.iter_mut().find(|s| s.id == target).map(|s| &mut s.records)
}

/// `<target>-av`, or `<target>-av2`, … when taken.
fn fresh_id(case: &Case, target: &str) -> String {
    let taken = |id: &str| {
        case.all_records().any(|(_, r)| r.id == id)
            || case.activities.iter().any(|a| a.id == id)
            || case.services.iter().any(|s| s.id == id)
    };
    let mut id = format!("{target}-av");
    let mut n = 2;
    while taken(&id) {
        id = format!("{target}-av{n}");
        n += 1;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{evaluate, Config, Status, Time};

    fn t(s: &str) -> Option<Time> {
        Some(Time::parse(s).unwrap())
    }

    fn file(name: &str, stored: &str) -> Media {
        Media {
            name: name.into(),
            size: Some(1024),
            sha256: Some("ab".repeat(32)),
            sm3: None,
            recorded_to: t("2026-03-02T10:30"),
            stored_at: t(stored),
            ..Media::default()
        }
    }

    fn inspection() -> Case {
        Case::from_json(
            r#"{"id":"c","procedure":"ordinary","activities":[{"id":"A1","kind":"现场检查","start":"2026-03-02T09:30","end":"2026-03-02T10:30"}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn a_hashed_file_satisfies_the_av_item_and_meets_the_storage_deadline() {
        let pack = Pack::builtin("changsha-zfj").unwrap();
        let now = Time::parse("2026-03-03T09:00").unwrap();
        let mut case = inspection();
        let before = evaluate(&case, &pack, &Config::default(), now);
        assert_eq!(before.item("13-inspection-av@A1").unwrap().status, Status::Missing);
        assert!(takes_media(&pack, "13-inspection-av@A1"));
        let id = attach_media(&mut case, &pack, "13-inspection-av@A1", file("a.mp4", "2026-03-02T18:00")).unwrap();
        assert_eq!(id, "A1-av");
        let id2 = attach_media(&mut case, &pack, "13-inspection-av@A1", file("b.mp4", "2026-03-02T18:05")).unwrap();
        assert_eq!(id2, "A1-av", "a second file joins the same record");
        let after = evaluate(&case, &pack, &Config::default(), now);
        assert_eq!(after.item("13-inspection-av@A1").unwrap().status, Status::Satisfied);
        assert_eq!(after.item("41-av-stored-24h@A1-av/a.mp4").unwrap().status, Status::Satisfied);
    }

    #[test]
    fn storing_late_is_overdue_and_a_media_item_updates_the_listed_file() {
        let pack = Pack::builtin("changsha-zfj").unwrap();
        let now = Time::parse("2026-03-05T09:00").unwrap();
        let mut case = inspection();
        attach_media(&mut case, &pack, "13-inspection-av@A1", file("a.mp4", "2026-03-04T09:00")).unwrap();
        let r = evaluate(&case, &pack, &Config::default(), now);
        assert_eq!(r.item("41-av-stored-24h@A1-av/a.mp4").unwrap().status, Status::Overdue);
        // Filed again under the media item itself: the listed file is updated, not doubled.
        attach_media(&mut case, &pack, "41-av-stored-24h@A1-av/a.mp4", file("a.mp4", "2026-03-04T10:00")).unwrap();
        let media = &case.activities[0].records[0].media;
        assert_eq!(media.len(), 1);
        assert_eq!(media[0].stored_at, t("2026-03-04T09:00"), "the earlier storage time stands");
        assert_eq!(media[0].size, Some(1024));
    }

    #[test]
    fn errors_name_the_item() {
        let pack = Pack::builtin("changsha-zfj").unwrap();
        let mut case = inspection();
        let e = attach_media(&mut case, &pack, "13-inspection-av", file("a", "2026-03-02")).unwrap_err();
        assert_eq!(e.to_string(), "item `13-inspection-av` is not of the form `rule@target`");
        let e = attach_media(&mut case, &pack, "nope@A1", file("a", "2026-03-02")).unwrap_err();
        assert!(matches!(e, AttachError::UnknownRule { .. }), "{e}");
        let e = attach_media(&mut case, &pack, "13-inspection-av@A9", file("a", "2026-03-02")).unwrap_err();
        assert_eq!(e.to_string(), "item `13-inspection-av@A9` names `A9`, which the case does not have");
        assert!(!takes_media(&pack, "39-archive-30d@case"));
        let e = attach_media(&mut case, &pack, "39-archive-30d@case", file("a", "2026-03-02")).unwrap_err();
        assert!(matches!(e, AttachError::NotMedia(_)), "{e}");
    }
}
