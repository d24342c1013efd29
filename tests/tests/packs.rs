//! Pack loading and validation: every built-in pack loads, and broken packs are refused with
//! a named problem.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)] // test code: failing loudly is the point
use rules_core::{builtin_packs, coverage, Coverage, Pack, PackError};

fn changsha() -> (String, String) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules-core/packs/changsha-zfj");
    (std::fs::read_to_string(dir.join("pack.toml")).unwrap(), std::fs::read_to_string(dir.join("source.txt")).unwrap())
}

fn problems(toml: &str, source: &str) -> Vec<String> {
    match Pack::from_toml(toml, source, "test") {
        Err(PackError::Invalid { problems, .. }) => problems,
        other => panic!("expected invalid, got {other:?}"),
    }
}

/// The one test that fails on a pack that does not load, with the pack's own errors; every
/// other test goes on with the packs that do (`tests::loaded_packs`).
#[test]
fn every_builtin_pack_loads() {
    let errors: Vec<String> = builtin_packs().into_iter().filter_map(Result::err).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{} pack(s) do not load:\n{}", errors.len(), errors.join("\n"));
}

#[test]
fn every_quote_is_verbatim() {
    for p in tests::loaded_packs() {
        for r in &p.def.rules {
            let art = p.source.article(&r.article).unwrap_or_else(|| panic!("{}: {}", r.id, r.article));
            assert!(art.text.contains(&r.quote), "{}: quote not in {}", r.id, r.article);
        }
    }
}

#[test]
fn every_article_is_encoded_or_excluded() {
    for p in tests::loaded_packs() {
        let unreviewed: Vec<_> =
            coverage(&p).into_iter().filter(|r| r.coverage == Coverage::Unreviewed).map(|r| r.article).collect();
        assert!(unreviewed.is_empty(), "{}: unreviewed {unreviewed:?}", p.id());
    }
}

#[test]
fn a_changed_quote_is_refused() {
    let (t, s) = changsha();
    let bad = t.replace("进行现场检查时,执法人员应当进行全过程音像记录。", "进行现场检查时,执法人员可以进行音像记录。");
    let p = problems(&bad, &s);
    assert!(p.iter().any(|x| x.contains("13-inspection-av") && x.contains("not found verbatim")), "{p:?}");
}

#[test]
fn an_article_not_in_the_text_is_refused() {
    let (t, s) = changsha();
    let bad = t.replacen("article = \"第十三条\"", "article = \"第四十八条\"", 1);
    let p = problems(&bad, &s);
    assert!(p.iter().any(|x| x.contains("`第四十八条` is not in the source text")), "{p:?}");
}

#[test]
fn unknown_record_kinds_and_duplicate_ids_are_refused() {
    let (t, s) = changsha();
    let bad = t.replacen("kinds = [\"案件移送函\"]", "kinds = [\"案件移送单\"]", 1).replacen(
        "id = \"9-limitation-5y\"",
        "id = \"9-limitation-2y\"",
        1,
    );
    let p = problems(&bad, &s);
    assert!(p.iter().any(|x| x.contains("unknown record kind `案件移送单`")), "{p:?}");
    assert!(p.iter().any(|x| x.contains("`9-limitation-2y` is used twice")), "{p:?}");
}

#[test]
fn a_may_rule_cannot_be_blocking() {
    let (t, s) = changsha();
    let bad = t.replacen("strength = \"may\"", "strength = \"may\"\nseverity = \"blocking\"", 1);
    let p = problems(&bad, &s);
    assert!(p.iter().any(|x| x.contains("cannot be blocking")), "{p:?}");
}

#[test]
fn a_malformed_pack_names_its_location() {
    let (t, s) = changsha();
    let bad = t.replacen("strength = \"must\"", "strength = \"sometimes\"", 1);
    let e = Pack::from_toml(&bad, &s, "test").unwrap_err().to_string();
    assert!(e.starts_with("pack `test` is malformed at `rule[0].strength`"), "{e}");
}

#[test]
fn committed_schemas_are_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules-core/schema");
    for (name, schema) in [
        ("case.schema.json", rules_core::case_schema()),
        ("config.schema.json", rules_core::config_schema()),
        ("report.schema.json", rules_core::report_schema()),
        ("log.schema.json", rules_core::log_schema()),
        ("pack.schema.json", rules_core::pack_schema()),
        ("record.schema.json", rules_core::record_schema()),
    ] {
        let fresh = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        let path = dir.join(name);
        if std::env::var_os("UPDATE_SCHEMA").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(committed == fresh, "{name} is stale: run `UPDATE_SCHEMA=1 cargo test -p tests --test packs`");
    }
}

