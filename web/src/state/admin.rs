//! Admin mode's part of the state: the administrator's search, scope, drafts and opened
//! config file, and the sub-reducer that turns their actions into the local config.
use std::rc::Rc;

use rules_core::OverrideScope;

use super::{Action, State};
use crate::model::RuleChoice;

/// A config file the administrator opened, shown as a diff before it replaces the current one.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingImport {
    /// The config read from the file.
    pub config: Rc<rules_core::Config>,
    /// What it changes from the current config.
    pub diff: rules_core::ConfigDiff,
    /// Its fingerprint.
    pub fingerprint: String,
}

/// An administrator's unsaved choice for one rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleDraft {
    /// The choice picked (`None`: not yet, the one in force stands).
    pub choice: Option<RuleChoice>,
    /// The reason as typed.
    pub reason: String,
}

/// Admin mode, present when the host says the user is the agency's administrator.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Admin {
    /// Search text over the rule table.
    pub search: String,
    /// Where changes apply.
    pub scope: OverrideScope,
    /// Unsaved choices, by rule id (a few at a time, so a list).
    pub drafts: Vec<(String, RuleDraft)>,
    /// Why the last action was refused.
    pub error: Option<String>,
    /// What the last change did to the current and sample cases.
    pub effect: Option<rules_core::ConfigEffect>,
    /// What the last change was, for the status line.
    pub status: Option<String>,
    /// A config file waiting to be applied.
    pub import: Option<PendingImport>,
}

impl Admin {
    /// The unsaved choice for `rule`, if any.
    pub fn draft(&self, rule: &str) -> Option<&RuleDraft> {
        self.drafts.iter().find(|(r, _)| r == rule).map(|(_, d)| d)
    }
}

impl State {
    /// The pack the admin is configuring: the config's, the host's, the case's, or the report's.
    pub fn pack_id(&self) -> Option<String> {
        self.config
            .pack
            .clone()
            .or_else(|| self.agency.clone())
            .or_else(|| self.case.as_ref().and_then(|c| c.agency.clone()))
            .or_else(|| self.report.as_ref().map(|r| r.view.pack.id.clone()).filter(|s| !s.is_empty()))
    }

    /// Replaces the admin's working config, with what it did to the sample cases.
    fn admin_replace(&mut self, next: rules_core::Config, status: String) {
        let pack = self.pack_id().unwrap_or_default();
        let effect = crate::engine::effect(self.case.as_deref(), &pack, &self.config, &next, &self.now).ok();
        self.local_config = Some(Rc::new(next));
        self.settle_config();
        if let Some(a) = self.admin.as_mut() {
            a.effect = effect;
            a.status = Some(status);
            a.error = None;
        }
    }

