//! Deadline checks: something happens within a period.
use chrono::Duration;

use super::{anchor, cond, satisfied, Ctx, Outcome, Target};
use crate::report::Status;
use crate::rule::DeadlineCheck;

pub(crate) fn check(ctx: &mut Ctx<'_>, c: &DeadlineCheck, t: Target<'_>) -> Outcome {
    let Some((from, from_what)) = anchor::resolve(ctx, &c.from, t) else {
        return Outcome::new(Status::NotApplicable, ctx.say(format_args!("期限尚未起算")));
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
        return Outcome::new(Status::NotApplicable, ctx.say(format_args!("期限超出可计算范围")));
    };
    let period = PeriodWords { period: c.period, extended: extended.map(|e| e.period) };
    let excl = if extra > Duration::zero() { "，已扣除不计入期限的时间" } else { "" };
    let done_at = done.as_ref().map(|(d, _)| *d);
    let mut o = match done {
        Some((d, what)) if d < due.at => {
            let mut o = Outcome::new(
                Status::Satisfied,
                ctx.say(format_args!("{what}于{d}，在期限{due}内（自{from_what}{from}起{period}{excl}）")),
            );
            o.satisfied_by = satisfied(ctx, format_args!("{what} {d}"));
            o
        }
        Some((d, what)) => Outcome::new(
            Status::Overdue,
            ctx.say(format_args!("{what}于{d}，已超过期限{due}（自{from_what}{from}起{period}{excl}）")),
        ),
        None if ctx.now >= due.at => Outcome::new(
            Status::Overdue,
            ctx.say(format_args!("已超过期限{due}，尚未完成（自{from_what}{from}起{period}{excl}）")),
        ),
        None => {
            Outcome::new(Status::DueBy, ctx.say(format_args!("应于{due}前完成（自{from_what}{from}起{period}{excl}）")))
        }
    };
    o.due = Some(due);
    // A missing holiday year only matters if the answer depends on it: a deadline met before
    // that year began would be met whatever its holidays are.
    if o.status == Status::Satisfied {
        use chrono::Datelike;
        if let Some(d) = done_at {
            let new_years: Vec<i32> = ctx.counter.unknown_years.difference(&known_before).copied().collect();
            if new_years.iter().all(|y| d.date().year() < *y) {
                ctx.counter.unknown_years = known_before;
            }
        }
    }
    o
}

/// `30日` or `60日（含延长30日）`, written straight into the detail.
struct PeriodWords {
    period: crate::period::Period,
    extended: Option<crate::period::Period>,
}

impl std::fmt::Display for PeriodWords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.extended {
            Some(e) => write!(f, "{}（含延长{}）", self.period.zh(), e.zh()),
            None => write!(f, "{}", self.period.zh()),
        }
    }
}
