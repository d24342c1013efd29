//! Deadline checks: something happens within a period.
use chrono::Duration;

use super::{anchor, cond, Ctx, Outcome, Target};
use crate::period::Due;
use crate::report::{Span, Status, Texts};
use crate::rule::DeadlineCheck;

pub(crate) fn check(ctx: &mut Ctx<'_>, c: &DeadlineCheck, t: Target<'_>) -> Outcome {
    let Some((from, from_what)) = anchor::resolve(ctx, &c.from, t) else {
        return Outcome::new(Status::NotApplicable, ctx.out.fixed("期限尚未起算"));
    };
    let done = anchor::resolve(ctx, &c.to, t);
    // Excluded time counts only where it falls after the start of the period.
    let mut extra = Duration::zero();
    for p in ctx.case.excluded_periods.iter().filter(|p| c.exclude.contains(&p.kind)) {
        let a = p.from.max(from);
        if p.to > a {
            extra += p.to.since(a);
        }
    }
    // Usually empty, and then cloned without allocating.
    let known_before = ctx.counter.unknown_years.clone();
    let extended = c.extend.as_ref().filter(|e| cond::holds(ctx, &e.when, t));
    let base = ctx.counter.due(from, c.period, extra);
    let due = match (base, extended) {
        (Some(b), Some(e)) if e.period.unit == c.period.unit => {
            let mut p = c.period;
            p.count = p.count.saturating_add(e.period.count);
            ctx.counter.due(from, p, extra).or(Some(b))
        }
        (Some(b), Some(e)) => ctx.counter.due(b.at, e.period, Duration::zero()).or(Some(b)),
        (b, _) => b,
    };
    let Some(due) = due else {
        return Outcome::new(Status::NotApplicable, ctx.out.fixed("期限超出可计算范围"));
    };
    let extended = extended.map(|e| e.period);
    let done_at = done.as_ref().map(|(d, _)| *d);
    // Written piece by piece rather than with `format!`: a case has a deadline item for each of
    // its media files, and the formatting machinery was most of their cost.
    let out = &mut ctx.out;
    let mark = out.mark();
    // The item's due text is the one in its detail, not written again.
    let due_text;
    let status = match done {
        Some((d, what)) => {
            what.write(out);
            out.push_str("于");
            out.time(d);
            if d < due.at {
                out.push_str("，在期限");
                due_text = write_due(out, due);
                out.push_str("内");
                Status::Satisfied
            } else {
                out.push_str("，已超过期限");
                due_text = write_due(out, due);
                Status::Overdue
            }
        }
        None if ctx.now >= due.at => {
            out.push_str("已超过期限");
            due_text = write_due(out, due);
            out.push_str("，尚未完成");
            Status::Overdue
        }
        None => {
            out.push_str("应于");
            due_text = write_due(out, due);
            out.push_str("前完成");
            Status::DueBy
        }
    };
    out.push_str("（自");
    from_what.write(out);
    out.time(from);
    out.push_str("起");
    out.period(c.period);
    if let Some(e) = extended {
        out.push_str("（含延长");
        out.period(e);
        out.push_str("）");
    }
    if extra > Duration::zero() {
        out.push_str("，已扣除不计入期限的时间");
    }
    out.push_str("）");
    let mut o = Outcome::new(status, out.since(mark));
    o.due_text = Some(due_text);
    if let (Status::Satisfied, Some((d, what))) = (status, done) {
        let list = out.list_mark();
        let mark = out.mark();
        what.write(out);
        out.push(' ');
        out.time(d);
        let entry = out.since(mark);
        out.add_entry(entry);
        o.satisfied_by = out.list_since(list);
    }
    o.due = Some(due);
    // A missing holiday year only matters if the answer depends on it: a deadline met before
    // that year began would be met whatever its holidays are.
    if o.status == Status::Satisfied {
        use chrono::Datelike;
        if let Some(d) = done_at.filter(|_| ctx.counter.unknown_years.len() != known_before.len()) {
            let mut new_years = ctx.counter.unknown_years.iter().filter(|y| !known_before.contains(y));
            if new_years.all(|y| d.date().year() < *y) {
                ctx.counter.unknown_years = known_before;
            }
        }
    }
    o
}

/// Writes `due` and returns where. A due moment that is not the end of a day reads as the time
/// it is, and is written as times are, copied when written recently.
fn write_due(out: &mut Texts, due: Due) -> Span {
    let mark = out.mark();
    if due.end_of_day {
        out.due(due);
    } else {
        out.time(due.at);
    }
    out.since(mark)
}
