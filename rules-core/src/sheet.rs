//! The 全过程记录核查表: one case's checklist as a standalone, printable HTML page (zh-CN,
//! A4, one page per step), filed through the browser's print-to-PDF.
//!
//! The CLI (`rules report`) and the widget's print view both call [`report_html`], so a
//! printed sheet reads the same wherever it was made.
use std::collections::BTreeMap;
use std::fmt::Write;

use crate::case::{Case, Media};
use crate::config::Config;
use crate::log::{CaseLog, LogBreak};
use crate::pack::Pack;
use crate::report::{Item, Report, Status};
use crate::signed::SignatureError;

mod escape;

use escape::Esc;

/// Everything the 核查表 shows about one case.
#[derive(Debug, Clone, Copy)]
pub struct Sheet<'a> {
    /// The case as checked (with the officer's acknowledgments in it).
    pub case: &'a Case,
    /// The pack it was checked against (for the procedure's name).
    pub pack: &'a Pack,
    /// The agency configuration applied (its overrides are listed with their reasons).
    pub config: &'a Config,
    /// The configuration's fingerprint as the caller checked it; absent: the report's own.
    pub config_fingerprint: Option<&'a str>,
    /// The evaluation of `case`.
    pub report: &'a Report,
    /// The case's log, when there is one: its head is printed, so a later copy of the log can
    /// be verified against it, and the reasons given at submit are listed from it.
    pub log: Option<&'a CaseLog>,
    /// Where the log's chain broke, when the caller's [`crate::CaseLog::verify`] found a break.
    pub log_break: Option<&'a LogBreak>,
    /// The platform's signature of the log head (`log.signature`) checked with a key the caller
    /// was given (`rules report --key`); `None`: not checked here, and the sheet says how to.
    pub key_check: Option<&'a Result<(), SignatureError>>,
    /// The officer handling the case (承办人), when the platform says.
    pub handler: Option<&'a str>,
    /// Also print the items that do not apply to the case (by default they are counted only).
    pub all: bool,
}

