//! Rule packs: one agency's regulation as data, with the text it encodes.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::PackError;
use crate::rule::Rule;

mod builtin;
#[cfg(feature = "authoring")]
mod layout;
mod registry;
mod source;
#[cfg(feature = "authoring")]
mod validate;

pub use builtin::{builtin_pack_ids, builtin_packs, builtin_select, builtin_versions, BuiltinVersion};
#[cfg(feature = "authoring")]
pub use layout::{find as find_pack_folders, Found as PackFolder};
pub use registry::{check_versions, choose_version, PackRegistry, Selected, VersionKey};
pub use source::{Article, Source};

/// One agency's regulation as rules, with the source text they quote.
#[derive(Debug, Clone, PartialEq)]
pub struct Pack {
    /// The pack as written in its file.
    pub def: PackDef,
    /// The regulation text the rules quote (empty for built-in packs in builds without the
    /// `authoring` feature, such as the widget).
    pub source: Source,
    /// Lookups built once at load, so evaluation does not scan lists.
    names: Names,
    /// Per rule (same order as `def.rules`): the strings every report item repeats, shared so
    /// building a report does not copy them.
    pub(crate) shared: Vec<SharedRule>,
    /// Per procedure (same order as `def.procedures`), per step (same order as `def.steps`):
    /// the places in `def.rules` of the step's rules for that procedure, in pack order, so a
    /// checklist is made step by step in its final order without testing each rule's
    /// procedures on every evaluation.
    pub(crate) step_rules: Vec<Vec<Vec<usize>>>,
    /// The places of the rules in `def.rules`, in id order (the order of a report's rule table).
    pub(crate) rules_by_id: Vec<usize>,
    /// The content digest of a pack that is not the built-in one (see [`Pack::digest`]).
    digest: Option<String>,
}

/// A rule's strings as reports carry them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SharedRule {
    pub id: std::sync::Arc<str>,
    /// `id@`, the start of each of the rule's item keys.
    pub key_prefix: Box<str>,
    /// The place of the rule's step in `def.steps` (`None` if the pack does not list it).
    pub step: Option<usize>,
    pub info: std::sync::Arc<crate::report::RuleInfo>,
}

#[derive(Debug, Clone, Default, PartialEq)]
struct Names {
    records: std::collections::BTreeSet<String>,
    activities: std::collections::BTreeSet<String>,
    /// Per procedure, per flag, where that procedure's rules read it: a flag can be read on
    /// the case in one procedure and only on activities in another.
    flags: BTreeMap<String, BTreeMap<String, FlagLevels>>,
}

/// Where a pack's rules read a flag: on the case, or on an activity, service or record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FlagLevels {
    /// Some rule reads it on the case (`flag`, `any_flag`).
    pub case: bool,
    /// Some rule reads it on an activity, service or record (`this_flag`, `any_flag`).
    pub below: bool,
}

fn read_flags(c: &crate::rule::Cond, out: &mut BTreeMap<String, FlagLevels>) {
    use crate::rule::Cond;
    match c {
        Cond::All(v) | Cond::Any(v) => v.iter().for_each(|c| read_flags(c, out)),
        Cond::Not(c) => read_flags(c, out),
        Cond::Flag(f) => out.entry(f.clone()).or_default().case = true,
        Cond::ThisFlag(f) => out.entry(f.clone()).or_default().below = true,
        Cond::AnyFlag(f) => *out.entry(f.clone()).or_default() = FlagLevels { case: true, below: true },
        _ => {}
    }
}