#[test]
fn committed_comparison_is_current() {
    let packs: Vec<Pack> = tests::loaded_packs();
    let fresh = rules_core::compare_markdown(&packs);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules-core/docs/comparison.md");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "rules-core/docs/comparison.md is stale: run `UPDATE_DOCS=1 cargo test -p tests --test packs`"
    );
}

/// The README's table of packs, one row per pack version, from the packs themselves.
fn packs_table() -> String {
    let registry = tests::loaded_registry();
    let mut out = String::from("| id | 机关 | 规定 | 版本（施行之日） | 程序 | 规则 |\n|---|---|---|---|---|---|\n");
    for id in registry.ids() {
        for p in registry.versions(id) {
            let d = &p.def;
            let procedures: Vec<String> = d.procedures.iter().map(|x| format!("{} (`{}`)", x.name, x.id)).collect();
            out.push_str(&format!(
                "| `{}` | {} | {} | {}（{}） | {} | {} |\n",
                d.id,
                d.agency,
                d.title,
                d.version,
                d.effective.as_deref().unwrap_or("未注明"),
                procedures.join("、"),
                d.rules.len()
            ));
        }
    }
    out
}

/// The README lists every pack version present, so a new pack or version folder shows there
/// once `UPDATE_DOCS=1` regenerates it.
#[test]
fn readme_pack_table_is_current() {
    const BEGIN: &str = "<!-- packs table: generated by `UPDATE_DOCS=1 cargo test -p tests --test packs` -->\n";
    const END: &str = "<!-- end of packs table -->";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let start = readme.find(BEGIN).expect("README.md has the packs table's start marker") + BEGIN.len();
    let end = readme[start..].find(END).expect("README.md has the packs table's end marker") + start;
    let fresh = packs_table();
    if std::env::var_os("UPDATE_DOCS").is_some() && readme[start..end] != fresh {
        std::fs::write(&path, format!("{}{}{}", &readme[..start], fresh, &readme[end..])).unwrap();
        return;
    }
    assert!(
        readme[start..end] == fresh,
        "README.md's packs table is stale: run `UPDATE_DOCS=1 cargo test -p tests --test packs`"
    );
}

const INSPECTION_AV: &str = "quote = \"进行现场检查时,执法人员应当进行全过程音像记录。\"\nstrength = \"must\"";

