//! Record checks: present, with its content, signatures, media and service.
use super::index::{listed, same, Index};
use super::{Ctx, Filed, Outcome, Target};
use crate::case::{Owner, Record};
use crate::report::{Status, Texts};
use crate::rule::{RecordCheck, Within};

/// Writes `《A》或《B》`.
fn write_names(out: &mut Texts, kinds: &[String]) {
    for (i, k) in kinds.iter().enumerate() {
        if i > 0 {
            out.push('或');
        }
        out.push('《');
        out.push_str(k);
        out.push('》');
    }
}

/// Writes the start of an unmet item's finding message, `{title}：`, then the start of its
/// detail for an incomplete `r`, `《kind》（id）不完整：`; returns where the detail starts. The
/// shortcomings follow, separated by `；`: the detail and the message are then one text each,
/// written once, and the shortcomings are parts of it.
fn write_head(out: &mut Texts, title: &str, r: &Record) -> u32 {
    out.push_str(title);
    out.push_str("：");
    let detail = out.mark();
    out.push_str("《");
    out.push_str(&r.kind);
    out.push_str("》（");
    out.push_str(&r.id);
    out.push_str("）不完整：");
    detail
}

pub(crate) fn check<'a>(ctx: &mut Ctx<'a>, c: &RecordCheck, t: Target<'a>) -> Outcome {
    // The most complete candidate speaks for the item. Candidates are scored without writing
    // messages (a case can hold hundreds of records of one kind), except the first: it is
    // usually the only one, so its shortcomings are written as they are counted (the head
    // only once there is one: a complete record writes nothing), and dropped if another
    // candidate does better. The texts are borrowed apart from the indexes rather than moved
    // out of the context and back for each item.
    let title = ctx.title;
    let Ctx { out, served, by_kind, .. } = ctx;
    let (mark, list) = (out.mark(), out.list_mark());
    let mut detail_at = mark;
    let mut best: Option<(&Record, usize, bool)> = None;
    each_candidate(by_kind, c, t, &mut |r| {
        // A record that reads like the best one for this check lacks as much: not counted
        // again. (A case's interview records, say, tend to carry the same items and roles.)
        if best.is_some_and(|(b, _, _)| alike(b, r)) {
            return true;
        }
        let first = best.is_none();
        let n = if first {
            lacks(served, c, r, Some(Head { out: &mut *out, title, detail_at: &mut detail_at }))
        } else {
            lacks(served, c, r, None)
        };
        if best.is_none_or(|(_, b, _)| n < b) {
            best = Some((r, n, first));
        }
        n != 0
    });
    let written = matches!(best, Some((_, n, true)) if n > 0);
    if !written && out.mark() != mark {
        out.truncate(mark, list);
    }
    let best = best.map(|(r, n, _)| (r, n));
    let Some((r, n)) = best else {
        if let Some((detail, message, missing)) = ctx.said.missing {
            let mut o = Outcome::new(Status::Missing, detail);
            o.message = Some(message);
            o.missing = missing;
            return o;
        }
        ctx.out.push_str(title);
        ctx.out.push_str("：");
        let detail_at = ctx.out.mark();
        ctx.out.push_str("缺少");
        let what_at = ctx.out.mark();
        if c.kinds.is_empty() {
            ctx.out.push_str("记录");
        } else {
            write_names(&mut ctx.out, &c.kinds);
        }
        let what = ctx.out.since(what_at);
        let mut o = Outcome::new(Status::Missing, ctx.out.since(detail_at));
        o.message = Some(ctx.out.since(mark));
        let list = ctx.out.list_mark();
        ctx.out.add_entry(what);
        o.missing = ctx.out.list_since(list);
        ctx.said.missing = Some((o.detail, o.message.unwrap_or_default(), o.missing));
        return o;
    };
    if n == 0 {
        let detail = match ctx.said.had {
            Some((kind, detail)) if same(kind, &r.kind) => detail,
            _ => {
                let mark = ctx.out.mark();
                ctx.out.push_str("已有《");
                ctx.out.push_str(&r.kind);
                ctx.out.push_str("》");
                let detail = ctx.out.since(mark);
                ctx.said.had = Some((&r.kind, detail));
                detail
            }
        };
        let mut o = Outcome::new(Status::Satisfied, detail);
        let list = ctx.out.list_mark();
        let mark = ctx.out.mark();
        ctx.out.push_str(&r.id);
        let id = ctx.out.since(mark);
        ctx.out.add_entry(id);
        o.satisfied_by = ctx.out.list_since(list);
        return o;
    }
    if !written {
        let Ctx { out, served, .. } = ctx;
        lacks(served, c, r, Some(Head { out, title, detail_at: &mut detail_at }));
    }
    let mut o = Outcome::new(Status::Incomplete, ctx.out.since(detail_at));
    o.message = Some(ctx.out.since(mark));
    o.missing = ctx.out.list_since(list);
    o
}

