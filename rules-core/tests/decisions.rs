//! The decisions the widget renders and does not make: when an item is done, what a rule
//! accepts from an officer, whether a submit passes with the reasons given, which steps an
//! agency's options show, and which built-in version checks a case.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use rules_core::{
    builtin_choice, evaluate, Acknowledgment, Case, Config, Options, Pack, SetupError, Status, Submit, SubmitReason,
    Time,
};

fn now() -> Time {
    Time::parse("2026-03-25T10:00").unwrap()
}

fn case(text: &str) -> Case {
    Case::from_json(text).unwrap()
}

fn overdue_av() -> Case {
    case(include_str!("../../pkg/demo/cases/overdue-av.json"))
}

/// Done: met, confirmed by an officer, not applicable, switched off; everything else is open.
#[test]
fn done_is_met_confirmed_not_applicable_or_waived() {
    let done: Vec<Status> = Status::ALL.into_iter().filter(|s| s.is_done()).collect();
    assert_eq!(done, [Status::Satisfied, Status::Acknowledged, Status::NotApplicable, Status::Waived]);
    for s in Status::ALL {
        assert!(!(s.is_done() && s.is_unmet()), "{s:?} is both done and unmet");
    }
    assert!(!Status::DueBy.is_done() && !Status::DueBy.is_unmet(), "a running period is neither");
}

/// A record check takes an officer's acknowledgment, and only for a missing record; a rule
/// over media files or asking for media takes files. The evaluation honours exactly what
/// `accepts` says: an acknowledgment offered for every open item of the samples is counted
/// where, and only where, `acknowledgment_for` allows it.
#[test]
fn what_a_rule_accepts_is_what_the_engine_honours() {
    let pack = Pack::builtin("changsha-zfj").unwrap();
    let record = pack.def.rules.iter().find(|r| matches!(r.check, rules_core::Check::Record(_))).unwrap();
    assert!(record.accepts().acknowledgment);
    let deadline = pack.def.rules.iter().find(|r| matches!(r.check, rules_core::Check::Deadline(_))).unwrap();
    assert!(!deadline.accepts().acknowledgment);
    assert!(pack.def.rules.iter().any(|r| r.accepts().media), "some rule takes audio-video files");
    assert!(pack.def.rules.iter().all(|r| r.accepts().media == rules_core::is_media_rule(r)));
    let a = record.accepts();
    assert!(a.acknowledgment_for(Status::Missing));
    for s in Status::ALL.into_iter().filter(|s| *s != Status::Missing) {
        assert!(!a.acknowledgment_for(s), "{s:?}");
    }

    let mut checked = 0;
    for text in [
        include_str!("../samples/01-complete.json"),
        include_str!("../samples/02-missing-service-receipt.json"),
        include_str!("../samples/03-av-stored-late.json"),
        include_str!("../../pkg/demo/cases/overdue-av.json"),
        include_str!("../../pkg/demo/cases/missing-receipt.json"),
    ] {
        let mut c = case(text);
        let before = evaluate(&c, &pack, &Config::default(), now());
        let open: Vec<(String, Status, bool)> = before
            .items()
            .filter(|i| !i.status.is_done())
            .map(|i| {
                let accepts = pack.rule(i.rule()).unwrap().accepts();
                (i.key().to_owned(), i.status, accepts.acknowledgment_for(i.status))
            })
            .collect();
        for (key, _, _) in &open {
            c.acknowledgments.push(Acknowledgment {
                item: key.clone(),
                at: now(),
                by: Some("张三".into()),
                note: Some("纸质记录已归入卷宗第3页，存放于档案室".into()),
            });
        }
        let after = evaluate(&c, &pack, &Config::default(), now());
        for (key, was, can) in open {
            let got = after.item(&key).unwrap().status;
            assert_eq!(got == Status::Acknowledged, can, "{key}: {was:?} became {got:?}");
            checked += 1;
        }
    }
    assert!(checked > 5, "the cases have open items");
}

fn reason(items: &[&str]) -> SubmitReason {
    SubmitReason {
        items: items.iter().map(|s| (*s).to_owned()).collect(),
        reason: "已电话联系当事人补签".into(),
        at: now(),
        by: None,
    }
}

/// A blocking item blocks whatever the reasons; open warnings need a reason each.
#[test]
fn the_gate_decides_with_the_reasons_given() {
    let pack = Pack::builtin("changsha-zfj").unwrap();
    let blocked = evaluate(&overdue_av(), &pack, &Config::default(), now());
    assert!(!blocked.gate.blocking.is_empty());
    let all: Vec<&str> = blocked.items().map(|i| i.key()).collect();
    assert_eq!(blocked.gate.decide_with(&[reason(&all)]), Submit::Block, "no reason covers a blocking item");
    assert_eq!(blocked.gate.decide(|_| true), Submit::Block);

    // Every blocking rule lowered to a warning: the same items now ask for a reason.
    let mut config = Config::default();
    for r in pack.def.rules.iter().filter(|r| r.severity() == rules_core::Severity::Blocking) {
        config.rules.insert(
            r.id.clone(),
            rules_core::RuleOverride {
                severity: Some(rules_core::Severity::Warning),
                disabled: false,
                reason: "本局试行期间仅提示".into(),
                by: None,
                at: None,
            },
        );
    }
    let warned = evaluate(&overdue_av(), &pack, &config, now());
    assert!(warned.gate.allowed && !warned.gate.warnings.is_empty(), "{:?}", warned.gate);
    let keys: Vec<&str> = warned.gate.warnings.iter().map(|k| &**k).collect();
    assert_eq!(warned.gate.decide_with(&[]), Submit::NeedsReason);
    let others: Vec<&str> = all.iter().copied().filter(|k| !keys.contains(k)).collect();
    assert_eq!(warned.gate.decide_with(&[reason(&others)]), Submit::NeedsReason, "reasons for other items");
    assert_eq!(warned.gate.decide_with(&[reason(&others), reason(&keys)]), Submit::Pass);
    // Each warning needs its own reason: leaving any one out asks again.
    for left_out in &keys {
        let rest: Vec<&str> = keys.iter().copied().filter(|k| k != left_out).collect();
        assert_eq!(warned.gate.decide_with(&[reason(&rest)]), Submit::NeedsReason, "{left_out}");
    }

    let complete = evaluate(&case(include_str!("../samples/01-complete.json")), &pack, &Config::default(), now());
    if complete.gate.warnings.is_empty() && complete.gate.allowed {
        assert_eq!(complete.gate.decide_with(&[]), Submit::Pass);
    }
}

