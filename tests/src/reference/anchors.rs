//! Anchors, deadlines and orders (pack-reference.md, "Anchor", "ThisPoint", "DeadlineCheck",
//! "OrderCheck", "Extension").
use chrono::Duration;
use rules_core::{Anchor, Calendar, Case, DeadlineCheck, OrderCheck, Period, Status, ThisPoint, Time};

use super::conditions;
use super::periods::due;
use super::targets::{every_record, Place, Target};

/// The moment `anchor` names for `target`, or `None` when it has not happened. `after` is the
/// moment the other end of the check resolved to (for `record_after`).
pub fn resolve(anchor: &Anchor, case: &Case, target: &Target<'_>, after: Option<Time>) -> Option<Time> {
    match anchor {
        Anchor::Fact(f) => case.facts.get(f).copied(),
        Anchor::ActivityStart(kinds) => {
            let mut best: Option<Time> = None;
            for a in &case.activities {
                if kinds.contains(&a.kind) {
                    if let Some(t) = a.start {
                        if best.is_none_or(|b| t < b) {
                            best = Some(t);
                        }
                    }
                }
            }
            best
        }
        Anchor::ActivityEnd(kinds) => {
            let mut best: Option<Time> = None;
            for a in &case.activities {
                if kinds.contains(&a.kind) {
                    if let Some(t) = a.end {
                        if best.is_none_or(|b| t > b) {
                            best = Some(t);
                        }
                    }
                }
            }
            best
        }
        Anchor::Record(kinds) => earliest_record(case, kinds, None),
        // Decision: with no other end to count from, `record_after` is `record`.
        Anchor::RecordAfter(kinds) => earliest_record(case, kinds, after),
        Anchor::Served(kinds) => {
            let mut best: Option<Time> = None;
            for s in &case.services {
                if kinds.contains(&s.document) {
                    if let Some(t) = s.at {
                        if best.is_none_or(|b| t < b) {
                            best = Some(t);
                        }
                    }
                }
            }
            best
        }
        Anchor::This(point) => this(*point, target),
        Anchor::FirstOf(list) => {
            // "The first of these anchors that is present": first in the list, not in time.
            for a in list {
                if let Some(t) = resolve(a, case, target, after) {
                    return Some(t);
                }
            }
            None
        }
    }
}

/// The earliest `made_at` of a record of `kinds`, at or after `after` when given.
fn earliest_record(case: &Case, kinds: &[String], after: Option<Time>) -> Option<Time> {
    let mut best: Option<Time> = None;
    for (r, _) in every_record(case) {
        if !kinds.contains(&r.kind) {
            continue;
        }
        let Some(t) = r.made_at else { continue };
        if after.is_some_and(|a| t < a) {
            continue;
        }
        if best.is_none_or(|b| t < b) {
            best = Some(t);
        }
    }
    best
}

/// A moment of the target itself. Decision: a record or media file reads the activity or
/// service it is filed with for the activity's and service's moments, as `returned` is
/// documented to ("of the activity, or the media's activity").
fn this(point: ThisPoint, target: &Target<'_>) -> Option<Time> {
    let place = match target {
        Target::Record(_, p) | Target::Media(_, _, p) => Some(*p),
        _ => None,
    };
    let activity = match (target, place) {
        (Target::Activity(a), _) => Some(*a),
        (_, Some(Place::Activity(a))) => Some(a),
        _ => None,
    };
    let service = match (target, place) {
        (Target::Service(s), _) => Some(*s),
        (_, Some(Place::Service(s))) => Some(s),
        _ => None,
    };
    let record = match target {
        Target::Record(r, _) | Target::Media(_, r, _) => Some(*r),
        _ => None,
    };
    let media = match target {
        Target::Media(m, _, _) => Some(*m),
        _ => None,
    };
    match point {
        ThisPoint::Start => activity.and_then(|a| a.start),
        ThisPoint::End => activity.and_then(|a| a.end),
        ThisPoint::Returned => activity.and_then(|a| a.returned_at),
        ThisPoint::Served => service.and_then(|s| s.at),
        ThisPoint::Made => record.and_then(|r| r.made_at),
        ThisPoint::RecordedTo => media.and_then(|m| m.recorded_to),
        ThisPoint::Stored => media.and_then(|m| m.stored_at),
        ThisPoint::Deleted => media.and_then(|m| m.deleted_at),
    }
}

