use std::rc::Rc;

use yew::prelude::*;

use crate::engine::RuleRow;

/// The rules of a pack for the admin table, read once per pack.
#[hook]
pub fn use_rule_rows(pack: Option<String>) -> Rc<Result<Vec<RuleRow>, String>> {
    use_memo(pack, |p| match p {
        Some(id) => crate::engine::rule_rows(id),
        None => Err("请先选择规则包".to_string()),
    })
}