/// The options' step list hides a step unless it holds an unmet blocking item.
#[test]
fn options_show_listed_steps_and_any_that_blocks() {
    let pack = Pack::builtin("changsha-zfj").unwrap();
    let report = evaluate(&overdue_av(), &pack, &Config::default(), now());
    let all = Options::default();
    assert!(report.steps.iter().all(|s| all.shows_step(s)), "no list: every step");
    let first = report.steps.first().unwrap().id.clone();
    let only_first = Options { steps: Some(vec![first.clone()]) };
    let mut hidden = 0;
    for s in &report.steps {
        let blocks = s.items().any(|i| i.status.is_unmet() && i.severity == rules_core::Severity::Blocking);
        assert_eq!(only_first.shows_step(s), s.id == first || blocks, "{}", s.id);
        hidden += usize::from(!only_first.shows_step(s));
        if blocks {
            assert!(s.items().any(|i| report.gate.blocking.iter().any(|k| *k == i.key())), "{}", s.id);
        }
    }
    assert!(hidden > 0, "some step is hidden");
    assert!(report.steps.iter().any(|s| s.id != first && only_first.shows_step(s)), "a blocking step stays");
}

/// The built-in choice is the registry's: same pack, same version, same errors' kind.
#[test]
fn builtin_choice_is_the_registry_choice() {
    let registry = rules_core::PackRegistry::builtin().unwrap();
    let c = overdue_av();
    let id = c.agency.clone().unwrap();
    let chosen = builtin_choice(&c, None, &Config::default()).unwrap();
    let selected = rules_core::select_in(&registry, &c, None, &Config::default()).unwrap();
    assert_eq!(
        (chosen.id, chosen.version, chosen.why),
        (selected.pack.id(), &*selected.pack.def.version, selected.why)
    );
    let fixed = Config { pack_version: Some(chosen.version.into()), ..Config::default() };
    let v = builtin_choice(&c, None, &fixed).unwrap();
    assert_eq!(v.version, chosen.version);
    assert_eq!(v.why, rules_core::select_in(&registry, &c, None, &fixed).unwrap().why);
    let unknown = Config { pack_version: Some("0.0-none".into()), ..Config::default() };
    let e = builtin_choice(&c, None, &unknown).unwrap_err();
    assert!(matches!(e, SetupError::Pack(rules_core::PackError::UnknownVersion { .. })), "{e}");
    assert!(rules_core::select_in(&registry, &c, None, &unknown).is_err());
    let mut nameless = c.clone();
    nameless.agency = None;
    assert_eq!(builtin_choice(&nameless, None, &Config::default()).unwrap_err(), SetupError::NoPack);
    assert_eq!(builtin_choice(&nameless, Some(&id), &Config::default()).unwrap().id, id);
}

/// The rules by step: every rule of a listed step once, in pack order; per procedure, in the
/// order a report lists its items' rules.
#[test]
fn step_rules_are_checklist_order() {
    let pack = Pack::builtin("changsha-zfj").unwrap();
    let all = pack.step_rules(None);
    assert_eq!(
        all.iter().map(|(s, _)| s.id.as_str()).collect::<Vec<_>>(),
        pack.def.steps.iter().map(|s| s.id.as_str()).collect::<Vec<_>>()
    );
    let listed: Vec<&str> = all.iter().flat_map(|(_, rules)| rules.iter().map(|r| r.id.as_str())).collect();
    let expected: Vec<&str> = pack
        .def
        .steps
        .iter()
        .flat_map(|s| pack.def.rules.iter().filter(move |r| r.step == s.id).map(|r| r.id.as_str()))
        .collect();
    assert_eq!(listed, expected);
    for (step, rules) in &all {
        assert!(rules.iter().all(|r| r.step == step.id), "{}", step.id);
    }
    let c = overdue_av();
    let report = evaluate(&c, &pack, &Config::default(), now());
    let ordinary = pack.step_rules(Some(&c.procedure));
    for (step, (named, rules)) in report.steps.iter().zip(&ordinary) {
        assert_eq!(step.id, named.id);
        let ids: Vec<&str> = rules.iter().map(|r| r.id.as_str()).collect();
        let mut at = 0;
        for item in step.items() {
            let found = ids.get(at..).and_then(|rest| rest.iter().position(|r| *r == item.rule()));
            at += found.unwrap_or_else(|| panic!("{} out of order in {}", item.key(), step.id));
        }
        assert!(rules.iter().all(|r| r.procedures.contains(&c.procedure)));
    }
    assert!(pack.step_rules(Some("no-such-procedure")).iter().all(|(_, r)| r.is_empty()));
}