/// The contents of a `pack.toml`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackDef {
    /// Stable id naming the agency (e.g. `changsha-zfj`).
    pub id: String,
    /// The agency's name.
    pub agency: String,
    /// The regulation's title.
    pub title: String,
    /// Pack version; bump when rules change.
    pub version: String,
    /// The day the regulation took effect (`YYYY-MM-DD`). A case is checked under the version
    /// in force on the day it was opened; absent: in force since before any case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<String>,
    /// Procedures the pack covers, in order.
    pub procedures: Vec<Named>,
    /// Steps of a case, in checklist order.
    pub steps: Vec<Named>,
    /// Activity kinds the rules refer to.
    pub activities: Vec<String>,
    /// Record kinds (文书 and 音像记录) the rules refer to.
    pub records: Vec<String>,
    /// Flags (case, activity, service or record conditions) with what each means.
    #[serde(default)]
    pub flags: BTreeMap<String, String>,
    /// Facts (named moments) with what each means.
    #[serde(default)]
    pub facts: BTreeMap<String, String>,
    /// Kinds of excluded periods.
    #[serde(default)]
    pub excluded_kinds: Vec<String>,
    /// Notes on counting and simplifications, for the pack docs.
    #[serde(default)]
    pub notes: Vec<String>,
    /// The rules.
    #[serde(default, rename = "rule")]
    pub rules: Vec<Rule>,
    /// Articles deliberately not encoded, with the reason.
    #[serde(default, rename = "excluded")]
    pub excluded: Vec<Exclusion>,
    /// Clauses of encoded articles that the clause coverage cannot match by quote: encoded by
    /// rules of another article, or not checkable per case, with the reason.
    #[serde(default, rename = "clause", skip_serializing_if = "Vec::is_empty")]
    pub clauses: Vec<ClauseNote>,
}

/// How one clause is covered, where its article's rules do not quote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ClauseNote {
    /// The article as the text numbers it.
    pub article: String,
    /// Verbatim text within the clause, enough to find it.
    pub text: String,
    /// Rules (of any article) that encode it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// Why no per-case check is possible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// An id with its Chinese name.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Named {
    /// Stable id.
    pub id: String,
    /// Chinese name shown to officers.
    pub name: String,
}

/// An article left out of the rules on purpose.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// The article as the text numbers it.
    pub article: String,
    /// Why it is not checked per case.
    pub reason: String,
}

/// SHA-256 of the `sha256sum` listing of the pack's two files: the digest
/// `sha256sum pack.toml source.txt | sha256sum` gives in the pack's folder.
#[cfg(feature = "authoring")]
fn content_digest(pack_toml: &str, source_text: &str) -> String {
    use crate::log::sha256_hex;
    let listing = format!(
        "{}  pack.toml\n{}  source.txt\n",
        sha256_hex(pack_toml.as_bytes()),
        sha256_hex(source_text.as_bytes())
    );
    sha256_hex(listing.as_bytes())
}