/// Renders the 核查表 as one HTML document with its print stylesheet inline; every text from
/// the case, pack or configuration is escaped.
pub fn report_html(s: &Sheet<'_>) -> String {
    let mut o = String::with_capacity(32 * 1024);
    let r = s.report;
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <title>全过程记录核查表 {}</title><style>{}</style></head><body>",
        Esc(&r.case_id),
        include_str!("sheet/print.css")
    );
    let _ = write!(
        o,
        "<h1>行政执法全过程记录核查表</h1><p class=\"sub\">{}</p><table class=\"meta\">",
        Esc(&r.pack.agency)
    );
    let procedure = s.pack.def.procedures.iter().find(|p| p.id == s.case.procedure);
    let procedure = procedure.map(|p| p.name.clone()).unwrap_or_else(|| s.case.procedure.clone());
    meta(&mut o, "案件编号", &Esc(&r.case_id).to_string());
    meta(&mut o, "执法机关", &Esc(&r.pack.agency).to_string());
    meta(&mut o, "程序", &Esc(&procedure).to_string());
    meta(&mut o, "依据", &format!("《{}》（规则版本 {}）", Esc(&r.pack.title), Esc(&r.pack.version)));
    if let Some(d) = &r.pack.digest {
        let digest = format!("<span class=\"hash\">{}</span>（非内置规则包，规则或条文与同名内置版本不同）", Esc(d));
        meta(&mut o, "规则包摘要", &digest);
    }
    if let Some(h) = s.handler {
        meta(&mut o, "承办人", &Esc(h).to_string());
    }
    // The report's own fingerprint of the config applied (a caller may pass the one it checked).
    let fp = s.config_fingerprint.unwrap_or(&r.config.fingerprint);
    let defaults = if s.config.is_empty() { "（未使用本机关配置，按规则包默认）" } else { "" };
    let fingerprint = format!("<span class=\"hash\">{}</span>{defaults}", Esc(fp));
    meta(&mut o, "配置指纹", &fingerprint);
    meta(&mut o, "核查时间", &Esc(&r.now.to_string()).to_string());
    let counts = Counts::of(r);
    meta(
        &mut o,
        "核查结果",
        &format!(
            "{}；共 {} 项，已满足 {}，人工确认 {}，未满足 {}，待完成 {}，不适用 {}，已停用 {}",
            if r.gate.allowed {
                format!("<span class=\"gate-ok\">可以提交（警告 {} 项）</span>", r.gate.warnings.len())
            } else {
                format!("<span class=\"gate-no\">不能提交：{} 项必须事项未满足</span>", r.gate.blocking.len())
            },
            counts.all,
            counts.satisfied,
            counts.acknowledged,
            counts.unmet,
            counts.due,
            counts.na,
            counts.waived
        ),
    );
    meta(&mut o, "日志头哈希", &log_cell(s));
    if let Some(l) = s.log {
        meta(&mut o, "平台签名", &signature_cell(l, s.key_check));
    }
    o.push_str("</table>");
    // The first page is what a reviewer needs at once: what is unmet, what rests on an
    // officer's word, the media's digests. The per-step detail follows.
    unmet(&mut o, r);
    officers_word(&mut o, s);
    media_table(&mut o, s.case);

    for step in &r.steps {
        step_section(&mut o, step, &s.report.rules, s.case, s.all);
    }

    o.push_str("<section class=\"tail\"><h2>附：配置调整与说明</h2>");
    overrides(&mut o, s);
    if !r.notes.is_empty() {
        o.push_str("<h3>说明</h3><ul>");
        for n in &r.notes {
            let _ = write!(o, "<li>{}</li>", Esc(n));
        }
        o.push_str("</ul>");
    }
    o.push_str(
        "<div class=\"sign\"><span>核查人（签名）：＿＿＿＿＿＿＿＿</span>\
         <span>法制审核人员（签名）：＿＿＿＿＿＿＿＿</span><span>日期：＿＿＿＿年＿＿月＿＿日</span></div>",
    );
    o.push_str("</section></body></html>\n");
    o
}

