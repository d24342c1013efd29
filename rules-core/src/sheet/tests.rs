use super::*;
use crate::config::RuleOverride;
use crate::log::{CaseLog, LogEvent, MediaHashed};
use crate::time::Time;

fn case(name: &str) -> Case {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples").join(name);
    Case::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn render(
    case: &Case,
    config: &Config,
    fingerprint: Option<&str>,
    log: Option<&CaseLog>,
    now: &str,
) -> (Report, String) {
    let pack = Pack::builtin("changsha-zfj").unwrap();
    let report = crate::evaluate(case, &pack, config, Time::parse(now).unwrap());
    let broken = log.and_then(|l| l.verify().err());
    let html = report_html(&Sheet {
        case,
        pack: &pack,
        config,
        config_fingerprint: fingerprint,
        report: &report,
        log,
        log_break: broken.as_ref(),
        key_check: None,
        handler: Some("张三"),
        all: true,
    });
    (report, html)
}

#[test]
fn the_sheet_carries_the_header_every_item_and_its_citation() {
    let c = case("01-complete.json");
    let (r, html) = render(&c, &Config::default(), Some("f00d"), None, "2026-04-10T12:00");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    for want in [
        "行政执法全过程记录核查表",
        "长执罚〔2026〕0012号",
        &r.pack.agency,
        "行政处罚一般程序",
        &r.pack.version,
        "f00d",
        "无操作日志",
        "2026-04-10",
    ] {
        assert!(html.contains(want), "missing {want}");
    }
    assert!(html.contains("@page { size: A4;"));
    assert_eq!(html.matches("<section class=\"step\">").count(), r.steps.len());
    let items: Vec<_> = r.items().collect();
    assert!(items.len() > 10);
    assert_eq!(html.matches("<td class=\"no\">").count(), items.len(), "one numbered row per item");
    for i in items {
        let quote = &r.rule_of(i).unwrap().citation.quote;
        assert!(html.contains(&Esc(quote).to_string()), "quote of {}", i.key());
        assert!(
            html.contains(&format!(">{}</td>", i.status.zh())) || html.contains(&format!("\">{}</td>", i.status.zh()))
        );
    }
    // Media digests appear in the item rows and in the appendix.
    let digest = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    assert!(html.matches(digest).count() >= 3, "{}", html.matches(digest).count());
}

#[test]
fn missed_deadlines_and_overrides_with_reasons_are_shown() {
    let c = case("03-av-stored-late.json");
    let mut config = Config::default();
    let pack = Pack::builtin("changsha-zfj").unwrap();
    let rule = pack.def.rules.iter().find(|r| r.strength == crate::rule::Strength::May).unwrap();
    config.rules.insert(
        rule.id.clone(),
        RuleOverride { severity: None, disabled: true, reason: "本局<不适用>此项".into(), by: None, at: None },
    );
    let (r, html) = render(&c, &config, None, None, "2026-04-10T12:00");
    let overdue = r.items().find(|i| i.status == Status::Overdue && i.due().is_some());
    if let Some(i) = overdue {
        assert!(html.contains(&format!("期限：至 {} <b class=\"s-overdue\">已超期</b>", i.due().unwrap())));
    }
    assert!(r.items().any(|i| i.status == Status::Overdue), "the sample has a missed deadline");
    assert!(html.contains("本局&lt;不适用&gt;此项"), "reason escaped and shown");
    assert!(html.contains(&rule.id));
    assert!(html.contains("停用"));
    assert!(
        html.contains(&format!("<span class=\"hash\">{}</span>", config.fingerprint())),
        "the config's own fingerprint"
    );
}

#[test]
fn the_log_head_and_its_check_are_printed() {
    let c = case("01-complete.json");
    let mut log = CaseLog::new(&c.id);
    log.append(
        Time::parse("2026-03-03T11:00").unwrap(),
        LogEvent::MediaHashed(MediaHashed { record: None, name: "a.mp4".into(), size: None, sha256: "ab".repeat(32) }),
    );
    let (_, html) = render(&c, &Config::default(), None, Some(&log), "2026-04-10T12:00");
    assert!(html.contains(&format!("<span class=\"hash\">{}</span><br>共 1 条；链式校验通过", log.head.hash)));
    // A pass says what a keyless chain does not prove, and what the printed head is for.
    assert!(html.contains("重新计算整条链的人仍可改写日志而校验照样通过"), "{html}");
    assert!(html.contains("本表打印的日志头"), "{html}");
    log.entries[0].at = Time::parse("2026-03-01").unwrap();
    let (_, html) = render(&c, &Config::default(), None, Some(&log), "2026-04-10T12:00");
    assert!(html.contains("链式校验未通过：第 1 条内容被修改"));
}

#[test]
fn case_text_is_escaped() {
    let mut c = case("04-simple-procedure.json");
    c.id = "<script>alert('x')</script>&".into();
    let (_, html) = render(&c, &Config::default(), None, None, "2026-04-10T12:00");
    assert!(!html.contains("<script>"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"));
    assert_eq!(Esc("a\"b").to_string(), "a&quot;b");
}

/// Found by the widened property tests (issue 24): control characters from the case reached
/// the 核查表 raw, where HTML has no place for them and a browser shows nothing.
#[test]
fn control_characters_are_shown_not_hidden() {
    let mut c = case("01-complete.json");
    c.id = "长执罚\u{1b}]0;x\u{7}〔2026〕\u{0}1号\r".to_owned();
    let (_, html) = render(&c, &Config::default(), None, None, "2026-04-10T12:00");
    assert!(!html.chars().any(|ch| ch.is_control() && ch != '\n' && ch != '\t'));
    assert!(html.contains("长执罚\\u{1b}]0;x\\u{7}〔2026〕\\u{0}1号\\u{d}"), "the id is shown with what it holds");
}

#[test]
fn acknowledgments_and_submit_reasons_are_listed_on_the_first_page_apart_from_records() {
    let mut c = case("02-missing-service-receipt.json");
    let now = Time::parse("2026-04-10T12:00").unwrap();
    let r = crate::evaluate(&c, &Pack::builtin("changsha-zfj").unwrap(), &Config::default(), now);
    let missing = r.items().find(|i| i.status == Status::Missing).expect("the sample lacks a record").key().to_owned();
    let done = r.items().find(|i| i.status == Status::Satisfied).expect("and has one").key().to_owned();
    let ack = |item: &str, note: Option<&str>| crate::case::Acknowledgment {
        item: item.to_owned(),
        at: Time::parse("2026-04-09T09:30").unwrap(),
        by: Some("张三".into()),
        note: note.map(str::to_owned),
    };
    c.acknowledgments = vec![ack(&missing, Some("纸质送达回证<原件>见卷宗第12页")), ack(&done, None)];
    let mut log = CaseLog::new(&c.id);
    log.append(
        Time::parse("2026-04-09T10:00").unwrap(),
        LogEvent::SubmitAllowed(crate::log::SubmitAllowed {
            reason: Some("当事人外出，补充材料下周归档".into()),
            warnings: vec![missing.clone()],
        }),
    );
    let (r, html) = render(&c, &Config::default(), None, Some(&log), "2026-04-10T12:00");
    assert_eq!(r.item(&missing).unwrap().status, Status::Acknowledged);
    assert_eq!(r.item(&done).unwrap().status, Status::Satisfied, "a record outweighs a click");
    let steps = html.find("<section class=\"step\">").unwrap();
    let word = html.find("<h2>人工确认与提交理由</h2>").expect("the section");
    assert!(word < steps, "before the per-step detail");
    let section = &html[word..steps];
    assert!(section.contains("纸质送达回证&lt;原件&gt;见卷宗第12页"), "{section}");
    assert!(section.contains("张三") && section.contains("2026-04-09 09:30"), "{section}");
    assert!(section.contains("已采信") && section.contains("已有系统记录，未使用"), "{section}");
    assert!(section.contains("（未填写）"), "{section}");
    assert!(section.contains("当事人外出，补充材料下周归档"), "{section}");
    let title = &r.rule_of(r.item(&missing).unwrap()).unwrap().title;
    assert!(section.contains(&Esc(title).to_string()), "the item by its title: {section}");
    // The item's own row says it is the officer's word, not a record.
    assert!(html.contains(">人工确认</td>"));
    assert!(html.contains("经办人员的确认</b>：人工确认 2026-04-09 09:30（张三）"));
    assert!(html.contains("人工确认 1，"), "counted apart from 已满足");

    // Without a note the acknowledgment is listed as not counted.
    c.acknowledgments = vec![ack(&missing, None)];
    let (r, html) = render(&c, &Config::default(), None, None, "2026-04-10T12:00");
    assert_eq!(r.item(&missing).unwrap().status, Status::Missing);
    assert!(html.contains("未采信"));
    assert!(html.contains("无带理由的提交"));
}

#[test]
fn the_first_page_says_what_is_unmet_and_items_that_do_not_apply_are_counted_not_printed() {
    let c = case("02-missing-service-receipt.json");
    let pack = Pack::builtin("changsha-zfj").unwrap();
    let r = crate::evaluate(&c, &pack, &Config::default(), Time::parse("2026-04-10T12:00").unwrap());
    let sheet = |all: bool| {
        report_html(&Sheet {
            case: &c,
            pack: &pack,
            config: &Config::default(),
            config_fingerprint: None,
            report: &r,
            log: None,
            log_break: None,
            key_check: None,
            handler: Some("李四"),
            all,
        })
    };
    let short = sheet(false);
    let unmet = short.find("<h2>未满足事项</h2>").expect("the section");
    assert!(unmet < short.find("<section class=\"step\">").unwrap(), "on the first page, before the detail");
    let missing = r.items().find(|i| i.status == Status::Missing).unwrap();
    let title = &r.rule_of(missing).unwrap().title;
    let section = &short[unmet..short.find("<h2>人工确认与提交理由</h2>").unwrap()];
    assert!(section.contains(&Esc(title).to_string()) && section.contains("阻止提交"), "{section}");
    assert!(short.contains("<th>承办人</th><td>李四</td>"));
    assert!(short.contains(&format!("《{}》", Esc(&r.pack.title))), "the regulation by its title");
    let na = r.items().filter(|i| i.status == Status::NotApplicable).count();
    assert!(na > 10);
    assert_eq!(short.matches("<td class=\"no\">").count(), r.items().count() - na, "not-applicable rows left out");
    assert!(short.contains("项本案不适用，未列出"));
    assert_eq!(sheet(true).matches("<td class=\"no\">").count(), r.items().count(), "all on request");
}

#[test]
fn sizes_read_as_people_read_them() {
    assert_eq!(size_text(512), "512 字节");
    assert_eq!(size_text(12 * 1024), "12 KB");
    assert_eq!(size_text(340 * 1_048_576 + 200 * 1024), "340.2 MB");
    assert_eq!(size_text(3 * 1_073_741_824 / 2), "1.5 GB");
    assert_eq!(size_text(4 * 1_073_741_824), "4 GB");
}