impl Pack {
    /// Reads and validates a pack from its TOML text and the source text beside it.
    #[cfg(feature = "authoring")]
    pub fn from_toml(pack_toml: &str, source_text: &str, name: &str) -> Result<Self, PackError> {
        let malformed = |(location, message)| PackError::Malformed { pack: name.to_owned(), location, message };
        let de = toml::Deserializer::parse(pack_toml)
            .map_err(|e| malformed(crate::text_pos::toml_error(pack_toml, &e, None)))?;
        let def: PackDef = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            // For a rule, its id too, so the author finds the place in the file.
            let rule_id = path
                .strip_prefix("rule[")
                .and_then(|r| r.split(']').next())
                .and_then(|i| i.parse::<usize>().ok())
                .and_then(|i| rule_id_at(pack_toml, i));
            let (location, message) = crate::text_pos::toml_error(pack_toml, e.inner(), Some(path));
            let message = match rule_id {
                Some(id) => format!("{} (rule `{id}`)", message.trim_end()),
                None => message,
            };
            malformed((location, message))
        })?;
        let mut pack = Pack::new(def, Source::parse(source_text));
        let problems = validate::problems(&pack, pack_toml);
        if problems.is_empty() {
            let digest = content_digest(pack_toml, source_text);
            if builtin::text(&pack.def.id).map(|(t, s)| content_digest(t, s)) != Some(digest.clone()) {
                pack.digest = Some(digest);
            }
            Ok(pack)
        } else {
            Err(PackError::Invalid { pack: pack.def.id, problems })
        }
    }

    /// A pack from its definition and text, with the lookups built; not validated.
    fn new(def: PackDef, source: Source) -> Self {
        // Inserted one by one rather than collected: collecting sorts first, with a sort of
        // its own in the widget's wasm.
        let mut names = Names::default();
        for r in &def.records {
            names.records.insert(r.clone());
        }
        for a in &def.activities {
            names.activities.insert(a.clone());
        }
        for r in &def.rules {
            for p in &r.procedures {
                let of = names.flags.entry(p.clone()).or_default();
                if let Some(c) = &r.when {
                    read_flags(c, of);
                }
                if let crate::rule::Check::Deadline(d) = &r.check {
                    if let Some(e) = &d.extend {
                        read_flags(&e.when, of);
                    }
                }
            }
        }
        let shared: Vec<SharedRule> = def
            .rules
            .iter()
            .map(|r| SharedRule {
                id: r.id.as_str().into(),
                key_prefix: format!("{}@", r.id).into(),
                step: def.steps.iter().position(|s| s.id == r.step),
                info: std::sync::Arc::new(crate::report::RuleInfo {
                    title: r.title.as_str().into(),
                    citation: crate::report::Citation {
                        article: r.article.as_str().into(),
                        quote: r.quote.as_str().into(),
                    },
                    strength_override: r.strength_override.as_deref().map(|o| {
                        let word = crate::rule::duty_word(&r.quote).unwrap_or("应当");
                        format!("条文写“{word}”，规则包编为可选：{o}").into()
                    }),
                }),
            })
            .collect();
        let step_rules = def
            .procedures
            .iter()
            .map(|p| {
                (0..def.steps.len())
                    .map(|k| {
                        let of_step = shared
                            .iter()
                            .zip(&def.rules)
                            .enumerate()
                            .filter(|(_, (s, r))| s.step == Some(k) && r.procedures.contains(&p.id));
                        of_step.map(|(i, _)| i).collect()
                    })
                    .collect()
            })
            .collect();
        // Placed one by one (a pack has a few hundred rules at most), for the same reason.
        let id = |i: usize| def.rules.get(i).map(|r| r.id.as_str());
        let mut rules_by_id: Vec<usize> = Vec::with_capacity(def.rules.len());
        for i in 0..def.rules.len() {
            let at = rules_by_id.partition_point(|&j| id(j) <= id(i));
            rules_by_id.insert(at, i);
        }
        Pack { def, source, names, shared, step_rules, rules_by_id, digest: None }
    }

    /// Reads a pack from a folder holding `pack.toml` and `source.txt`, or from a `pack.toml`
    /// path with `source.txt` beside it. (A pack folder of version folders, or a packs folder:
    /// [`PackRegistry::from_path`].)
    #[cfg(feature = "authoring")]
    pub fn from_path(path: &std::path::Path) -> Result<Self, PackError> {
        let dir = if path.is_dir() { path } else { path.parent().unwrap_or(std::path::Path::new(".")) };
        let toml_path = if path.is_dir() { path.join("pack.toml") } else { path.to_path_buf() };
        let read = |p: &std::path::Path| {
            let malformed = |message| PackError::Malformed {
                pack: p.display().to_string(),
                location: "(file)".to_owned(),
                message,
            };
            crate::text_pos::utf8_text(std::fs::read(p).map_err(|e| malformed(e.to_string()))?).map_err(malformed)
        };
        let text = read(&toml_path)?;
        let source = read(&dir.join("source.txt"))?;
        Self::from_toml(&text, &source, &toml_path.display().to_string())
    }

    /// The pack's content digest when it is not the built-in pack of its id (read at run time
    /// with other rules or another text, under the built-in's id and version or not): what
    /// `cd PACK && sha256sum pack.toml source.txt | sha256sum` prints, so a report names which
    /// rules it was made with. `None` for a built-in pack, or one read from a folder holding
    /// exactly the built-in's files.
    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }

    /// A built-in pack by id: its latest version (a case is checked under the version
    /// [`builtin_select`] or [`PackRegistry::select_for`] chooses).
    pub fn builtin(id: &str) -> Result<Self, PackError> {
        builtin::load(id)
    }

    /// Built-in pack `id` at `version`.
    pub fn builtin_version(id: &str, version: &str) -> Result<Self, PackError> {
        builtin::load_version(id, version)
    }

    /// Built-in pack `id` at `version` as the widget ships it: the compact JSON `build.rs`
    /// compiled from its `pack.toml` (without the regulation text, the authors' notes and
    /// exclusions), whatever this build's features. [`Pack::builtin_version`] is the same
    /// without `authoring`; with it, the TOML checked against the text.
    pub fn builtin_compiled(id: &str, version: &str) -> Result<Self, PackError> {
        builtin::load_compiled(id, version)
    }

    /// The pack's version and effective day, as [`choose_version`] reads them.
    pub fn version_key(&self) -> VersionKey<'_> {
        VersionKey { version: &self.def.version, effective: self.effective() }
    }

    /// `id 版本 version（effective 起施行）`, how lists name one version among several.
    pub fn label(&self) -> String {
        let from = self.def.effective.as_deref().map(|d| format!("（{d} 起施行）")).unwrap_or_default();
        format!("{} 版本 {}{from}", self.def.id, self.def.version)
    }

    /// Whether the pack names this record kind.
    pub fn knows_record(&self, kind: &str) -> bool {
        self.names.records.contains(kind)
    }

    /// `Ok` when the pack covers `procedure`; else the error naming the procedures it has. A
    /// case of a procedure the pack lacks cannot be checked at all: it is bad input, not a
    /// finding.
    pub fn check_procedure(&self, procedure: &str) -> Result<(), crate::error::SetupError> {
        let def = &self.def;
        if def.procedures.iter().any(|p| p.id == procedure) {
            return Ok(());
        }
        let available: Vec<String> = def.procedures.iter().map(|p| format!("{}（{}）", p.id, p.name)).collect();
        Err(crate::error::SetupError::UnknownProcedure {
            procedure: procedure.to_owned(),
            pack: def.id.clone(),
            available: available.join("、"),
        })
    }

    /// Where the rules of `procedure` read `flag`; `None` when none of them reads it.
    pub fn flag_levels(&self, procedure: &str, flag: &str) -> Option<FlagLevels> {
        self.names.flags.get(procedure).and_then(|f| f.get(flag)).copied()
    }

    /// Whether the pack names this activity kind.
    pub fn knows_activity(&self, kind: &str) -> bool {
        self.names.activities.contains(kind)
    }

    /// The day the pack takes effect, when it says.
    pub fn effective(&self) -> Option<chrono::NaiveDate> {
        self.def.effective.as_deref().and_then(crate::time::parse_date)
    }

    /// The pack id.
    pub fn id(&self) -> &str {
        &self.def.id
    }

    /// A rule by id.
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.def.rules.iter().find(|r| r.id == id)
    }

    /// The Chinese name of a step.
    pub fn step_name(&self, id: &str) -> Option<&str> {
        self.def.steps.iter().find(|s| s.id == id).map(|s| s.name.as_str())
    }

    /// The rules in checklist order: each step as the pack lists them, with its rules in pack
    /// order — those of `procedure` (the order of a report's items), or with `None` of every
    /// procedure (the order of a rule table). A rule whose step the pack does not list is in
    /// no step. An unknown procedure has no rules.
    pub fn step_rules(&self, procedure: Option<&str>) -> Vec<(&Named, Vec<&Rule>)> {
        let rules = |places: &mut dyn Iterator<Item = usize>| -> Vec<&Rule> {
            places.filter_map(|i| self.def.rules.get(i)).collect()
        };
        match procedure {
            Some(p) => {
                let at = self.def.procedures.iter().position(|x| x.id == p);
                let of = at.and_then(|i| self.step_rules.get(i));
                self.def
                    .steps
                    .iter()
                    .enumerate()
                    .map(|(k, step)| {
                        let places = of.and_then(|o| o.get(k)).map(Vec::as_slice).unwrap_or_default();
                        (step, rules(&mut places.iter().copied()))
                    })
                    .collect()
            }
            None => self
                .def
                .steps
                .iter()
                .enumerate()
                .map(|(k, step)| {
                    let mut places = self.shared.iter().enumerate().filter(|(_, s)| s.step == Some(k)).map(|(i, _)| i);
                    (step, rules(&mut places))
                })
                .collect(),
        }
    }
}

