//! Clause-level coverage: every sentence or clause of an article that states a duty or a
//! prohibition, with the rules that encode it or the reason none can.
//!
//! The clauses are found by the tool, from the source text, so that none is skipped by
//! oversight: an article is cut at 「。」 and 「；」 and at line ends (each listed item 「（一）…」
//! stands alone); a clause states a duty when it carries a duty word (应当, 应, 必须, 须, 需,
//! 要, 不得, 严禁, 禁止 — not inside words such as 相应, 需要, 主要), when it prescribes a step
//! without a modal (填写, 制作, 送达, 签名 …), or when it is an item listed under a lead-in that
//! states a duty (「应当记录下列内容：」).
use serde::Serialize;

use crate::pack::Pack;

/// How one duty clause is covered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum ClauseCoverage {
    /// Rules encode it.
    Encoded {
        /// The rule ids.
        rules: Vec<String>,
    },
    /// No per-case check is possible, for this reason.
    Excluded {
        /// Why.
        reason: String,
    },
    /// Neither encoded nor excluded: a gap.
    Uncovered,
}

/// One duty clause of a pack's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClauseRow {
    /// The pack id.
    pub pack: String,
    /// The article as the text numbers it.
    pub article: String,
    /// The clause, verbatim.
    pub text: String,
    /// How it is covered.
    #[serde(flatten)]
    pub coverage: ClauseCoverage,
}

/// Words containing a duty word that do not state a duty.
const NOT_DUTY: [&str; 25] = [
    "相应", "对应", "适应", "响应", "反应", "供应", "呼应", "感应", "效应", "答应", "应急", "应用", "应对", "应诉",
    "应聘", "应邀", "需要", "要求", "主要", "重要", "要素", "要点", "纪要", "摘要", "必要",
];

/// Words that state a duty or a prohibition.
const DUTY: [&str; 9] = ["应当", "必须", "不得", "严禁", "禁止", "应", "须", "需", "要"];

/// Verbs by which a sentence without a modal prescribes a step (the packs read these as must).
const PRESCRIBES: [&str; 12] =
    ["填写", "制作", "送达", "签名", "签字", "盖章", "归档", "留存", "附卷", "入卷", "载明", "注明"];

/// Whether a clause states a duty: a duty word, or a prescribed step and no 可以 / 根据需要 /
/// 视情况 (which leave it to the officer).
fn states_duty(clause: &str) -> bool {
    let mut q = clause.to_owned();
    for w in NOT_DUTY {
        q = q.replace(w, "");
    }
    if DUTY.iter().any(|w| q.contains(w)) {
        return true;
    }
    let may = ["可以", "根据需要", "视情况"].iter().any(|w| clause.contains(w));
    !may && PRESCRIBES.iter().any(|w| clause.contains(w))
}

const PUNCT: &[char] = &['。', '；', ';', '，', ',', '、', '：', ':', '！', '？'];

/// The clause without the punctuation and spaces around it (the texts carry en spaces and
/// ideographic spaces too), for comparing with quotes.
fn core(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || PUNCT.contains(&c))
}

fn is_item(line: &str) -> bool {
    let l = line.trim_start();
    let mut c = l.chars();
    matches!(c.next(), Some('（' | '(')) && c.next().is_some_and(|c| "一二三四五六七八九十0123456789".contains(c))
}

fn is_lead_in(clause: &str) -> bool {
    clause.ends_with('：') || clause.ends_with(':')
}

/// An article's clauses in order, each with whether it states a duty.
pub fn split(article_text: &str) -> Vec<(String, bool)> {
    let body = article_text.trim();
    // The heading 「第X条」 is not part of the first clause.
    let body = body.strip_prefix('第').and_then(|r| r.split_once('条').map(|(_, rest)| rest)).unwrap_or(body);
    let mut out: Vec<(String, bool)> = Vec::new();
    // Whether the last lead-in (a clause ending in 「：」) states a duty its items inherit.
    let mut lead_duty = false;
    for para in body.split('\n') {
        let para = para.trim();
        if para.is_empty() {
            continue;
        }
        let item = is_item(para);
        if !item {
            lead_duty = false;
        }
        let mut start = 0;
        for (i, c) in para.char_indices() {
            if matches!(c, '。' | '；' | ';') {
                let end = i + c.len_utf8();
                push(&mut out, para.get(start..end).unwrap_or_default(), item && lead_duty);
                start = end;
            }
        }
        push(&mut out, para.get(start..).unwrap_or_default(), item && lead_duty);
        if let Some((last, duty)) = out.last() {
            if !item && is_lead_in(last) {
                lead_duty = *duty;
            }
        }
    }
    out
}

fn push(out: &mut Vec<(String, bool)>, clause: &str, inherited: bool) {
    let clause = clause.trim();
    if core(clause).is_empty() {
        return;
    }
    out.push((clause.to_owned(), inherited || states_duty(clause)));
}

/// Whether a rule's quote speaks for the clause: one holds the other.
fn quotes(quote: &str, clause: &str) -> bool {
    let (q, c) = (core(quote), core(clause));
    !q.is_empty() && !c.is_empty() && (c.contains(q) || q.contains(c))
}

