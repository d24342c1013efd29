//! Turns the built-in rule packs into JSON at build time (with the engine, natively), so the
//! wasm carries no TOML parser: that parser was most of the widget's size. The packs are
//! validated here by the engine exactly as `Pack::builtin` would; a bad pack fails the build.
use std::fmt::Write;
use std::path::PathBuf;

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let packs_dir = manifest.join("../rules-core/packs");
    println!("cargo:rerun-if-changed={}", packs_dir.display());
    let mut out = String::from("/// (id, pack definition as JSON, source text) of every built-in pack.\n");
    out.push_str("pub const PACKS: &[(&str, &str, &str)] = &[\n");
    for id in rules_core::builtin_pack_ids() {
        let pack = match rules_core::Pack::builtin(id) {
            Ok(p) => p,
            Err(e) => {
                println!("cargo:warning=pack {id} does not load: {e}");
                std::process::exit(1);
            }
        };
        let json = serde_json::to_string(&pack.def).unwrap_or_default();
        let source = packs_dir.join(id).join("source.txt");
        println!("cargo:rerun-if-changed={}", source.display());
        let _ = writeln!(out, "    ({id:?}, {json:?}, include_str!({:?})),", source.display().to_string());
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default()).join("packs.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=cannot write {}: {e}", dest.display());
        std::process::exit(1);
    }
}
