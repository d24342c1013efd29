//! The same events checked against every pack present give each agency's own verdicts. The
//! agencies' verdicts below are asserted for the packs they name when present; a pack added
//! later is held to the properties that hold for all (its own verdicts are its scenarios').
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use std::collections::BTreeMap;

use rules_core::{evaluate, Case, Check, Config, Pack, Severity, Time};

fn packs() -> Vec<Pack> {
    tests::loaded_packs()
}

/// Per pack: does an unmet audio-video item on `target` block submission, warn, or neither?
fn av_verdicts(case: &Case, target: &str) -> BTreeMap<String, &'static str> {
    let now = Time::parse("2026-04-10T12:00").unwrap();
    packs()
        .iter()
        .map(|p| {
            let report = evaluate(case, p, &Config::default(), now);
            let unmet_av: Vec<_> = report
                .items()
                .filter(|i| i.target() == target && i.status.is_unmet())
                .filter(|i| {
                    matches!(p.rule(i.rule()).map(|r| &r.check), Some(Check::Record(c)) if c.media || c.kinds.iter().any(|k| k.contains("音像")))
                })
                .map(|i| i.severity)
                .collect();
            let verdict = if unmet_av.contains(&Severity::Blocking) {
                "blocking"
            } else if unmet_av.contains(&Severity::Warning) {
                "warning"
            } else if unmet_av.is_empty() {
                "none"
            } else {
                "info"
            };
            (p.id().to_owned(), verdict)
        })
        .collect()
}

fn expect(pairs: &[(&str, &'static str)]) -> BTreeMap<String, &'static str> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

#[test]
fn direct_service_of_a_decision_without_av_blocks_only_in_sanming() {
    let case = Case::from_json(
        r#"{"id":"x","procedure":"ordinary",
            "records":[{"id":"D1","kind":"行政处罚决定书","made_at":"2026-04-01"}],
            "services":[{"id":"S1","document":"行政处罚决定书","method":"direct","at":"2026-04-02T10:00",
                         "records":[{"id":"H1","kind":"送达回证"}]}]}"#,
    )
    .unwrap();
    let got = av_verdicts(&case, "S1");
    let want = expect(&[
        ("changsha-zfj", "none"),
        ("xinglongtai-zjj", "none"),
        ("pingluo-jtys", "none"),
        ("lingshou-xzsp", "none"),
        ("sanming-gxj", "blocking"),
    ]);
    assert!(!got.is_empty());
    for (pack, verdict) in want.iter().filter(|(p, _)| got.contains_key(*p)) {
        assert_eq!(got[pack], *verdict, "{pack}");
    }
}

#[test]
fn left_at_premises_service_without_av_differs_by_agency() {
    let case = Case::from_json(
        r#"{"id":"x","procedure":"ordinary",
            "services":[{"id":"S1","document":"行政处罚决定书","method":"left","at":"2026-04-02T10:00",
                         "records":[{"id":"H1","kind":"送达回证"}]}]}"#,
    )
    .unwrap();
    let got = av_verdicts(&case, "S1");
    // 长沙县 第三十条 and 兴隆台 第二十七条 say 应当; 灵寿 第十九条 only 根据实际.
    let want = expect(&[
        ("changsha-zfj", "blocking"),
        ("xinglongtai-zjj", "blocking"),
        ("lingshou-xzsp", "info"),
        ("sanming-gxj", "blocking"),
    ]);
    for (pack, verdict) in want.iter().filter(|(p, _)| got.contains_key(*p)) {
        assert_eq!(got[pack], *verdict, "{pack}");
    }
}

#[test]
fn attaching_the_footage_clears_every_agencys_av_item() {
    let case = Case::from_json(
        r#"{"id":"x","procedure":"ordinary",
            "services":[{"id":"S1","document":"行政处罚决定书","method":"left","at":"2026-04-02T10:00",
                         "records":[{"id":"H1","kind":"送达回证"},
                                    {"id":"V1","kind":"音像记录","media":[{"name":"s.mp4","recorded_to":"2026-04-02T10:10","stored_at":"2026-04-02T15:00"}]}]}]}"#,
    )
    .unwrap();
    for (pack, verdict) in av_verdicts(&case, "S1") {
        assert_eq!(verdict, "none", "{pack}");
    }
}