/// Every duty clause of the pack's text, in text order, with how it is covered: by the rules
/// of its article whose quote holds it or is held by it; by a `[[clause]]` entry of the pack
/// (rules of another article, or a reason); by the exclusion of its whole article; a lead-in
/// (「应当记录下列内容：」) by the rules of its items.
pub fn clauses(pack: &Pack) -> Vec<ClauseRow> {
    let mut rows = Vec::new();
    for a in &pack.source.articles {
        let rules: Vec<&crate::rule::Rule> = pack.def.rules.iter().filter(|r| r.article == a.label).collect();
        let excluded = pack.def.excluded.iter().find(|e| e.article == a.label);
        let split = split(&a.text);
        for (i, (text, duty)) in split.iter().enumerate() {
            if !duty {
                continue;
            }
            let mut ids: Vec<String> = rules.iter().filter(|r| quotes(&r.quote, text)).map(|r| r.id.clone()).collect();
            if is_lead_in(text) {
                for (item, _) in split.iter().skip(i + 1).take_while(|(t, _)| is_item(t)) {
                    for r in rules.iter().filter(|r| quotes(&r.quote, item)) {
                        if !ids.contains(&r.id) {
                            ids.push(r.id.clone());
                        }
                    }
                }
            }
            let noted = pack.def.clauses.iter().find(|c| c.article == a.label && text.contains(c.text.as_str()));
            for id in noted.iter().flat_map(|c| &c.rules) {
                if !ids.contains(id) {
                    ids.push(id.clone());
                }
            }
            let coverage = if !ids.is_empty() {
                ClauseCoverage::Encoded { rules: ids }
            } else if let Some(reason) = noted.and_then(|c| c.reason.clone()) {
                ClauseCoverage::Excluded { reason }
            } else if let Some(e) = excluded {
                ClauseCoverage::Excluded { reason: e.reason.clone() }
            } else {
                ClauseCoverage::Uncovered
            };
            rows.push(ClauseRow { pack: pack.def.id.clone(), article: a.label.clone(), text: text.clone(), coverage });
        }
    }
    rows
}

impl ClauseRow {
    /// `pack<TAB>article<TAB>status<TAB>rules or reason<TAB>clause`.
    pub fn tsv(&self) -> String {
        let (status, what) = match &self.coverage {
            ClauseCoverage::Encoded { rules } => ("encoded", rules.join(",")),
            ClauseCoverage::Excluded { reason } => ("excluded", reason.clone()),
            ClauseCoverage::Uncovered => ("uncovered", String::new()),
        };
        let clean = |s: &str| s.replace(['\t', '\n'], " ");
        format!("{}\t{}\t{}\t{}\t{}", self.pack, self.article, status, clean(&what), clean(&self.text))
    }
}

/// The counts of a pack's duty clauses: all, encoded, excluded with a reason, uncovered.
pub fn clause_counts(rows: &[ClauseRow]) -> (usize, usize, usize, usize) {
    let count = |f: fn(&ClauseCoverage) -> bool| rows.iter().filter(|r| f(&r.coverage)).count();
    (
        rows.len(),
        count(|c| matches!(c, ClauseCoverage::Encoded { .. })),
        count(|c| matches!(c, ClauseCoverage::Excluded { .. })),
        count(|c| matches!(c, ClauseCoverage::Uncovered)),
    )
}

/// The pack's clauses as a Markdown page for a lawyer: each article, its duty clauses, and the
/// rules or the reason beside each.
pub fn clauses_markdown(pack: &Pack) -> String {
    let rows = clauses(pack);
    let (all, encoded, excluded, uncovered) = clause_counts(&rows);
    let mut out = format!(
        "# {}：逐句覆盖\n\n由 `rules coverage --clauses --pack {}` 根据 source.txt 和规则包生成（请勿手工编辑）。\
         列出每条中规定义务或禁止的句子（含“应当”“应”“必须”“须”“需”“要”“不得”“严禁”等用语的句子、\
         没有情态词而直接规定“填写”“制作”“送达”等步骤的句子，以及规定义务的总起句下所列各项），\
         及编码该句的规则或不逐案检查的理由。\n\n\
         义务句 {all} 句：已编码 {encoded} 句，说明理由不编码 {excluded} 句，未覆盖 {uncovered} 句。\n",
        pack.def.title, pack.def.id,
    );
    let mut last = "";
    for r in &rows {
        if r.article != last {
            out.push_str(&format!("\n## {}\n\n| 句子 | 覆盖 |\n|---|---|\n", r.article));
            last = &r.article;
        }
        let how = match &r.coverage {
            ClauseCoverage::Encoded { rules } => rules.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(" "),
            ClauseCoverage::Excluded { reason } => format!("不编码：{reason}"),
            ClauseCoverage::Uncovered => "**未覆盖**".to_owned(),
        };
        out.push_str(&format!("| {} | {} |\n", r.text.replace('|', "\\|"), how.replace('|', "\\|")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_under_a_duty_lead_in_are_duties_and_may_clauses_are_not() {
        let s = split(
            "第七条 申请受理环节应当记录以下内容：\n（一）申请人提交的申请材料；\n（二）审查的情况。\n第二款可以不进行音像记录。\n本办法所称记录，是指文字记录。",
        );
        let duties: Vec<&str> = s.iter().filter(|(_, d)| *d).map(|(t, _)| t.as_str()).collect();
        assert_eq!(duties, ["申请受理环节应当记录以下内容：", "（一）申请人提交的申请材料；", "（二）审查的情况。"]);
        assert_eq!(s.len(), 5);
    }

    #[test]
    fn a_step_prescribed_without_a_modal_is_a_duty_and_words_like_xiangying_are_not() {
        let s = split(
            "第十一条 经调查发现的,填写《移送案件审批表》。\n在相应文书中载有说明的材料为准。需要延期的情况说明。",
        );
        let duties: Vec<bool> = s.iter().map(|(_, d)| *d).collect();
        // 「相应」 and 「需要…的」 are not duty words; 「填写」 without a modal prescribes a step.
        assert_eq!(duties, [true, false, false]);
    }
}
