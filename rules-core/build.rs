//! Turns the built-in packs and the holiday calendar from their authored TOML into compact
//! JSON, so a build without the `authoring` feature (the widget's wasm) carries neither a TOML
//! parser nor the regulation texts, and writes the list of built-in packs (`builtin_packs.rs`)
//! from the folders found under `packs/` (layout in `src/pack/layout.rs`): a new pack or
//! version is a folder, with no list to edit.
//!
//! A pack that does not parse, whose `id` or `version` does not match its folder, or that
//! shares its `effective` day with another version of the same pack fails the build with its
//! error: otherwise a widget could ship with a pack it cannot read, or a case could be checked
//! under a version nobody chose. (Validation beyond that — quotes, articles, kinds — is done by
//! builds with `authoring`, and a rules-core test holds the compiled JSON equal to the
//! validated TOML.)
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[path = "src/pack/layout.rs"]
#[allow(dead_code)] // `Found` fields used by the library only
mod layout;

/// Top-level pack fields only authors and the coverage report read (notes on counting,
/// articles left out with reasons): dropped from what the widget ships.
const AUTHORING_ONLY: [&str; 2] = ["notes", "excluded"];

/// Fails the build with `message`, one `cargo::error` line per line of it.
fn fail(message: &str) {
    for line in message.lines() {
        println!("cargo::error={line}");
    }
}

fn compile(from: &Path, to: &Path) -> Option<serde_json::Value> {
    let value = std::fs::read_to_string(from)
        .map_err(|e| e.to_string())
        .and_then(|t| toml::from_str::<serde_json::Value>(&t).map_err(|e| e.to_string()));
    let value = match value {
        Ok(v) => v,
        Err(e) => {
            // Nothing is written for it, and the list of built-in packs leaves it out: the
            // build fails here rather than ship a pack the widget cannot read.
            fail(&format!("{}: {e}", from.display()));
            return None;
        }
    };
    let mut shipped = value.clone();
    if let Some(o) = shipped.as_object_mut() {
        for k in AUTHORING_ONLY {
            o.remove(k);
        }
    }
    let json = serde_json::to_string(&shipped).unwrap_or_default();
    if let Some(dir) = to.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if let Err(e) = std::fs::write(to, json) {
        fail(&format!("cannot write {}: {e}", to.display()));
    }
    Some(value)
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10 && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() })
}

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let packs = root.join("packs");
    // A folder: cargo then rebuilds when anything under it changes, a new folder included.
    println!("cargo::rerun-if-changed={}", packs.display());
    let found = layout::find(&packs).unwrap_or_else(|e| {
        fail(&e);
        Vec::new()
    });
    let mut table = String::from("&[\n");
    // (id, effective, folder) of each version, to refuse two versions in force from one day.
    let mut days: Vec<(String, String, PathBuf)> = Vec::new();
    for f in &found {
        let name = match &f.version_dir {
            Some(v) => format!("{}/{v}.json", f.id),
            None => format!("{}/pack.json", f.id),
        };
        let json_path = out.join("packs").join(&name);
        let toml_path = f.dir.join("pack.toml");
        let Some(value) = compile(&toml_path, &json_path) else { continue };
        let field = |k: &str| value.get(k).and_then(|v| v.as_str()).map(str::to_owned);
        let (id, version, effective) = (field("id"), field("version"), field("effective"));
        if id.as_deref() != Some(f.id.as_str()) {
            fail(&format!(
                "{}: `id` is {:?} but the folder is `{}`: a pack's id is its folder's name",
                toml_path.display(),
                id.unwrap_or_default(),
                f.id
            ));
        }
        let version = version.unwrap_or_default();
        if let Some(dir) = &f.version_dir {
            if *dir != version {
                fail(&format!(
                    "{}: `version` is {version:?} but the folder is `{dir}`: name each version folder as its version",
                    toml_path.display()
                ));
            }
        }
        if let Some(e) = &effective {
            if !is_date(e) {
                fail(&format!("{}: `effective` is {e:?}, not a date written YYYY-MM-DD", toml_path.display()));
            }
        }
        let day = effective.clone().unwrap_or_default();
        if let Some((_, _, other)) = days.iter().find(|(i, d, _)| *i == f.id && *d == day) {
            fail(&format!(
                "{}: takes effect on the same day ({}) as {}: give each version of `{}` its own `effective` day",
                toml_path.display(),
                if day.is_empty() { "no `effective` given" } else { &day },
                other.display(),
                f.id
            ));
        }
        days.push((f.id.clone(), day, f.dir.clone()));
        let _ = writeln!(
            table,
            "    Builtin {{ id: {:?}, version: {:?}, effective: {:?}, json: include_str!({:?}),\n      \
             #[cfg(feature = \"authoring\")] toml: include_str!({:?}),\n      \
             #[cfg(feature = \"authoring\")] source: include_str!({:?}) }},",
            f.id,
            version,
            effective,
            json_path.display().to_string(),
            toml_path.display().to_string(),
            f.dir.join("source.txt").display().to_string(),
        );
    }
    table.push(']');
    if let Err(e) = std::fs::write(out.join("builtin_packs.rs"), table) {
        fail(&format!("cannot write builtin_packs.rs: {e}"));
    }
    let cal = root.join("calendar/cn-holidays.toml");
    println!("cargo::rerun-if-changed={}", cal.display());
    compile(&cal, &out.join("cn-holidays.json"));
}