#[test]
fn a_duty_made_optional_is_refused_unless_the_pack_says_why_and_the_report_shows_it() {
    let (t, s) = changsha();
    // The quote says 应当: `may` would let a config switch a must rule off.
    let silenced = t.replacen(INSPECTION_AV, &INSPECTION_AV.replace("\"must\"", "\"may\""), 1);
    let p = problems(&silenced, &s);
    assert!(
        p.iter().any(|x| x.contains("rule[") && x.contains("(`13-inspection-av`).strength: the quote says `应当`")),
        "{p:?}"
    );
    // With the override noted it loads, and every report listing the rule says so.
    let noted = silenced.replacen(
        "strength = \"may\"\nscope = { activity = [\"现场检查\"] }",
        "strength = \"may\"\nstrength_override = \"测试：视情况录像\"\nscope = { activity = [\"现场检查\"] }",
        1,
    );
    let pack = Pack::from_toml(&noted, &s, "test").unwrap();
    let case = rules_core::Case::from_json(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules-core/samples/01-complete.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let now = rules_core::Time::parse("2026-04-10T12:00").unwrap();
    let report = rules_core::evaluate(&case, &pack, &rules_core::Config::default(), now);
    let info = &report.rules["13-inspection-av"];
    assert_eq!(info.strength_override.as_deref(), Some("条文写“应当”，规则包编为可选：测试：视情况录像"));
    assert!(
        report
            .notes
            .iter()
            .any(|n| n == "第十三条（规则 `13-inspection-av`）条文写“应当”，规则包编为可选：测试：视情况录像"),
        "{:?}",
        report.notes
    );
    // An override with nothing to override, or no reason, is refused too.
    let needless = t.replacen(INSPECTION_AV, &format!("{INSPECTION_AV}\nstrength_override = \"r\""), 1);
    assert!(problems(&needless, &s).iter().any(|x| x.contains("strength_override: nothing to override")));
    let empty = noted.replacen("测试：视情况录像", " ", 1);
    assert!(problems(&empty, &s).iter().any(|x| x.contains("strength_override: empty")));
}

#[test]
fn a_quote_is_at_least_a_whole_clause() {
    let (t, s) = changsha();
    for (quote, want) in [
        ("应", "too short to be a quote"),
        (",", "too short to be a quote"),
        ("进行全过程音像", "starts or ends inside a clause of 第十三条"),
    ] {
        let bad = t.replacen(
            INSPECTION_AV,
            &INSPECTION_AV.replace("进行现场检查时,执法人员应当进行全过程音像记录。", quote),
            1,
        );
        let p = problems(&bad, &s);
        assert!(p.iter().any(|x| x.contains("(`13-inspection-av`).quote") && x.contains(want)), "{quote}: {p:?}");
    }
    // A whole clause, between punctuation marks, is a quote.
    let ok = t.replacen(
        INSPECTION_AV,
        &INSPECTION_AV.replace("进行现场检查时,执法人员应当进行全过程音像记录。", "执法人员应当进行全过程音像记录"),
        1,
    );
    Pack::from_toml(&ok, &s, "test").unwrap();
}

/// `record_after` counts from a deadline's start; as an order's end, or a deadline's start, it
/// would have nothing to count from, and the pack is refused rather than read silently.
#[test]
fn record_after_is_only_the_end_of_a_deadline() {
    let (t, s) = changsha();
    let ok = "to = { record_after = [\"音像证据光盘\"] }";
    assert!(t.contains(ok), "41-evidence-disc-24h no longer uses record_after");
    Pack::from_toml(&t, &s, "test").unwrap();
    let bad =
        t.replacen("first = { record = [\"移送案件审批表\"] }", "first = { record_after = [\"移送案件审批表\"] }", 1);
    let p = problems(&bad, &s);
    assert!(p.iter().any(|x| x.contains("11-transfer-order") && x.contains("`record_after` is only")), "{p:?}");
}

/// A rule that blocks a submit says by which words of the text: its quote carries the duty
/// (应当 / 应 / 必须 / 不得), or its note starts the reason with 「必须的依据：」 — a lead-in
/// 「应当记录下列内容：」 governing a listed item, a prescriptive sentence without a modal,
/// a statute. A block nobody can trace to the text is what the legal office distrusts.
#[test]
fn every_blocking_rule_names_the_words_that_make_it_blocking() {
    let mut unexplained = Vec::new();
    for p in builtin_packs() {
        let p = p.unwrap();
        for r in &p.def.rules {
            let blocking = r.severity() == rules_core::Severity::Blocking;
            let noted = r.note.as_deref().is_some_and(|n| n.contains("必须的依据："));
            if blocking && rules_core::duty_word(&r.quote).is_none() && !noted {
                unexplained.push(format!("{}/{}: {}", p.id(), r.id, r.quote));
            }
        }
    }
    assert!(
        unexplained.is_empty(),
        "blocking rules whose quote has no duty word and whose note gives none:\n{}",
        unexplained.join("\n")
    );
}

/// One cell of the comparison: the row named `row`, the column of pack `id`, split into parts.
fn comparison_cell(row: &str, id: &str) -> Vec<String> {
    let packs: Vec<Pack> = builtin_packs().into_iter().map(Result::unwrap).collect();
    let md = rules_core::compare_markdown(&packs);
    let col = packs.iter().position(|p| p.id() == id).unwrap();
    let line = md.lines().find(|l| l.starts_with(&format!("| {row} |"))).unwrap();
    let cells: Vec<&str> = line.trim_matches('|').split(" | ").collect();
    cells[col + 1].trim().split("<br>").map(str::to_owned).collect()
}

/// The misreadings the legal reading found in the table: a † on a requirement that always
/// holds between a rule and its variant, footage standing for a disc, and the evidence disc
/// missing from 长沙's 归档 row.
#[test]
fn the_comparison_marks_only_what_is_conditional_and_names_discs() {
    let direct = comparison_cell("直接送达", "xinglongtai-zjj");
    assert_eq!(direct, ["《送达回证》 第二十五条"], "兴隆台's receipt is required with or without another signee");
    let storage = comparison_cell("音像存储", "changsha-zfj");
    assert!(storage.iter().any(|p| p == "24小时内：音像记录结束后24小时内存储 第四十一条"), "{storage:?}");
    assert!(
        storage.iter().any(|p| p.contains("返回单位后24小时内存储†")),
        "the remote variant stays conditional: {storage:?}"
    );
    for id in ["pingluo-jtys", "lingshou-xzsp"] {
        let storage = comparison_cell("音像存储", id);
        assert!(
            storage.iter().any(|p| p.starts_with("24小时内：音像记录完成后二十四小时内储存 ")),
            "{id}: {storage:?}"
        );
    }
    let archive = comparison_cell("归档", "pingluo-jtys");
    assert!(archive.iter().any(|p| p.starts_with("《音像证据光盘》")), "{archive:?}");
    assert!(!archive.iter().any(|p| p.starts_with("音像记录")), "a disc is not footage: {archive:?}");
    let archive = comparison_cell("归档", "changsha-zfj");
    for art in ["第六条", "第四十三条"] {
        assert!(archive.iter().any(|p| p.ends_with(art)), "长沙 归档 lacks {art}: {archive:?}");
    }
}

/// Every clause of every pack's text that states a duty or a prohibition is encoded by a rule
/// or excluded with a reason; the clauses are found by the tool from source.txt, not listed
/// by hand, so a clause nobody thought of still shows here.
#[test]
fn every_duty_clause_is_encoded_or_excluded_with_a_reason() {
    let mut gaps = Vec::new();
    for p in builtin_packs() {
        let p = p.unwrap();
        let rows = rules_core::clauses(&p);
        assert!(rows.len() > 40, "{}: only {} duty clauses found: the splitter lost the text", p.id(), rows.len());
        for r in rows {
            match &r.coverage {
                rules_core::ClauseCoverage::Uncovered => gaps.push(format!("{} {}: {}", r.pack, r.article, r.text)),
                rules_core::ClauseCoverage::Excluded { reason } if reason.trim().is_empty() => {
                    gaps.push(format!("{} {} (no reason): {}", r.pack, r.article, r.text))
                }
                _ => {}
            }
        }
    }
    assert!(gaps.is_empty(), "duty clauses neither encoded nor excluded with a reason:\n{}", gaps.join("\n"));
}

/// The clause test can fail: drop a rule that alone encodes a clause and the clause is a gap.
#[test]
fn a_clause_left_without_its_rule_is_a_gap() {
    let (t, s) = changsha();
    let start = t.find("[[rule]]\nid = \"21-new-facts-review\"").unwrap();
    let end = start + t[start..].find("[[rule]]\nid = \"21-review-before-decision\"").unwrap();
    let mut without = t.clone();
    without.replace_range(start..end, "");
    // The order rule quotes the same clause; drop it too.
    let start = without.find("[[rule]]\nid = \"21-review-before-decision\"").unwrap();
    let end = start + without[start + 1..].find("[[rule]]").unwrap() + 1;
    without.replace_range(start..end, "");
    let p = Pack::from_toml(&without, &s, "test").unwrap();
    let gaps: Vec<_> = rules_core::clauses(&p)
        .into_iter()
        .filter(|r| r.coverage == rules_core::ClauseCoverage::Uncovered)
        .map(|r| r.text)
        .collect();
    assert_eq!(gaps, ["当事人提出新的事实、理由和证据的,应当及时进行调查复核。"]);
}

#[test]
fn a_clause_note_must_quote_its_article_and_say_rules_or_reason() {
    let (t, s) = changsha();
    let bad = format!("{t}\n[[clause]]\narticle = \"第六条\"\ntext = \"执法人员可以使用设备\"\nreason = \"x\"\n[[clause]]\narticle = \"第六条\"\ntext = \"执法人员应当按要求使用执法记录设备\"\n[[clause]]\narticle = \"第六条\"\ntext = \"执法人员应当按要求使用执法记录设备\"\nrules = [\"no-such-rule\"]\n");
    let p = problems(&bad, &s);
    assert!(p.iter().any(|x| x.contains("not found verbatim in 第六条")), "{p:?}");
    assert!(p.iter().any(|x| x.contains("give the rules that encode the clause or the reason")), "{p:?}");
    assert!(p.iter().any(|x| x.contains("unknown rule `no-such-rule`")), "{p:?}");
}

#[test]
fn committed_clause_coverage_is_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules-core/docs/coverage");
    for p in builtin_packs() {
        let p = p.unwrap();
        let fresh = rules_core::clauses_markdown(&p);
        let path = dir.join(format!("{}.md", p.id()));
        if std::env::var_os("UPDATE_DOCS").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "rules-core/docs/coverage/{}.md is stale: run `UPDATE_DOCS=1 cargo test -p tests --test packs`",
            p.id()
        );
    }
}

