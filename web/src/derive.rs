//! What the widget derives from the officer's inputs: the evaluation and the config it was
//! made under. A pure function of [`Inputs`], so whoever holds the state ([`crate::state::State::settle`]
//! today, the store later) can keep the last result and derive again only when the inputs change.
use std::rc::Rc;

use crate::media::MediaEntry;
use crate::model::{Evaluated, OfficerAck, Problem};

/// What an evaluation is made of: the case, the host's choices of pack and procedure, the
/// config as given (before one that does not fit is set aside), the officer's
/// acknowledgments, the finished files and the time. The case and the config are compared by
/// identity (the state replaces them when they change), the rest by value.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The case from the host.
    pub case: Rc<rules_core::Case>,
    /// Agency pack chosen by the host; else the case's own agency.
    pub agency: Option<String>,
    /// Procedure chosen by the host; else the case's own.
    pub procedure: Option<String>,
    /// The config as given (`None`: the pack as written).
    pub config: Option<Rc<rules_core::Config>>,
    /// The officer's acknowledgments.
    pub acks: Vec<OfficerAck>,
    /// The files hashed on this machine whose hashing finished (progress alone changes no
    /// evaluation).
    pub media: Vec<MediaEntry>,
    /// Beijing civil time, `YYYY-MM-DDTHH:MM`.
    pub now: String,
}

impl PartialEq for Inputs {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.case, &other.case)
            && crate::model::same_rc(&self.config, &other.config)
            && self.agency == other.agency
            && self.procedure == other.procedure
            && self.acks == other.acks
            && self.media == other.media
            && self.now == other.now
    }
}

/// What [`derive`] makes of the inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// The evaluation, or why there is none.
    pub evaluation: Result<Evaluated, Problem>,
    /// The config the evaluation was made under: the one given, or the pack's defaults when
    /// the one given does not fit the case's pack.
    pub config: Rc<rules_core::Config>,
    /// Why the config given was set aside for the pack's defaults.
    pub fit_notice: Option<String>,
}

/// Runs the engine on the case with the officer's acknowledgments and finished files added.
/// A config that does not fit the pack is set aside for the pack's defaults, and
/// `fit_notice` says so.
pub fn derive(inputs: &Inputs) -> Derived {
    let run = |config: &rules_core::Config| {
        crate::engine::evaluate(
            &inputs.case,
            crate::engine::Added { acks: &inputs.acks, media: &inputs.media },
            inputs.agency.as_deref(),
            inputs.procedure.as_deref(),
            config,
            &inputs.now,
            true,
        )
    };
    let given = inputs.config.clone().unwrap_or_default();
    let evaluation = run(&given);
    match evaluation {
        Err(Problem::Config(msg)) => {
            let config = Rc::new(rules_core::Config::default());
            Derived {
                evaluation: run(&config),
                config,
                fit_notice: Some(format!("本机关配置不适用于本案规则包：{msg}。本清单按规则包默认设置检查")),
            }
        }
        evaluation => Derived { evaluation, config: given, fit_notice: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: &str = "2026-03-25T10:00";

    fn inputs(text: &str, config: Option<rules_core::Config>) -> Inputs {
        Inputs {
            case: Rc::new(crate::engine::parse_case(text).unwrap()),
            agency: None,
            procedure: None,
            config: config.map(Rc::new),
            acks: Vec::new(),
            media: Vec::new(),
            now: NOW.to_owned(),
        }
    }

    #[test]
    fn derives_the_evaluation_under_the_config_given() {
        let given = inputs(include_str!("../../pkg/demo/cases/missing-receipt.json"), None);
        let d = derive(&given);
        let ev = d.evaluation.as_ref().expect("the demo case evaluates");
        assert!(ev.view.item("29-direct-receipt@S1").is_some());
        assert_eq!(*d.config, rules_core::Config::default());
        assert_eq!(d.fit_notice, None);
        // Pure: the same inputs give the same result.
        assert_eq!(derive(&given), d);
    }

    #[test]
    fn acknowledgments_change_what_is_derived() {
        let mut given = inputs(include_str!("../../pkg/demo/cases/missing-receipt.json"), None);
        let before = derive(&given);
        given.acks.push(OfficerAck {
            item: "29-direct-receipt@S1".into(),
            at: NOW.into(),
            by: None,
            note: Some("纸质送达回证见卷宗第12页".into()),
        });
        let after = derive(&given);
        let status = |d: &Derived| {
            d.evaluation.as_ref().unwrap().view.item("29-direct-receipt@S1").unwrap().status.code().to_owned()
        };
        assert_ne!(status(&before), status(&after), "the acknowledgment is evaluated");
    }

    #[test]
    fn a_config_that_does_not_fit_is_set_aside() {
        let config =
            crate::engine::parse_config(r#"{"rules":{"no-such-rule":{"severity":"warning","reason":"r"}}}"#).unwrap();
        let d = derive(&inputs(include_str!("../../pkg/demo/cases/simple.json"), Some(config)));
        assert!(d.evaluation.is_ok(), "the pack's defaults evaluate the case");
        assert_eq!(*d.config, rules_core::Config::default());
        assert!(d.fit_notice.as_deref().is_some_and(|n| n.contains("`no-such-rule`")));
    }
}