/// Whether `a` and `b` are the same as far as [`lacks`] reads them: kind, page count above one,
/// content elements, whether media are attached, and each signature's role, refusal, every
/// page and date given.
fn alike(a: &Record, b: &Record) -> bool {
    a.kind == b.kind
        && (a.pages.unwrap_or(1) > 1) == (b.pages.unwrap_or(1) > 1)
        && a.media.is_empty() == b.media.is_empty()
        && a.signatures.len() == b.signatures.len()
        && a.signatures.iter().zip(&b.signatures).all(|(x, y)| {
            x.refused == y.refused
                && x.every_page == y.every_page
                && x.date.is_some() == y.date.is_some()
                && x.role == y.role
        })
        && a.elements == b.elements
}

/// Calls `f` on each record that could satisfy `c` for `t`, in case order, until it returns
/// `false`; without collecting them, as this runs once per checklist item.
fn each_candidate<'a>(
    by_kind: &Index<'a, Filed<'a>>,
    c: &RecordCheck,
    t: Target<'a>,
    f: &mut dyn FnMut(&'a Record) -> bool,
) {
    let of_kind = |r: &&Record| c.kinds.is_empty() || listed(&c.kinds, &r.kind);
    let whole_case = || c.kinds.iter().filter_map(|k| by_kind.get(k.as_str())).flatten().map(|(_, _, r)| *r);
    let mut run = |it: &mut dyn Iterator<Item = &'a Record>| {
        for r in it {
            if !f(r) {
                break;
            }
        }
    };
    match (c.within, t) {
        (Within::Case, _) | (Within::Auto, Target::Case) => run(&mut whole_case()),
        (Within::Auto, Target::Activity(a)) => run(&mut a.records.iter().filter(of_kind)),
        (Within::Auto, Target::Service(s)) => run(&mut s.records.iter().filter(of_kind)),
        (Within::Auto, Target::Record(o, r) | Target::Media(o, r, _)) => {
            if c.kinds.is_empty() || listed(&c.kinds, &r.kind) {
                run(&mut std::iter::once(r))
            } else {
                match o {
                    Owner::Activity(a) => run(&mut a.records.iter().filter(of_kind)),
                    Owner::Service(s) => run(&mut s.records.iter().filter(of_kind)),
                    Owner::Case => run(&mut whole_case()),
                }
            }
        }
    }
}

/// One thing a record lacks, written only for the candidate chosen.
enum Lack<'a> {
    /// Text as is.
    Fixed(&'static str),
    /// A prefix and a name (`缺少内容：{e}`).
    Named(&'static str, &'a str),
    /// A name and a suffix (`{role}拒绝签名`).
    NameFirst(&'a str, &'static str),
    /// `签名人数不足：{role}需{need}人，实有{have}人`.
    TooFew(&'a str, usize, usize),
    /// `拒绝签名须由{need}名{role}签名证明，实有{n}名`.
    Attest(&'a str, usize, usize),
}

impl Lack<'_> {
    /// Written piece by piece: records lack things by the hundred in a large case.
    fn write(&self, o: &mut Texts) {
        match *self {
            Lack::Fixed(t) => o.push_str(t),
            Lack::Named(p, n) => {
                o.push_str(p);
                o.push_str(n);
            }
            Lack::NameFirst(n, s) => {
                o.push_str(n);
                o.push_str(s);
            }
            Lack::TooFew(role, need, have) => {
                o.push_str("签名人数不足：");
                o.push_str(role);
                o.push_str("需");
                o.number(need);
                o.push_str("人，实有");
                o.number(have);
                o.push_str("人");
            }
            Lack::Attest(role, need, n) => {
                o.push_str("拒绝签名须由");
                o.number(need);
                o.push_str("名");
                o.push_str(role);
                o.push_str("签名证明，实有");
                o.number(n);
                o.push_str("名");
            }
        }
    }
}

/// Where an incomplete record's shortcomings are written: the texts, the title that starts the
/// message, and where the detail starts once written.
struct Head<'o, 't> {
    out: &'o mut Texts,
    title: &'t str,
    detail_at: &'o mut u32,
}

/// How many things `r` lacks for `c`, written as list entries after the message head when
/// given.
fn lacks(served: &Index<'_, usize>, c: &RecordCheck, r: &Record, head: Option<Head<'_, '_>>) -> usize {
    let Some(head) = head else {
        return count_lacks(served, c, r);
    };
    let mut n = 0;
    let mut note = |lack: Lack<'_>| {
        let o = &mut *head.out;
        if n > 0 {
            o.push_str("；");
        } else {
            *head.detail_at = write_head(o, head.title, r);
        }
        let mark = o.mark();
        lack.write(o);
        let entry = o.since(mark);
        o.add_entry(entry);
        n += 1;
    };
    for e in &c.elements {
        if !r.elements.contains(e) {
            note(Lack::Named("缺少内容：", e));
        }
    }
    if let Some(s) = &c.signatures {
        signature_lacks(s, r, &mut note);
    }
    if c.media && r.media.is_empty() {
        note(Lack::Fixed("未附音像文件"));
    }
    if c.served && !served.contains_key(r.kind.as_str()) {
        note(Lack::Fixed("尚未送达"));
    }
    n
}