/// What rests on an officer's word rather than on the platform's data, on the first page where
/// a reviewer looks first: each acknowledgment (who, when, the note, whether it counted) and
/// each reason given at submit.
fn officers_word(o: &mut String, s: &Sheet<'_>) {
    let acks = &s.case.acknowledgments;
    let reasons: Vec<(&crate::time::Time, &str, &[String])> = s
        .log
        .map(|l| {
            l.entries
                .iter()
                .filter_map(|e| match &e.event {
                    crate::log::LogEvent::SubmitAllowed(a) => {
                        a.reason.as_deref().map(|r| (&e.at, r, a.warnings.as_slice()))
                    }
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    o.push_str("<section class=\"word\"><h2>人工确认与提交理由</h2>");
    if acks.is_empty() {
        o.push_str("<p class=\"muted\">无人工确认。</p>");
    } else {
        o.push_str(
            "<table><thead><tr><th class=\"item\">事项</th><th>确认时间</th><th>确认人</th><th>说明（纸质记录及存放位置）</th>\
             <th class=\"st\">结果</th></tr></thead><tbody>",
        );
        for a in acks {
            let item = s.report.item(&a.item);
            let title = item.and_then(|i| s.report.rule_of(i)).map_or(a.item.as_str(), |r| &r.title);
            let target = item.map(|i| i.target()).filter(|t| *t != "case");
            let target =
                target.map(|t| format!("<br><span class=\"muted\">对象：{}</span>", Esc(t))).unwrap_or_default();
            let verdict = match item.map(|i| i.status) {
                Some(Status::Acknowledged) => "<span class=\"s-acknowledged\">已采信</span>",
                Some(s) if s.is_unmet() => "<span class=\"gate-no\">未采信</span>",
                Some(_) => "<span class=\"muted\">已有系统记录，未使用</span>",
                None => "<span class=\"muted\">本案无此事项</span>",
            };
            let _ = write!(
                o,
                "<tr><td class=\"item\">{}{target}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"st\">{verdict}</td></tr>",
                Esc(title),
                Esc(&a.at.to_string()),
                Esc(a.by.as_deref().unwrap_or("（未记录）")),
                Esc(a.note.as_deref().unwrap_or("（未填写）")),
            );
        }
        o.push_str("</tbody></table>");
    }
    if reasons.is_empty() {
        o.push_str("<p class=\"muted\">无带理由的提交。</p>");
    } else {
        o.push_str(
            "<table><thead><tr><th>提交时间</th><th>理由</th><th class=\"item\">越过的警告</th></tr></thead><tbody>",
        );
        for (at, reason, warnings) in reasons {
            let titles: Vec<String> = warnings
                .iter()
                .map(|k| {
                    s.report
                        .item(k)
                        .and_then(|i| s.report.rule_of(i))
                        .map_or_else(|| k.clone(), |r| r.title.to_string())
                })
                .collect();
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td class=\"item\">{}</td></tr>",
                Esc(&at.to_string()),
                Esc(reason),
                Esc(&titles.join("；"))
            );
        }
        o.push_str("</tbody></table>");
    }
    o.push_str("</section>");
}

/// What keeps the case from being complete, most severe first, on the first page.
fn unmet(o: &mut String, r: &Report) {
    o.push_str("<section class=\"unmet\"><h2>未满足事项</h2>");
    let unmet: Vec<&crate::report::Finding> = r.findings.iter().collect();
    if unmet.is_empty() {
        o.push_str("<p class=\"muted\">无。</p></section>");
        return;
    }
    o.push_str("<table><thead><tr><th class=\"st\">后果</th><th class=\"item\">事项</th><th class=\"st\">状态</th><th>情况</th></tr></thead><tbody>");
    for f in unmet {
        let item = r.item(f.key.as_str());
        let title = item.and_then(|i| r.rule_of(i)).map_or("", |x| &x.title);
        let target = item.map(|i| i.target()).filter(|t| *t != "case");
        let target = target.map(|t| format!("<br><span class=\"muted\">对象：{}</span>", Esc(t))).unwrap_or_default();
        let detail = item.map(|i| i.detail()).unwrap_or_default();
        let _ = write!(
            o,
            "<tr><td class=\"st\">{}</td><td class=\"item\">{}{target}</td><td class=\"st {}\">{}</td><td>{}</td></tr>",
            f.severity.zh(),
            Esc(title),
            status_class(f.status),
            f.status.zh(),
            Esc(detail)
        );
    }
    o.push_str("</tbody></table></section>");
}

/// A file size as people read it: 1.5 GB, 340.2 MB, 12 KB.
fn size_text(bytes: u64) -> String {
    const UNITS: [(&str, f64); 3] = [("GB", 1_073_741_824.0), ("MB", 1_048_576.0), ("KB", 1024.0)];
    #[allow(clippy::cast_precision_loss)] // a size shown to one decimal
    let b = bytes as f64;
    UNITS
        .iter()
        .find(|(_, u)| b >= *u)
        .map(|(name, u)| format!("{:.1} {name}", b / u).replace(".0 ", " "))
        .unwrap_or_else(|| format!("{bytes} 字节"))
}

fn meta(o: &mut String, name: &str, value_html: &str) {
    let _ = write!(o, "<tr><th>{name}</th><td>{value_html}</td></tr>");
}

fn log_cell(s: &Sheet<'_>) -> String {
    let Some(head) = s.log.map(|l| &l.head) else {
        return "无操作日志".to_owned();
    };
    let check = match s.log_break {
        // A keyless chain passes for anyone who recomputed it: the sheet says so, and that its
        // printed head is what catches such a rewrite later.
        None => "链式校验通过<br><small>（无密钥的 SHA-256 哈希链：可发现意外损坏和未重新计算哈希的修改；\
                 持有日志文件、重新计算整条链的人仍可改写日志而校验照样通过。本表打印的日志头（条数与哈希）\
                 可供日后对照，发现此后对前述各条的截短或改写）</small>"
            .to_owned(),
        Some(b) => {
            format!("<span class=\"gate-no\">链式校验未通过：第 {} 条{}</span>", b.index + 1, Esc(&b.reason.zh()))
        }
    };
    format!("<span class=\"hash\">{}</span><br>共 {} 条；{}", Esc(&head.hash), head.count, check)
}

/// The platform's signature of the log head: who signed what and when, the key and signature to
/// check it with, and what was checked here.
fn signature_cell(log: &CaseLog, check: Option<&Result<(), SignatureError>>) -> String {
    let Some(sig) = &log.signature else {
        return "无（平台未对日志头签名：日志只受上述无密钥哈希链保护）".to_owned();
    };
    let mut o = format!(
        "{} 于 {} 签署前 {} 条（日志头 <span class=\"hash\">{}</span>）<br>Ed25519 公钥 <span class=\"hash\">{}</span>\
         <br>签名 <span class=\"hash\">{}</span><br>",
        Esc(&sig.signer),
        Esc(&sig.signed_at.to_string()),
        sig.count,
        Esc(&sig.hash),
        Esc(&sig.key),
        Esc(&sig.signature)
    );
    let covered = usize::try_from(sig.count).unwrap_or(usize::MAX);
    let after = log.entries.len().saturating_sub(covered);
    match check {
        Some(Ok(())) => {
            o.push_str(
                "已用所给的平台公钥核验：签名成立。前述各条即平台保存时的内容，\
                 任何人（包括持有日志文件的内部人员）改写其中一条并重新计算哈希链，核验都会失败",
            );
        }
        Some(Err(e)) => {
            let _ = write!(o, "<span class=\"gate-no\">签名核验未通过：{}</span>", Esc(&e.zh()));
        }
        None => o.push_str(
            "<small>本表未核验签名：以平台公布的公钥执行 <code>rules log verify 记录文件 --key 公钥</code> 核验；\
             签名成立即证明前述各条为平台保存时的内容，内部人员改写也会被发现</small>",
        ),
    }
    if after > 0 {
        let _ = write!(o, "<br><small>其后 {after} 条尚未经平台签名，只受无密钥哈希链保护</small>");
    }
    o
}

#[derive(Default)]
struct Counts {
    all: usize,
    satisfied: usize,
    acknowledged: usize,
    unmet: usize,
    due: usize,
    na: usize,
    waived: usize,
}

impl Counts {
    fn of(r: &Report) -> Self {
        let mut c = Counts::default();
        for i in r.items() {
            c.all += 1;
            match i.status {
                Status::Satisfied => c.satisfied += 1,
                Status::Acknowledged => c.acknowledged += 1,
                Status::DueBy => c.due += 1,
                Status::NotApplicable => c.na += 1,
                Status::Waived => c.waived += 1,
                _ => c.unmet += 1,
            }
        }
        c
    }
}

fn status_class(s: Status) -> &'static str {
    match s {
        Status::Satisfied => "s-satisfied",
        Status::Acknowledged => "s-acknowledged",
        Status::Missing => "s-missing",
        Status::Incomplete => "s-incomplete",
        Status::Overdue => "s-overdue",
        Status::DueBy => "s-due-by",
        Status::OutOfOrder => "s-out-of-order",
        Status::NotApplicable => "s-not-applicable",
        Status::Waived => "s-waived",
    }
}

type Rules = BTreeMap<std::sync::Arc<str>, std::sync::Arc<crate::report::RuleInfo>>;

fn step_section(o: &mut String, step: &crate::report::StepReport, rules: &Rules, case: &Case, all: bool) {
    let done = step.items().filter(|i| matches!(i.status, Status::Satisfied | Status::Acknowledged)).count();
    let counted = step.items().filter(|i| !matches!(i.status, Status::NotApplicable | Status::Waived)).count();
    let acked = step.items().filter(|i| i.status == Status::Acknowledged).count();
    let acked = if acked == 0 { String::new() } else { format!("（其中人工确认 {acked}）") };
    let _ = write!(
        o,
        "<section class=\"step\"><h2>{}　<small class=\"muted\">完成 {done}/{counted}{acked}</small></h2>\
         <table><thead><tr><th class=\"no\">序号</th><th class=\"item\">核查事项</th><th class=\"st\">状态</th>\
         <th class=\"cite\">依据</th><th>满足情况、期限与音像哈希</th></tr></thead><tbody>",
        Esc(&step.name)
    );
    let mut n = 0;
    for i in step.items().filter(|i| all || i.status != Status::NotApplicable) {
        n += 1;
        item_row(o, n, &i, rules.get(i.rule()).map(|r| &**r), case);
    }
    let unlisted = step.items().count() - n;
    if unlisted > 0 {
        let _ =
            write!(o, "<tr><td></td><td colspan=\"4\" class=\"muted\">另有 {unlisted} 项本案不适用，未列出</td></tr>");
    }
    o.push_str("</tbody></table></section>");
}

fn item_row(o: &mut String, n: usize, i: &Item<'_>, rule: Option<&crate::report::RuleInfo>, case: &Case) {
    let (title, article, quote) = rule.map_or(("", "", ""), |r| (&*r.title, &*r.citation.article, &*r.citation.quote));
    let target = if i.target() == "case" {
        String::new()
    } else {
        format!("<br><span class=\"muted\">对象：{}</span>", Esc(i.target()))
    };
    let _ = write!(
        o,
        "<tr><td class=\"no\">{n}</td><td class=\"item\">{}{target}<br><span class=\"muted\">{}·{}</span></td>\
         <td class=\"st {}\">{}</td><td class=\"cite\">{}<q>{}</q></td><td>",
        Esc(title),
        i.strength.zh(),
        i.severity.zh(),
        status_class(i.status),
        i.status.zh(),
        Esc(article),
        Esc(quote),
    );
    let mut lines: Vec<String> = Vec::new();
    if i.status == Status::Acknowledged {
        lines.push(format!("<b class=\"s-acknowledged\">经办人员的确认</b>：{}", Esc(&i.satisfied_by().join("、"))));
    } else if !i.satisfied_by().is_empty() {
        lines.push(format!("对应记录：{}", Esc(&i.satisfied_by().join("、"))));
    }
    if !i.missing().is_empty() {
        lines.push(format!("缺少：{}", Esc(&i.missing().join("、"))));
    }
    if let Some(due) = i.due() {
        let verdict = match i.status {
            Status::Overdue => "<b class=\"s-overdue\">已超期</b>",
            Status::Satisfied => "期限内完成",
            Status::DueBy => "尚未到期",
            _ => "",
        };
        lines.push(format!("期限：至 {} {verdict}", Esc(due)));
    }
    if !matches!(i.status, Status::Satisfied | Status::Acknowledged) || i.satisfied_by().is_empty() {
        lines.push(Esc(i.detail()).to_string());
    }
    if let Some(reason) = i.waived_by_config.filter(|_| i.status != Status::Waived) {
        lines.push(format!("<b>本机关配置：未满足时不阻止提交</b>：{}", Esc(reason)));
    }
    o.push_str(&lines.join("<br>"));
    o.push_str("</td></tr>");
    // Digests on a full-width row of their own: one line each, legible against the file.
    let files = media_for(case, i.target());
    if !files.is_empty() {
        o.push_str("<tr class=\"media-row\"><td></td><td colspan=\"4\">");
        let rows: Vec<String> = files
            .iter()
            .map(|m| {
                format!(
                    "音像 {}　SHA-256 <span class=\"digest\">{}</span>",
                    Esc(&m.name),
                    m.sha256.as_deref().map(|h| Esc(h).to_string()).unwrap_or_else(|| "未计算".to_owned())
                )
            })
            .collect();
        o.push_str(&rows.join("<br>"));
        o.push_str("</td></tr>");
    }
}

/// The media an item's target points at: a `record/file` target, a record, or every record
/// of an activity or service. A scan per item: the sheet is printed once, on request, and a
/// map type of its own would stay in the widget's wasm.
fn media_for<'c>(case: &'c Case, target: &str) -> Vec<&'c Media> {
    let mut out = Vec::new();
    for (owner, r) in case.all_records() {
        let parent = match owner {
            crate::case::Owner::Activity(a) => Some(a.id.as_str()),
            crate::case::Owner::Service(s) => Some(s.id.as_str()),
            crate::case::Owner::Case => None,
        };
        let whole = r.id == target || parent == Some(target);
        let file = target.strip_prefix(r.id.as_str()).and_then(|t| t.strip_prefix('/'));
        out.extend(r.media.iter().filter(|m| whole || file == Some(m.name.as_str())));
    }
    out
}