/// The `id` of the `index`-th `[[rule]]` of a pack.toml, read from its lines (the rule did not
/// deserialize, so only the text can say).
#[cfg(feature = "authoring")]
fn rule_id_at(toml: &str, index: usize) -> Option<String> {
    let mut lines = toml.lines();
    let mut seen = 0;
    for l in lines.by_ref() {
        if l.trim() == "[[rule]]" {
            if seen == index {
                break;
            }
            seen += 1;
        }
    }
    lines.take_while(|l| !l.trim().starts_with('[')).find_map(|l| {
        let v = l.trim().strip_prefix("id")?.trim_start().strip_prefix('=')?.trim();
        Some(v.trim_matches('"').to_owned())
    })
}

/// Every pack version at `path`: a `pack.toml` file, a folder holding one, a pack folder of
/// version folders, or a folder of pack folders (the layout of `rules-core/packs/`, see
/// `layout.rs`). Each is checked against its folder: `id` is the pack folder's name, `version`
/// the version folder's.
#[cfg(feature = "authoring")]
pub(crate) fn load_path(path: &std::path::Path) -> Result<Vec<Pack>, PackError> {
    let bad = |message: String| PackError::Malformed {
        pack: path.display().to_string(),
        location: "(folder)".to_owned(),
        message,
    };
    if path.is_file() {
        return Ok(vec![Pack::from_path(path)?]);
    }
    if !path.is_dir() {
        return Err(bad("no such file or folder".to_owned()));
    }
    // A pack folder holds pack.toml, or version folders whose pack.toml name this folder's id;
    // a packs folder holds pack folders (whose pack.toml name their own ids).
    let name = path.canonicalize().ok().and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    let id_in = |dir: &std::path::Path| {
        #[derive(Deserialize)]
        struct IdOnly {
            id: String,
        }
        let text = std::fs::read_to_string(dir.join("pack.toml")).ok()?;
        toml::from_str::<IdOnly>(&text).ok().map(|p| p.id)
    };
    let is_pack = path.join("pack.toml").is_file()
        || std::fs::read_dir(path)
            .map_err(|e| bad(e.to_string()))?
            .filter_map(Result::ok)
            .filter(|e| e.path().join("pack.toml").is_file())
            .any(|e| name.is_some() && id_in(&e.path()) == name);
    let found = if is_pack { layout::versions_in(path) } else { layout::find(path) }.map_err(bad)?;
    let mut out = Vec::new();
    for f in found {
        let p = Pack::from_path(&f.dir)?;
        let at = f.dir.join("pack.toml").display().to_string();
        // A pack folder given by itself may be named anyhow (a scratch copy); found in a
        // packs folder or beside its versions, its name is its id.
        if p.id() != f.id && f.dir != path {
            return Err(PackError::Malformed {
                pack: at,
                location: "id".to_owned(),
                message: format!("`id` is `{}` but the folder is `{}`: a pack's id is its folder's name", p.id(), f.id),
            });
        }
        if let Some(v) = f.version_dir.as_deref().filter(|v| *v != p.def.version) {
            return Err(PackError::Malformed {
                pack: at,
                location: "version".to_owned(),
                message: format!(
                    "`version` is `{}` but the folder is `{v}`: name each version folder as its version",
                    p.def.version
                ),
            });
        }
        out.push(p);
    }
    Ok(out)
}