/// How many things `r` lacks for `c`, as [`lacks`] counts them, without the texts it would
/// write: candidates after the first are only counted, and making each shortcoming to drop it
/// cost more than the check.
#[inline(never)]
fn count_lacks(served: &Index<'_, usize>, c: &RecordCheck, r: &Record) -> usize {
    let mut n = if r.elements.is_empty() {
        c.elements.len()
    } else {
        c.elements.iter().filter(|e| !r.elements.contains(*e)).count()
    };
    if let Some(s) = &c.signatures {
        signature_lacks(s, r, &mut |_| n += 1);
    }
    if c.media && r.media.is_empty() {
        n += 1;
    }
    if c.served && !served.contains_key(&r.kind) {
        n += 1;
    }
    n
}

/// How many times each role is listed, in first-listed order. Without collecting: this runs
/// for every candidate record of every item, and role lists are a handful long.
fn counted(roles: &[String]) -> impl Iterator<Item = (&str, usize)> {
    roles.iter().enumerate().filter_map(move |(i, r)| {
        let first = roles.iter().position(|x| x == r) == Some(i);
        first.then(|| (r.as_str(), roles.iter().filter(|x| *x == r).count()))
    })
}

/// Whether a signer in `signer`'s role signs for `role` (`A|B`: either). Lengths first: most
/// signers are of another role, and a role without `|` is matched whole, without splitting it.
fn takes(role: &str, signer: &str) -> bool {
    match signer.len().cmp(&role.len()) {
        // No alternative is longer than the whole.
        std::cmp::Ordering::Greater => false,
        // Only the whole is this long, an alternative only if it has no `|`.
        std::cmp::Ordering::Equal => same(role, signer) && !role.contains('|'),
        std::cmp::Ordering::Less => role.split('|').any(|alt| same(alt, signer)),
    }
}

fn signature_lacks<'a>(s: &'a crate::rule::SignatureCheck, r: &Record, note: &mut dyn FnMut(Lack<'a>)) {
    let mut any_refused = false;
    for (role, need) in counted(&s.roles) {
        let sigs = || r.signatures.iter().filter(|x| takes(role, &x.role));
        let have = sigs().count();
        if have == 0 {
            note(Lack::Named("缺少签名：", role));
            continue;
        }
        if have < need {
            note(Lack::TooFew(role, need, have));
        }
        for sig in sigs() {
            if sig.refused {
                any_refused = true;
                if s.refusal_not_allowed {
                    note(Lack::NameFirst(role, "拒绝签名"));
                }
                continue;
            }
            if s.every_page && r.pages.unwrap_or(1) > 1 && !sig.every_page {
                note(Lack::Named("未逐页签名：", role));
            }
            if s.dated && sig.date.is_none() {
                note(Lack::Named("签名未注明日期：", role));
            }
        }
    }
    if any_refused {
        for (role, need) in counted(&s.on_refusal) {
            let n = r.signatures.iter().filter(|x| takes(role, &x.role) && !x.refused).count();
            if n < need {
                note(Lack::Attest(role, need, n));
            }
        }
        for e in &s.refusal_elements {
            if !r.elements.contains(e) {
                note(Lack::Named("拒绝签名未注明：", e));
            }
        }
    }
}

#[cfg(test)]
#[cfg(feature = "authoring")]
mod tests {
    use crate::{evaluate, Case, Config, Pack, Status, Time};