fn overrides(o: &mut String, s: &Sheet<'_>) {
    o.push_str("<h3>本机关配置调整</h3>");
    // The overrides that applied to this case: agency-wide, or its procedure's or department's.
    let applied: Vec<_> = s
        .pack
        .def
        .rules
        .iter()
        .filter_map(|r| s.config.override_for(&r.id, &s.case.procedure, s.case.department.as_deref()).map(|ov| (r, ov)))
        .collect();
    if applied.is_empty() {
        o.push_str("<p class=\"muted\">无（全部规则按规则包默认执行）</p>");
        return;
    }
    o.push_str("<table><thead><tr><th>规则</th><th>调整</th><th>理由</th></tr></thead><tbody>");
    for (rule, ov) in applied {
        let change = if ov.disabled {
            "停用".to_owned()
        } else {
            ov.severity.map(|v| format!("提交时：{}", v.zh())).unwrap_or_default()
        };
        let _ = write!(
            o,
            "<tr><td>{}<br><span class=\"muted\">{}</span></td><td>{change}</td><td>{}</td></tr>",
            Esc(&rule.title),
            Esc(&rule.id),
            Esc(&ov.reason)
        );
    }
    o.push_str("</tbody></table>");
}

fn media_table(o: &mut String, case: &Case) {
    o.push_str("<h3>音像记录哈希（SHA-256）</h3>");
    let rows: Vec<_> = case.all_records().flat_map(|(_, r)| r.media.iter().map(move |m| (r, m))).collect();
    if rows.is_empty() {
        o.push_str("<p class=\"muted\">本案没有登记音像文件</p>");
        return;
    }
    // The digest gets a full-width row of its own, so it prints on one line and can be read
    // off against the file.
    o.push_str(
        "<table class=\"media\"><thead><tr><th style=\"width:30mm\">记录</th><th>文件</th>\
         <th style=\"width:36mm\">存储时间</th></tr></thead><tbody>",
    );
    for (r, m) in rows {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}{}</td><td>{}</td></tr><tr><td colspan=\"3\">SHA-256　<span class=\"digest\">{}</span></td></tr>",
            Esc(&r.id),
            Esc(&m.name),
            m.size.map(|b| format!("　<span class=\"muted\">{}</span>", size_text(b))).unwrap_or_default(),
            m.stored_at.map(|t| t.to_string()).unwrap_or_else(|| "—".to_owned()),
            m.sha256.as_deref().map(|h| Esc(h).to_string()).unwrap_or_else(|| "未计算".to_owned()),
        );
    }
    o.push_str("</tbody></table>");
}

#[cfg(test)]
mod tests;