/// The common trap: a quote typed with a full-width comma where the text has a half-width one.
/// The error shows where the quote stops matching, both characters with code points, and the
/// rule's line in pack.toml.
#[test]
fn a_quote_with_the_wrong_comma_shows_where_and_which_characters() {
    let (t, s) = changsha();
    let good = "音像记录刻盘入卷,并将记录信息";
    assert!(t.contains(good));
    let bad = t.replacen(good, "音像记录刻盘入卷，并将记录信息", 1);
    let p = problems(&bad, &s);
    let line = t.lines().position(|l| l.contains(good)).unwrap();
    let rule_line = t.lines().take(line).collect::<Vec<_>>().iter().rposition(|l| l.trim() == "[[rule]]").unwrap() + 1;
    let e = p.iter().find(|x| x.contains("not found verbatim")).unwrap();
    assert!(e.starts_with(&format!("pack.toml line {rule_line}, rule[")), "{e}");
    assert!(e.contains("then the quote has `，` U+FF0C where the text has `,` U+002C"), "{e}");
    assert!(e.contains("only in full-width / half-width characters"), "{e}");
}

#[test]
fn a_quote_under_the_wrong_article_names_the_article_holding_it() {
    let (t, s) = changsha();
    let at = t.find("id = \"41-av-stored-24h\"").unwrap();
    let art = at + t[at..].find("article = \"第四十一条\"").unwrap();
    let bad = format!("{}article = \"第三十九条\"{}", &t[..art], &t[art + "article = \"第四十一条\"".len()..]);
    let p = problems(&bad, &s);
    assert!(
        p.iter().any(|x| x.contains("41-av-stored-24h")
            && x.contains("the quote is in 第四十一条: write `article = \"第四十一条\"`")),
        "{p:?}"
    );
}

