//! Deadline checks: something happens within a period.
use chrono::Duration;

use super::{anchor, cond, Ctx, Outcome, Target};
use crate::case::ExcludedPeriod;
use crate::period::Due;
use crate::report::{Span, Status, Texts};
use crate::rule::DeadlineCheck;
use crate::time::Time;

pub(crate) fn check<'a>(ctx: &mut Ctx<'a>, c: &'a DeadlineCheck, t: Target<'a>) -> Outcome {
    let Some((from, from_what)) = anchor::resolve_once(ctx, 0, &c.from, t, None) else {
        return Outcome::new(Status::NotApplicable, ctx.out.fixed("期限尚未起算"));
    };
    let done = anchor::resolve_once(ctx, 1, &c.to, t, Some(from));
    let excluded = ctx.said.excluded.get_or_insert_with(|| Excluded::new(&ctx.case.excluded_periods, &c.exclude));
    let Some(extra) = excluded.as_ref().and_then(|e| e.after(from)) else {
        return beyond_range(ctx);
    };
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
        return beyond_range(ctx);
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
            // Within the due minute, the seconds decide: 「存储于10:30，已超过期限10:30」 hid
            // an item 30 s late.
            let seconds = !due.end_of_day && d != due.at && d.same_minute(due.at);
            what.write(out);
            out.push_str("于");
            if seconds {
                out.time_seconds(d);
            } else {
                out.time(d);
            }
            if due.allows(d) {
                out.push_str("，在期限");
                due_text = write_due(out, due, seconds);
                out.push_str("内");
                Status::Satisfied
            } else {
                out.push_str("，已超过期限");
                due_text = write_due(out, due, seconds);
                Status::Overdue
            }
        }
        None if !due.allows(ctx.now) => {
            out.push_str("已超过期限");
            due_text = write_due(out, due, false);
            out.push_str("，尚未完成");
            Status::Overdue
        }
        None => {
            // 「最迟」 rather than 「…前」: the end itself is still in time.
            out.push_str("最迟应于");
            due_text = write_due(out, due, false);
            out.push_str("完成");
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
/// it is, and is written as times are, copied when written recently, or with its seconds when
/// they decide the verdict.
fn write_due(out: &mut Texts, due: Due, seconds: bool) -> Span {
    let mark = out.mark();
    if due.end_of_day {
        out.due(due);
    } else if seconds {
        out.time_seconds(due.at);
    } else {
        out.time(due.at);
    }
    out.since(mark)
}

/// The outcome of a deadline whose end lies past the dates the engine can count. Only a case
/// built in code reaches it (a case read from JSON has years 0001–9999 and excluded periods of at most ten years); the report's notes
/// name the rule, so it is never silently not applicable.
pub(crate) fn beyond_range(ctx: &mut Ctx<'_>) -> Outcome {
    ctx.beyond_range = true;
    Outcome::new(Status::NotApplicable, ctx.out.fixed("期限超出可计算范围"))
}

/// The time a deadline rule does not count: the case's excluded periods of the rule's kinds,
/// merged where they overlap, so that a day taken by both a test and a hearing is not counted
/// off twice. Built once per rule, so each item asks in `log n` rather than walking every
/// period.
pub(crate) struct Excluded {
    /// Disjoint spans in time order, each with the total of itself and the spans after it.
    spans: Vec<(Time, Time, Duration)>,
}

impl Excluded {
    /// `None` when the total is past what a duration can hold (only for times built in code).
    pub(crate) fn new(periods: &[ExcludedPeriod], kinds: &[String]) -> Option<Self> {
        let mut spans: Vec<(Time, Time)> =
            periods.iter().filter(|p| p.to > p.from && kinds.contains(&p.kind)).map(|p| (p.from, p.to)).collect();
        spans.sort_unstable();
        let mut merged: Vec<(Time, Time, Duration)> = Vec::with_capacity(spans.len());
        for (a, b) in spans {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b, Duration::zero())),
            }
        }
        let mut total = Duration::zero();
        for s in merged.iter_mut().rev() {
            total = total.checked_add(&s.1.since(s.0))?;
            s.2 = total;
        }
        Some(Excluded { spans: merged })
    }

    /// The excluded time after `from`: excluded time counts only where it falls after the
    /// start of the period.
    pub(crate) fn after(&self, from: Time) -> Option<Duration> {
        let i = self.spans.partition_point(|s| s.1 <= from);
        match self.spans.get(i) {
            None => Some(Duration::zero()),
            Some(&(a, _, total)) if a >= from => Some(total),
            Some(&(a, _, total)) => total.checked_sub(&from.since(a)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Time {
        Time::parse(s).unwrap()
    }

    fn period(kind: &str, from: &str, to: &str) -> ExcludedPeriod {
        ExcludedPeriod { kind: kind.to_owned(), from: t(from), to: t(to) }
    }

    #[test]
    fn overlapping_periods_are_counted_once_and_only_after_the_start() {
        let periods = [
            period("检测", "2026-03-05", "2026-03-10"),
            period("听证", "2026-03-08", "2026-03-12"),
            period("鉴定", "2026-04-01", "2026-04-03"),
            period("其他", "2026-03-01", "2026-05-01"),
            period("检测", "2026-03-20", "2026-03-19"),
        ];
        let kinds = ["检测".to_owned(), "听证".to_owned(), "鉴定".to_owned()];
        let e = Excluded::new(&periods, &kinds).unwrap();
        assert_eq!(e.after(t("2026-03-01")), Some(Duration::days(9)));
        assert_eq!(e.after(t("2026-03-09")), Some(Duration::days(5)));
        assert_eq!(e.after(t("2026-03-12")), Some(Duration::days(2)));
        assert_eq!(e.after(t("2026-04-03")), Some(Duration::zero()));
    }

    #[test]
    fn periods_across_every_representable_year_do_not_overflow() {
        let periods = vec![period("检测", "0001-01-01", "9999-12-31"); 40_000];
        let e = Excluded::new(&periods, &["检测".to_owned()]).unwrap();
        assert_eq!(e.after(t("9999-12-31")), Some(Duration::zero()));
        assert!(e.after(t("0001-01-01")).unwrap() > Duration::days(3_650_000));
    }

    #[test]
    fn a_period_over_every_representable_moment_is_counted() {
        let (min, max) = (Time::start_of(chrono::NaiveDate::MIN), Time::start_of(chrono::NaiveDate::MAX));
        let periods = [ExcludedPeriod { kind: "检测".to_owned(), from: min, to: max }];
        let e = Excluded::new(&periods, &["检测".to_owned()]).unwrap();
        assert_eq!(e.after(min), Some(max.since(min)));
    }
}
