//! Turns the built-in packs and the holiday calendar from their authored TOML into compact
//! JSON, so a build without the `authoring` feature (the widget's wasm) carries neither a TOML
//! parser nor the regulation texts. A file that does not parse fails the build with its error:
//! otherwise a widget could ship with a pack it cannot read. (Validation beyond the syntax —
//! quotes, articles, kinds — is done by builds with `authoring`, and a rules-core test holds
//! the compiled JSON equal to the validated TOML.)
use std::path::{Path, PathBuf};

const PACKS: [&str; 5] = ["changsha-zfj", "xinglongtai-zjj", "pingluo-jtys", "lingshou-xzsp", "sanming-gxj"];

/// Top-level pack fields only authors and the coverage report read (notes on counting,
/// articles left out with reasons): dropped from what the widget ships.
const AUTHORING_ONLY: [&str; 2] = ["notes", "excluded"];

fn compile(from: &Path, to: &Path) {
    println!("cargo::rerun-if-changed={}", from.display());
    let json = std::fs::read_to_string(from)
        .map_err(|e| e.to_string())
        .and_then(|t| toml::from_str::<serde_json::Value>(&t).map_err(|e| e.to_string()))
        .map(|mut v| {
            if let Some(o) = v.as_object_mut() {
                for k in AUTHORING_ONLY {
                    o.remove(k);
                }
            }
            v
        })
        .and_then(|v| serde_json::to_string(&v).map_err(|e| e.to_string()))
        .unwrap_or_else(|e| {
            // One line per message: cargo shows each `cargo::error` line on its own.
            for line in format!("{}: {e}", from.display()).lines() {
                println!("cargo::error={line}");
            }
            String::new()
        });
    if let Err(e) = std::fs::write(to, json) {
        println!("cargo::error=cannot write {}: {e}", to.display());
    }
}

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    for id in PACKS {
        compile(&root.join("packs").join(id).join("pack.toml"), &out.join(format!("{id}.json")));
    }
    compile(&root.join("calendar/cn-holidays.toml"), &out.join("cn-holidays.json"));
}