    const SOURCE: &str = "第一条 笔录由当事人或者见证人签名，两名执法人员签名。\n第二条 多页笔录应当逐页签名。\n第三条 询问应当制作笔录，由两名执法人员签名。\n";
    const PACK: &str = r#"
id = "t"
agency = "测试"
title = "测试"
version = "1"
procedures = [{ id = "p", name = "程序" }]
steps = [{ id = "s", name = "环节" }]
activities = ["检查", "询问"]
records = ["笔录"]
[[rule]]
id = "1-sign"
title = "签名"
procedures = ["p"]
step = "s"
article = "第一条"
quote = "笔录由当事人或者见证人签名，两名执法人员签名。"
strength = "must"
scope = { record = ["笔录"] }
when = { this_kind = ["检查"] }
check = { record = { signatures = { roles = ["当事人|见证人", "执法人员", "执法人员"] } } }
[[rule]]
id = "2-pages"
title = "逐页"
procedures = ["p"]
step = "s"
article = "第二条"
quote = "多页笔录应当逐页签名。"
strength = "must"
scope = { record = ["笔录"] }
when = "multi_page"
check = { record = { signatures = { roles = ["执法人员"], every_page = true } } }
[[rule]]
id = "3-interview"
title = "询问笔录"
procedures = ["p"]
step = "s"
article = "第三条"
quote = "询问应当制作笔录，由两名执法人员签名。"
strength = "must"
scope = { activity = ["询问"] }
check = { record = { kinds = ["笔录"], signatures = { roles = ["执法人员", "执法人员"] } } }
"#;

    fn status(case: &str, key: &str) -> Status {
        let pack = Pack::from_toml(PACK, SOURCE, "t").unwrap();
        let case = Case::from_json(case).unwrap();
        let r = evaluate(&case, &pack, &Config::default(), Time::parse("2026-03-02").unwrap());
        r.item(key).unwrap().status
    }

    #[test]
    fn alternative_roles_counts_and_kind_conditions() {
        let rec = |sigs: &str, kind: &str| {
            format!(
                r#"{{"id":"c","procedure":"p","activities":[{{"id":"A","kind":"{kind}","records":[{{"id":"R","kind":"笔录","signatures":[{sigs}]}}]}}]}}"#
            )
        };
        let two = r#"{"role":"执法人员"},{"role":"执法人员"}"#;
        assert_eq!(status(&rec(&format!(r#"{{"role":"见证人"}},{two}"#), "检查"), "1-sign@R"), Status::Satisfied);
        assert_eq!(status(&rec(&format!(r#"{{"role":"当事人"}},{two}"#), "检查"), "1-sign@R"), Status::Satisfied);
        assert_eq!(status(&rec(r#"{"role":"当事人"},{"role":"执法人员"}"#, "检查"), "1-sign@R"), Status::Incomplete);
        assert_eq!(status(&rec(two, "检查"), "1-sign@R"), Status::Incomplete);
        assert_eq!(status(&rec(two, "询问"), "1-sign@R"), Status::NotApplicable);
    }

    /// The most complete of an activity's records speaks for the item, however many records
    /// alike it come first (records alike are counted once).
    #[test]
    fn the_most_complete_candidate_is_chosen_among_records_alike() {
        let pack = Pack::from_toml(PACK, SOURCE, "t").unwrap();
        let one = |id: &str, name: &str| {
            format!(r#"{{"id":"{id}","kind":"笔录","signatures":[{{"role":"执法人员","name":"{name}"}}]}}"#)
        };
        let two = |id: &str| {
            format!(r#"{{"id":"{id}","kind":"笔录","signatures":[{{"role":"执法人员"}},{{"role":"执法人员"}}]}}"#)
        };
        let check = |records: &[String]| {
            let case = format!(
                r#"{{"id":"c","procedure":"p","activities":[{{"id":"A","kind":"询问","records":[{}]}}]}}"#,
                records.join(",")
            );
            let r = evaluate(
                &Case::from_json(&case).unwrap(),
                &pack,
                &Config::default(),
                Time::parse("2026-03-02").unwrap(),
            );
            let item = r.item("3-interview@A").unwrap();
            (item.status, item.detail().to_owned(), item.satisfied_by().iter().map(str::to_owned).collect::<Vec<_>>())
        };
        let (status, _, by) = check(&[one("R1", "甲"), one("R2", "乙"), one("R3", "丙"), two("R4")]);
        assert_eq!((status, by), (Status::Satisfied, vec!["R4".to_owned()]));
        let (status, detail, _) = check(&[one("R1", "甲"), one("R2", "乙")]);
        assert_eq!(status, Status::Incomplete);
        assert!(detail.contains("（R1）") && detail.contains("签名人数不足"), "{detail}");
    }

    #[test]
    fn multi_page_condition_reads_the_page_count() {
        let rec = |pages: u32| {
            format!(
                r#"{{"id":"c","procedure":"p","records":[{{"id":"R","kind":"笔录","pages":{pages},"signatures":[{{"role":"执法人员"}}]}}]}}"#
            )
        };
        assert_eq!(status(&rec(1), "2-pages@R"), Status::NotApplicable);
        assert_eq!(status(&rec(3), "2-pages@R"), Status::Incomplete);
    }
}