    /// Applies one admin action (the state evaluates again if it changed the config).
    pub(super) fn admin_action(&mut self, action: Action) {
        if self.admin.is_none() {
            return;
        }
        let by = self.officer.clone().unwrap_or_else(|| "管理员".to_string());
        let pack = self.pack_id();
        let result: Result<Option<(rules_core::Config, String)>, String> = match action {
            Action::AdminSearch(text) => {
                if let Some(a) = self.admin.as_mut() {
                    a.search = text;
                }
                Ok(None)
            }
            Action::AdminScope(scope) => {
                if let Some(a) = self.admin.as_mut() {
                    a.scope = scope;
                    a.drafts.clear();
                }
                Ok(None)
            }
            Action::AdminDraft { rule, choice, reason } => {
                if let Some(a) = self.admin.as_mut() {
                    if !a.drafts.iter().any(|(r, _)| *r == rule) {
                        a.drafts.push((rule.clone(), RuleDraft::default()));
                    }
                    if let Some((_, d)) = a.drafts.iter_mut().find(|(r, _)| *r == rule) {
                        if let Some(c) = choice {
                            d.choice = Some(c);
                        }
                        if let Some(r) = reason {
                            d.reason = r;
                        }
                    }
                }
                Ok(None)
            }
            Action::AdminApply { rule, at } => {
                let draft = self.admin.as_ref().and_then(|a| a.draft(&rule)).cloned().unwrap_or_default();
                let choice = draft.choice.unwrap_or_default();
                let scope = self.admin.as_ref().map(|a| a.scope.clone()).unwrap_or_default();
                match pack.as_deref() {
                    None => Err("请先选择规则包".to_string()),
                    Some(p) => {
                        crate::engine::set_override(&self.config, p, &scope, &rule, choice, &draft.reason, &by, &at)
                            .map(|c| {
                                if let Some(a) = self.admin.as_mut() {
                                    a.drafts.retain(|(r, _)| *r != rule);
                                }
                                let title = self
                                    .report
                                    .as_ref()
                                    .and_then(|r| r.view.items().find(|i| i.rule == rule).map(|i| i.title.to_string()))
                                    // A rule with no item in this case is named from its pack.
                                    .or_else(|| {
                                        crate::engine::rule_rows(p)
                                            .ok()
                                            .and_then(|rows| rows.into_iter().find(|r| r.id == rule).map(|r| r.title))
                                    })
                                    .unwrap_or_else(|| rule.clone());
                                Some((c, format!("已调整「{title}」")))
                            })
                    }
                }
            }
            Action::AdminUndo { at } => crate::engine::undo(&self.config, &by, &at).and_then(|c| {
                c.map(|c| Some((c, "已撤销上一项调整".to_string()))).ok_or_else(|| "没有可撤销的调整".to_string())
            }),
            Action::AdminSetPack(id) => {
                let mut next = (*self.config).clone();
                next.pack = Some(id.clone()).filter(|s| !s.is_empty());
                match next.pack.as_deref() {
                    Some(p) => {
                        let agency = crate::engine::packs().0.into_iter().find(|x| x.id == p).map(|x| x.agency);
                        let name = agency.unwrap_or_else(|| id.clone());
                        crate::engine::check_config(&next, p)
                            .map(|()| Some((next, format!("已选择「{name}」的规则包"))))
                    }
                    None => Ok(Some((next, "已取消指定规则包".to_string()))),
                }
            }
            Action::AdminImport(Ok(c)) => {
                let diff = crate::engine::diff(&self.config, &c);
                let fingerprint = crate::engine::fingerprint(&c);
                let checked = c.pack.as_deref().or(pack.as_deref()).map(|p| crate::engine::check_config(&c, p));
                match checked {
                    Some(Err(e)) => Err(format!("配置文件不适用，未导入：{e}")),
                    _ => {
                        if let Some(a) = self.admin.as_mut() {
                            a.import = Some(PendingImport { config: c, diff, fingerprint });
                            a.error = None;
                        }
                        Ok(None)
                    }
                }
            }
            Action::AdminImport(Err(e)) => Err(format!("配置文件无法读取，未导入：{e}")),
            Action::AdminApplyImport => {
                let pending = self.admin.as_mut().and_then(|a| a.import.take());
                Ok(pending.map(|p| ((*p.config).clone(), format!("已导入配置（指纹 {}）", p.fingerprint))))
            }
            Action::AdminDiscardImport => {
                if let Some(a) = self.admin.as_mut() {
                    a.import = None;
                }
                Ok(None)
            }
            Action::AdminDiscardLocal => {
                self.local_config = None;
                self.settle_config();
                if let Some(a) = self.admin.as_mut() {
                    a.status = Some("已放弃本地编辑，恢复平台提供的配置".to_string());
                    a.effect = None;
                }
                return;
            }
            _ => Ok(None),
        };
        match result {
            Ok(Some((next, status))) => self.admin_replace(next, status),
            Ok(None) => {}
            Err(e) => {
                // Refused: the working config stays as it was.
                if let Some(a) = self.admin.as_mut() {
                    a.error = Some(e);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::super::tests::{with, NOW, RECEIPT_KEY};
    use rules_core::OverrideScope;

    use super::super::{Action, ConfigOrigin, Decision, State};
    use crate::model::RuleChoice;

    #[test]
    fn drafts_keep_one_entry_per_rule_until_applied() {
        let s = admin();
        let d = |s: State, choice: Option<RuleChoice>, reason: Option<&str>| {
            s.update(Action::AdminDraft { rule: "29-direct-receipt".into(), choice, reason: reason.map(Into::into) })
        };
        let s = d(d(s, Some(WARNING), None), None, Some("纸质回证另行归档"));
        let a = s.admin.as_ref().unwrap();
        assert_eq!(a.drafts.len(), 1);
        let draft = a.draft("29-direct-receipt").unwrap();
        assert_eq!((draft.choice, draft.reason.as_str()), (Some(WARNING), "纸质回证另行归档"));
        let s = s.update(Action::AdminApply { rule: "29-direct-receipt".into(), at: NOW.into() });
        assert!(s.admin.as_ref().unwrap().drafts.is_empty(), "applied drafts are dropped");
    }

    fn admin() -> State {
        with("missing-receipt").update(Action::SetOfficer(Some("王科长".into()))).update(Action::SetAdmin(true))
    }

    const WARNING: RuleChoice = RuleChoice::Severity(rules_core::Severity::Warning);

    fn draft(s: State, rule: &str, choice: RuleChoice, reason: &str) -> State {
        s.update(Action::AdminDraft { rule: rule.into(), choice: Some(choice), reason: Some(reason.into()) })
            .update(Action::AdminApply { rule: rule.into(), at: NOW.into() })
    }

    #[test]
    fn admin_lowers_a_must_rule_with_a_reason_and_sees_the_effect() {
        let s = admin();
        assert_eq!(s.decision(), Decision::Block);
        let s = draft(s, "29-direct-receipt", WARNING, "纸质回证另行归档");
        let a = s.admin.as_ref().unwrap();
        assert_eq!(a.error, None);
        assert!(a.effect.as_ref().unwrap().changed_items >= 1, "{:?}", a.effect);
        assert_eq!(s.config_origin, ConfigOrigin::Local);
        assert_eq!(s.config.log.len(), 1);
        assert_eq!(s.config.log[0].by, "王科长");
        let item = s.report.as_ref().unwrap().view.item(RECEIPT_KEY).unwrap().clone();
        assert_eq!(item.status, rules_core::Status::Missing, "never shown as satisfied");
        assert_eq!(item.waived_by_config.as_deref(), Some("纸质回证另行归档"));
        assert_eq!(s.decision(), Decision::NeedsReason);
        assert_eq!(s.report.as_ref().unwrap().view.fingerprint, crate::engine::fingerprint(&s.config));
        // Undo goes back to the pack's setting.
        let s = s.update(Action::AdminUndo { at: NOW.into() });
        assert_eq!(s.decision(), Decision::Block);
        assert_eq!(s.config.log.len(), 2);
    }

    #[test]
    fn admin_changes_apply_per_procedure() {
        let s = admin().update(Action::AdminScope(OverrideScope::Procedure("simple".into())));
        let s = draft(s, "29-direct-receipt", WARNING, "简易程序当场送达");
        assert!(s.config.rules.is_empty());
        assert!(s.config.procedures["simple"].contains_key("29-direct-receipt"));
        assert_eq!(s.decision(), Decision::Block, "the case is ordinary: unchanged");
        let s = s.update(Action::AdminScope(OverrideScope::Procedure("ordinary".into())));
        let s = draft(s, "29-direct-receipt", WARNING, "纸质回证另行归档");
        assert_eq!(s.decision(), Decision::NeedsReason);
        assert_eq!(s.config.log[1].scope.to_string(), "procedure:ordinary");
        // A department's setting replaces the procedure's for its cases only.
        let s = s.update(Action::AdminScope(OverrideScope::Department("一中队".into())));
        let s = draft(s, "29-direct-receipt", RuleChoice::Severity(rules_core::Severity::Blocking), "一中队从严");
        assert!(s.config.departments["一中队"].contains_key("29-direct-receipt"));
        assert_eq!(s.decision(), Decision::NeedsReason, "this case names no department");
        let mut case = (**s.case.as_ref().unwrap()).clone();
        case.department = Some("一中队".into());
        let s = s.update(Action::SetCase(Ok(Rc::new(case))));
        assert_eq!(s.decision(), Decision::Block);
    }

    #[test]
    fn admin_cannot_silence_a_must_rule_or_skip_the_reason() {
        let s = draft(admin(), "29-direct-receipt", RuleChoice::Disabled, "人手不足");
        let e = s.admin.as_ref().unwrap().error.clone().unwrap();
        assert!(e.contains("must be done"), "{e}");
        assert!(s.config.rules.is_empty(), "nothing changed");
        let s = draft(s, "29-direct-receipt", WARNING, "  ");
        assert!(s.admin.as_ref().unwrap().error.as_ref().unwrap().contains("理由"));
        assert!(s.config.log.is_empty());
    }

    #[test]
    fn officers_get_no_admin_state_and_local_edits_only_apply_in_admin_mode() {
        let s = draft(admin(), "29-direct-receipt", WARNING, "纸质回证另行归档");
        let officer = s.clone().update(Action::SetAdmin(false));
        assert!(officer.admin.is_none());
        assert_eq!(officer.config_origin, ConfigOrigin::PackDefaults);
        assert_eq!(officer.decision(), Decision::Block);
        // Admin actions without admin mode do nothing.
        let o2 = draft(officer, "29-direct-receipt", WARNING, "x");
        assert!(o2.config.rules.is_empty());
    }

    #[test]
    fn import_shows_the_diff_before_it_applies() {
        let s = draft(admin(), "29-direct-receipt", WARNING, "纸质回证另行归档");
        let exported = crate::engine::config_file(&s.config);
        let s2 = admin().update(Action::AdminImport(Ok(Rc::new(crate::engine::parse_config(&exported).unwrap()))));
        let pending = s2.admin.as_ref().unwrap().import.clone().unwrap();
        assert_eq!(pending.diff.added.len(), 1);
        assert_eq!(pending.diff.added[0].rule, "29-direct-receipt");
        assert!(s2.config.rules.is_empty(), "not applied yet");
        let s2 = s2.update(Action::AdminApplyImport);
        assert_eq!(crate::engine::fingerprint(&s2.config), crate::engine::fingerprint(&s.config));
        assert_eq!(s2.config.log, s.config.log, "the log travels with the file");
        let s3 = admin().update(Action::AdminImport(Err("bad".into())));
        assert!(s3.admin.unwrap().error.unwrap().contains("未导入"));
    }
}
