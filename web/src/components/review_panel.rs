//! The read-only review view (法制审核, 案卷评查): for every acknowledgment and reason who, when
//! and what they wrote; each media digest with 「核验文件」 against a file the reviewer has; and
//! the case log checked, with its head. Shown above the checklist in review mode, where the
//! checklist's own controls for changing anything are hidden.
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::hooks::{use_widget, MediaRequest};
use crate::media::{MediaEntry, VerifyState};
use crate::view::{show_time, ReportView};

/// What review mode hides in the checklist: every control that would change the record (the
/// citation toggle stays). Kept here, beside the mode, rather than in the widget's style sheet.
const REVIEW_CSS: &str = ".lrc.review li.item .actions > button:not([aria-controls]),\
.lrc.review li.item .ack-form,.lrc.review li.item .media-control,.lrc.review li.item .remove{display:none}\
.review-panel{border:1px solid #c9d3e0;background:#f6f8fb;padding:8px 10px;margin:0 0 10px;font-size:13px}\
.review-panel h3{font-size:14px;margin:6px 0 4px}.review-panel ul{margin:0;padding-left:18px}\
.review-panel code{word-break:break-all}.review-panel .bad{color:#b3261e}.review-panel .ok{color:#1b6e2a}";

fn picked(e: &Event) -> Option<js_sys::Array> {
    let input = e.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let files = input.files().filter(|f| f.length() > 0)?;
    let out = js_sys::Array::new();
    for i in 0..files.length() {
        if let Some(f) = files.get(i) {
            out.push(&f);
        }
    }
    input.set_value("");
    Some(out)
}

/// An item as the checklist names it, from the engine's report: its step, its title and what
/// it applies to, e.g. 「送达」直接送达的，送达回证须…（S1）. An item the report does not list
/// (a record made under another pack version) keeps its key, said to be so; without a report
/// (the case could not be checked) the key is all there is.
fn item_name(report: Option<&ReportView>, key: &str) -> String {
    let Some(report) = report else { return key.to_owned() };
    let found =
        report.steps.iter().find_map(|st| st.items.iter().find(|i| i.key == key).map(|i| (st.name.as_str(), i)));
    match found {
        Some((step, i)) => {
            let target = if i.target == "case" { String::new() } else { format!("（{}）", i.target) };
            format!("「{step}」{}{target}", i.title)
        }
        None => format!("{key}（本清单中无此事项）"),
    }
}

/// The last check of a file against `sha256` under `item`: `(class, text)`.
fn checked(entries: &[MediaEntry], item: &str, sha256: &str) -> Option<(&'static str, String)> {
    let v = entries
        .iter()
        .rev()
        .filter(|e| e.item == item && e.sha256.as_deref() == Some(sha256))
        .find_map(|e| e.verify.as_ref())?;
    Some(match v.state {
        VerifyState::Match => ("ok", format!("核验一致：{} 与记录的 SHA-256 相同", v.name)),
        VerifyState::Mismatch => (
            "bad",
            format!("核验不一致：{} 的 SHA-256 为 {}，与记录不同", v.name, v.sha256.clone().unwrap_or_default()),
        ),
        VerifyState::Hashing => ("", format!("正在核验 {}……", v.name)),
        VerifyState::Changed | VerifyState::Failed => {
            ("bad", format!("未能核验 {}：{}", v.name, v.message.clone().unwrap_or_default()))
        }
    })
}

