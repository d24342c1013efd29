//! A side-by-side table of what each agency requires for the same activity or service method.
use crate::case::ServiceMethod;
use crate::pack::Pack;
use crate::rule::{Check, Rule, Scope, Strength};

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
    Row { name: "归档", matches: |r| titled(r, &["归档"]) },
];

fn cell_part(r: &Rule) -> String {
    let strength = match r.strength {
        Strength::Must => "",
        Strength::Conditional => "（有条件时）",
        Strength::May => "（可选）",
    };
    let cond = if r.when.is_some() { "†" } else { "" };
    let what = match &r.check {
        Check::Record(c) if c.media || c.kinds.iter().any(|k| k.contains("音像")) => "音像记录".to_owned(),
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
        // A pack given in several versions names each, so two columns of one agency differ.
        let versions = packs.iter().filter(|q| q.id() == p.id()).count();
        let name = if versions > 1 { p.label() } else { p.def.id.clone() };
        out.push_str(&format!(" {}（{name}） |", p.def.agency));
    }
    out.push_str("\n|---|");
    for _ in packs {
        out.push_str("---|");
    }
    out.push('\n');
    for row in ROWS {
        out.push_str(&format!("| {} |", row.name));
        for p in packs {
            let mut parts: Vec<String> = Vec::new();
            for r in p.def.rules.iter().filter(|r| (row.matches)(r)) {
                let part = cell_part(r);
                if !parts.contains(&part) {
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