/// The time of the case's excluded periods of `kinds` that falls after `from`, a moment
/// covered by two periods counted once.
fn excluded_after(case: &Case, kinds: &[String], from: Time) -> Duration {
    let mut spans: Vec<(Time, Time)> = Vec::new();
    for p in &case.excluded_periods {
        if !kinds.contains(&p.kind) || p.to <= from {
            continue;
        }
        let start = if p.from < from { from } else { p.from };
        spans.push((start, p.to));
    }
    spans.sort();
    let mut total = Duration::zero();
    let mut covered_to: Option<Time> = None;
    for (a, b) in spans {
        let a = match covered_to {
            Some(c) if c > a => c,
            _ => a,
        };
        if b > a {
            total += b.since(a);
        }
        if covered_to.is_none_or(|c| b > c) {
            covered_to = Some(b);
        }
    }
    total
}

/// A deadline: its status and, when counted, its due moment.
pub fn deadline(
    c: &DeadlineCheck,
    case: &Case,
    target: &Target<'_>,
    now: Time,
    calendar: &Calendar,
) -> (rules_core::Status, Option<Time>) {
    // Decision: a period whose start has not happened has not begun to run.
    let Some(from) = resolve(&c.from, case, target, None) else { return (Status::NotApplicable, None) };
    let to = resolve(&c.to, case, target, Some(from));
    let mut period = c.period;
    let mut second: Option<Period> = None;
    if let Some(ext) = &c.extend {
        if conditions::holds(&ext.when, case, target) {
            if ext.period.unit == period.unit {
                period.count = period.count.saturating_add(ext.period.count);
            } else {
                second = Some(ext.period);
            }
        }
    }
    let extra = if c.exclude.is_empty() { Duration::zero() } else { excluded_after(case, &c.exclude, from) };
    let Some(mut end) = due(calendar, from, period, extra) else {
        // Past the dates that can be counted (only a case built in code): not judged.
        return (Status::NotApplicable, None);
    };
    if let Some(p) = second {
        // Decision: an extension in another unit runs on from the end of the first period
        // (from its last day for a day-counted one, whose day is then not counted again).
        let start =
            if end.end_of_day { Time::start_of(end.at.date().pred_opt().unwrap_or(end.at.date())) } else { end.at };
        match due(calendar, start, p, Duration::zero()) {
            Some(e) => end = e,
            None => return (Status::NotApplicable, None),
        }
    }
    let status = match to {
        Some(t) if end.allows(t) => Status::Satisfied,
        Some(_) => Status::Overdue,
        None if end.allows(now) => Status::DueBy,
        None => Status::Overdue,
    };
    (status, Some(end.at))
}

/// An order: `first` before `then`, at least `min_gap` apart.
pub fn order(c: &OrderCheck, case: &Case, target: &Target<'_>, calendar: &Calendar) -> Status {
    let first = resolve(&c.first, case, target, None);
    let then = resolve(&c.then, case, target, first);
    match (first, then) {
        // Decision: until the second thing happens there is nothing to put in order.
        (_, None) => Status::NotApplicable,
        // Decision: the second thing happened and the first never did: what is wrong is that
        // the first is missing (the scenarios' reading: 「缺少前一环节」), not their order.
        (None, Some(_)) => Status::Missing,
        (Some(f), Some(t)) => {
            // Decision: the same moment is in order ("before" read as "not after").
            if t < f {
                return Status::OutOfOrder;
            }
            match c.min_gap {
                None => Status::Satisfied,
                Some(gap) => match due(calendar, f, gap, Duration::zero()) {
                    // "At least this long between them": the second may fall at the end of
                    // the gap (包括本数) — for a day-counted gap, from 00:00 after its last day.
                    Some(end) if t >= end.at => Status::Satisfied,
                    Some(_) => Status::OutOfOrder,
                    None => Status::NotApplicable,
                },
            }
        }
    }
}