/// The review panel.
#[function_component]
pub fn ReviewPanel() -> Html {
    let ctx = use_widget();
    let s = &ctx.state;
    let report = s.report.as_ref().map(|r| r.view.as_ref());
    let name = |key: &str| item_name(report, key);
    let media: Vec<MediaEntry> = s.media.as_deref().cloned().unwrap_or_default();
    let done: Vec<&MediaEntry> = media.iter().filter(|e| e.is_done()).collect();
    let log = s.log.as_deref();
    let log_line = match (s.log_loading, log) {
        (true, _) => html! { <p>{ "正在读取操作日志……" }</p> },
        (false, None) => html! { <p class="bad">{ "尚无操作日志" }</p> },
        (false, Some(l)) => match l.verify() {
            Ok(h) => html! {
                <p class="ok log-verified">
                    { format!("操作日志哈希链校验通过：共 {} 条，日志头哈希 ", h.count) }<code>{ h.hash }</code>
                    { "。这是无密钥的哈希链：能发现意外损坏和未重新计算哈希的修改，不能证明无人改写并重新计算整条链。" }
                </p>
            },
            Err(b) => html! {
                <p class="bad log-broken" role="alert">
                    { format!("操作日志未通过校验：第 {} 条{}", b.index + 1, b.reason.zh()) }
                </p>
            },
        },
    };
    let merges =
        log.map_or(0, |l| l.entries.iter().filter(|e| matches!(e.event, rules_core::LogEvent::Merged(_))).count());
    html! {
        <section class="review-panel" aria-label="审阅：经办人员的确认、理由与操作日志">
            <style>{ REVIEW_CSS }</style>
            <p><strong>{ "审阅模式（只读）" }</strong>{ "：以下为经办人员在记录清单中的确认与说明，审阅时不能修改。" }</p>
            <h3>{ format!("人工确认（{} 项）", s.stored.acks.len()) }</h3>
            if s.stored.acks.is_empty() {
                <p>{ "无" }</p>
            } else {
                <ul class="review-acks">
                    { for s.stored.acks.iter().map(|a| html! {
                        <li data-item={a.item.clone()}>
                            { format!("{}：{} 于 {} 确认 —— {}", name(&a.item), a.by.clone().unwrap_or_else(|| "执法人员".into()),
                                show_time(&a.at), a.note.clone().unwrap_or_default()) }
                        </li>
                    }) }
                </ul>
            }
            <h3>{ format!("提交理由（{} 条）", s.stored.reasons.len()) }</h3>
            if s.stored.reasons.is_empty() {
                <p>{ "无" }</p>
            } else {
                <ul class="review-reasons">
                    { for s.stored.reasons.iter().map(|r| html! {
                        <li>
                            { format!("{} 于 {}：{}", r.by.clone().unwrap_or_else(|| "执法人员".into()), show_time(&r.at), r.reason) }
                            if !r.items.is_empty() {
                                { format!("（涉及 {}）", r.items.iter().map(|k| name(k)).collect::<Vec<_>>().join("、")) }
                            }
                        </li>
                    }) }
                </ul>
            }
            <h3>{ format!("音像文件哈希（{} 个）", done.len()) }</h3>
            if done.is_empty() {
                <p>{ "无" }</p>
            } else {
                <ul class="review-media">
                    { for done.iter().map(|e| {
                        let sha = e.sha256.clone().unwrap_or_default();
                        let request = ctx.request.clone();
                        let (item, sha_for_check) = (e.item.clone(), sha.clone());
                        let on_check = Callback::from(move |ev: Event| {
                            if let Some(files) = picked(&ev) {
                                request.emit(MediaRequest {
                                    action: "check",
                                    item: Some(item.clone()),
                                    entry: None,
                                    sha256: Some(sha_for_check.clone()),
                                    files: Some(files),
                                });
                            }
                        });
                        let result = checked(&media, &e.item, &sha);
                        let elsewhere = e.id.starts_with(crate::record::FOREIGN_PREFIX);
                        html! {
                            <li data-sha256={sha.clone()} data-item={e.item.clone()}>
                                { format!("{}：{}{} SHA-256 ", name(&e.item), e.name, if elsewhere { "（在其他电脑上计算）" } else { "" }) }
                                <code>{ sha.clone() }</code>
                                { " " }
                                <label class="check">
                                    <input type="file" class="review-check" onchange={on_check}
                                        aria-label={format!("选择文件与 {} 的记录哈希核验", e.name)} />
                                    <span>{ "核验文件" }</span>
                                </label>
                                { for result.map(|(class, text)| html! { <span class={classes!("verdict", class)}>{ text }</span> }) }
                            </li>
                        }
                    }) }
                </ul>
            }
            <h3>{ "操作日志" }</h3>
            { log_line }
            if merges > 0 {
                <p>{ format!("其中 {merges} 条为合并记录：多人分别办理后合并，各分支的记录均在日志中。") }</p>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::{ItemView, StepView};

    #[test]
    fn items_are_named_by_step_title_and_target_from_the_report() {
        let item = |key: &str, target: &str, title: &str| {
            std::rc::Rc::new(ItemView {
                key: key.into(),
                target: target.into(),
                title: title.into(),
                ..ItemView::default()
            })
        };
        let step = |name: &str, items| std::rc::Rc::new(StepView { name: name.into(), items, ..StepView::default() });
        let report = ReportView {
            steps: vec![
                step("送达", vec![item("29-r@S1", "S1", "送达回证")]),
                step("审查决定", vec![item("27-t@case", "case", "办案期限")]),
            ],
            ..ReportView::default()
        };
        assert_eq!(item_name(Some(&report), "29-r@S1"), "「送达」送达回证（S1）");
        assert_eq!(item_name(Some(&report), "27-t@case"), "「审查决定」办案期限");
        assert_eq!(item_name(Some(&report), "9-x@case"), "9-x@case（本清单中无此事项）");
        assert_eq!(item_name(None, "29-r@S1"), "29-r@S1");
    }
}
