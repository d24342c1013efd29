//! A side-by-side table of what each agency requires for the same activity or service method.
use crate::case::ServiceMethod;
use crate::pack::Pack;
use crate::rule::{Check, Cond, Rule, Scope, Strength};

/// A row of the comparison: an activity, a service method or a stage.
struct Row {
    name: &'static str,
    matches: fn(&Rule) -> bool,
}

fn activity(rule: &Rule, names: &[&str]) -> bool {
    matches!(&rule.scope, Scope::Activity(kinds) if kinds.iter().any(|k| names.iter().any(|n| k.contains(n))))
}

fn service(rule: &Rule, m: ServiceMethod) -> bool {
    matches!(&rule.scope, Scope::Service(ms) if ms.is_empty() || ms.contains(&m))
}

fn titled(rule: &Rule, words: &[&str]) -> bool {
    words.iter().any(|w| rule.title.contains(w))
}

const ROWS: &[Row] = &[
    Row { name: "现场检查(勘验)", matches: |r| activity(r, &["现场检查", "勘验", "监督检查"]) },
    Row { name: "询问", matches: |r| activity(r, &["询问"]) },
    Row { name: "抽样/取样检测", matches: |r| activity(r, &["抽样", "取样", "采样"]) },
    Row { name: "查封扣押", matches: |r| activity(r, &["查封", "扣押"]) },
    Row { name: "先行登记保存", matches: |r| activity(r, &["先行登记保存", "登记保存"]) },
    Row { name: "听证", matches: |r| activity(r, &["听证"]) || titled(r, &["听证通知"]) },
    Row { name: "直接送达", matches: |r| service(r, ServiceMethod::Direct) },
    Row { name: "邮寄送达", matches: |r| service(r, ServiceMethod::Postal) },
    Row { name: "留置送达", matches: |r| service(r, ServiceMethod::Left) },
    Row { name: "委托/转交送达", matches: |r| service(r, ServiceMethod::Entrusted) },
    Row { name: "公告送达", matches: |r| service(r, ServiceMethod::PublicNotice) },
    Row { name: "催告", matches: |r| titled(r, &["催告"]) },
    Row { name: "音像存储", matches: |r| matches!(r.scope, Scope::Media(_)) },
    Row { name: "归档", matches: archived },
];

/// Putting records into the file: what is titled so, and the evidence disc, which goes into the
/// file (刻盘附卷, 入卷) whether or not the title says 归档. Media-scoped rules stay in the
/// storage row, where each file is timed.
fn archived(r: &Rule) -> bool {
    let disc = matches!(&r.check, Check::Record(c) if c.kinds.iter().any(|k| is_disc(k)))
        || matches!(&r.scope, Scope::Record(k) if k.iter().any(|k| is_disc(k)));
    !matches!(r.scope, Scope::Media(_)) && (disc || titled(r, &["归档", "附卷", "入卷", "刻盘"]))
}

fn is_disc(kind: &str) -> bool {
    kind.contains("光盘") || kind.contains("光碟")
}

/// Whether the rule applies only in some cases. A rule for `not X` beside a variant for `X` in
/// the same cell (plain storage and storage after remote work; a receipt signed by the party
/// and one signed by another signee) is not conditional: between them the cell's requirement
/// always holds, and the variant alone carries the mark.
fn conditional(r: &Rule, cell: &[&Rule]) -> bool {
    match &r.when {
        None => false,
        Some(Cond::Not(c)) => !cell.iter().any(|o| o.when.as_ref() == Some(&**c)),
        Some(_) => true,
    }
}

fn cell_part(r: &Rule, cell: &[&Rule]) -> String {
    let strength = match r.strength {
        Strength::Must => "",
        Strength::Conditional => "（有条件时）",
        Strength::May => "（可选）",
    };
    let cond = if conditional(r, cell) { "†" } else { "" };
    let what = match &r.check {
        // Footage itself; a disc or a written note about footage is named as the record it is.
        Check::Record(c) if c.media || c.kinds.iter().any(|k| k == "音像记录") => "音像记录".to_owned(),
        Check::Record(c) if c.kinds.is_empty() => r.title.clone(),
        Check::Record(c) => c.kinds.iter().map(|k| format!("《{k}》")).collect::<Vec<_>>().join("或"),
        Check::Deadline(d) => format!("{}内：{}", d.period.label(), r.title),
        Check::Order(_) => r.title.clone(),
    };
    format!("{what}{strength}{cond} {}", r.article)
}

/// The comparison as a Markdown page: rows are activities and service methods, columns are
/// the packs, each cell lists what that agency requires, with the article.
pub fn compare_markdown(packs: &[Pack]) -> String {
    let mut out = String::from(
        "# 各机关全过程记录要求对照\n\n\
         由 `rules compare` 根据规则包生成（请勿手工编辑）。每格列出该机关对该环节要求的记录、\
         音像记录和期限及其条文；“（可选）”为可以/根据需要，“（有条件时）”为有条件的应，\
         “†”表示仅在特定情形下适用（见 `rules explain <规则>`）；“—”表示该机关的规定未作专门要求。\n\n",
    );
    out.push_str("| 环节 |");
    for p in packs {
        out.push_str(&format!(" {}（{}） |", p.def.agency, p.def.id));
    }
    out.push_str("\n|---|");
    for _ in packs {
        out.push_str("---|");
    }
    out.push('\n');
    for row in ROWS {
        out.push_str(&format!("| {} |", row.name));
        for p in packs {
            let cell: Vec<&Rule> = p.def.rules.iter().filter(|r| (row.matches)(r)).collect();
            let mut parts: Vec<String> = Vec::new();
            for r in &cell {
                let part = cell_part(r, &cell);
                // A conditional variant saying what an unconditional part already says adds
                // nothing but a misleading mark.
                let plain = part.replacen('†', "", 1);
                let said = parts.contains(&part) || (part != plain && parts.contains(&plain));
                if !said {
                    parts.retain(|x| x.replacen('†', "", 1) != plain || x == &plain);
                    parts.push(part);
                }
            }
            let cell = if parts.is_empty() { "—".to_owned() } else { parts.join("<br>") };
            out.push_str(&format!(" {} |", cell.replace('|', "\\|")));
        }
        out.push('\n');
    }
    out
}