#[test]
fn an_article_in_arabic_numerals_is_told_how_the_text_numbers_it() {
    let (t, s) = changsha();
    let bad = t.replacen("article = \"第十三条\"", "article = \"第13条\"", 1);
    let p = problems(&bad, &s);
    assert!(
        p.iter().any(|x| x.contains("`第13条` is not in the source text (the text numbers its articles `第一条` … `第四十七条`, 47 in all; write `第十三条`)")),
        "{p:?}"
    );
}

#[test]
fn unknown_names_suggest_the_closest_and_where_to_declare() {
    let (t, s) = changsha();
    let bad = t.replacen("kinds = [\"案件移送函\"]", "kinds = [\"案件移送涵\"]", 1);
    let p = problems(&bad, &s);
    assert!(
        p.iter().any(|x| x.contains(".check.record.kinds: unknown record kind `案件移送涵` (closest: `案件移送函`); a new one is declared in `records = [...]`")),
        "{p:?}"
    );
    let flag =
        t.lines().find_map(|l| l.trim().strip_prefix("when = { flag = \"")?.split('"').next()).unwrap().to_owned();
    let typo = flag.replace('-', "_");
    assert_ne!(flag, typo, "the first flag has a hyphen to mistype");
    let bad = t.replacen(&format!("when = {{ flag = \"{flag}\" }}"), &format!("when = {{ flag = \"{typo}\" }}"), 1);
    let p = problems(&bad, &s);
    assert!(p.iter().any(|x| x.contains(&format!(".when: unknown flag `{typo}` (closest: `{flag}`")) && x.contains("`[flags]`")), "{p:?}");
}

#[test]
fn a_malformed_rule_names_its_id_and_line() {
    let (t, s) = changsha();
    let bad = t.replacen("strength = \"must\"", "strength = \"sometimes\"", 1);
    let e = Pack::from_toml(&bad, &s, "test").unwrap_err().to_string();
    let line = bad.lines().position(|l| l.contains("\"sometimes\"")).unwrap() + 1;
    assert!(e.contains(&format!("line {line}, column")) && e.contains("(rule `9-filing-form`)"), "{e}");
    assert!(e.contains("expected one of `must`, `conditional`, `may`"), "{e}");
}

/// The pack authors' reference is generated from the schema of pack.toml and the packs' own
/// rules: a change to either without regenerating it fails here.
#[test]
fn committed_pack_reference_is_current() {
    let fresh = rules_core::pack_reference_markdown(&tests::loaded_packs());
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules-core/docs/pack-reference.md");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &fresh).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "rules-core/docs/pack-reference.md is stale: run `UPDATE_DOCS=1 cargo test -p tests --test packs`"
    );
    // Every form a rule can take is on the page.
    for form in [
        "`this_flag`",
        "`first_of`",
        "`deadline`",
        "`order`",
        "`record`",
        "`wd`",
        "`every_page`",
        "`strength_override`",
    ] {
        assert!(fresh.contains(form), "{form} missing from the reference");
    }
}
