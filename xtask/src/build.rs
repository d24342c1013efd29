//! `cargo xtask build`: the widget as `pkg/dist/` — wasm, JS glue, the loader, `.d.ts`, the
//! integration snippet — checked against Chromium 83's wasm features, with sizes printed.
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{browser, cmd};

/// Files copied as they are from `pkg/src/` into `pkg/dist/`.
const STATIC_FILES: [&str; 7] = [
    "law-record-checklist.js",
    "law-record-checklist.guard.js",
    "law-record-checklist.d.ts",
    "law-record-checklist.contract.d.ts",
    "law-record-checklist.hash.js",
    "law-record-checklist.hash-worker.js",
    "snippet.html",
];

/// The JS files shipped in `pkg/dist/`, minified there for Chromium 83 (see [`minify`]).
const MINIFIED: [&str; 5] = [
    "checklist.js",
    "law-record-checklist.js",
    "law-record-checklist.guard.js",
    "law-record-checklist.hash.js",
    "law-record-checklist.hash-worker.js",
];

/// The widget's wasm as wasm-bindgen writes it; shipped as [`versioned_wasm_name`].
const WASM_BINDGEN_OUT: &str = "checklist_bg.wasm";

/// The files that name the widget's wasm (the loader fetches it, the early guard preloads it):
/// the build writes the versioned name in place of `checklist_bg.wasm`.
const NAMING_THE_WASM: [&str; 2] = ["law-record-checklist.js", "law-record-checklist.guard.js"];

/// `checklist_bg.<first 16 hex digits of its SHA-256>.wasm`. A name that changes with the
/// content lets servers send the file with a long `max-age` (pkg/README.md, "Serving the
/// files"): the browser then takes it from its cache without asking, and Chromium reuses the
/// machine code it compiled on an earlier visit, which it does not after a revalidation.
pub fn versioned_wasm_name(wasm: &[u8]) -> String {
    format!("checklist_bg.{}.wasm", &rules_core::sha256_hex(wasm)[..16])
}

/// Whether `name` is the widget's wasm as shipped.
pub fn is_widget_wasm(name: &str) -> bool {
    name.strip_prefix("checklist_bg.")
        .and_then(|rest| rest.strip_suffix(".wasm"))
        .is_some_and(|hash| hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The widget's wasm in `dist`, by its versioned name.
pub fn widget_wasm(dist: &Path) -> Result<PathBuf, String> {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("cannot list {}: {e}", dist.display()))?;
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.file_name().is_some_and(|n| is_widget_wasm(&n.to_string_lossy())))
        .ok_or_else(|| format!("no checklist_bg.<hash>.wasm in {} (run `cargo xtask build`)", dist.display()))
}

/// Writes the versioned wasm name into `file` in place of the one literal `'checklist_bg.wasm'`
/// it holds; a file without exactly one fails the build rather than ship a loader that fetches
/// a file that is not there.
fn name_the_wasm(file: &Path, wasm_file: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let literal = format!("'{WASM_BINDGEN_OUT}'");
    if text.matches(&literal).count() != 1 {
        return Err(format!("{}: expected the literal {literal} exactly once", file.display()));
    }
    std::fs::write(file, text.replace(&literal, &format!("'{wasm_file}'")))
        .map_err(|e| format!("cannot write {}: {e}", file.display()))
}

/// The hashing core as shipped: the scalar module every browser loads, and the `simd128` one
/// loaded only where `WebAssembly.validate` accepts it.
pub const HASH_CORE: &str = "hash-core.wasm";
/// See [`HASH_CORE`].
pub const HASH_CORE_SIMD: &str = "hash-core-simd.wasm";

/// The old-Chromium flags of `.cargo/config.toml` plus `simd128`. `RUSTFLAGS` replaces the
/// config's flags, so they are all repeated here.
const SIMD_RUSTFLAGS: &str =
    "-C target-cpu=mvp -C target-feature=+mutable-globals,+sign-ext,+nontrapping-fptoint,+bulk-memory,+simd128";

/// Sizes of one output file.
pub struct Size {
    /// File name in `pkg/dist/`.
    pub name: String,
    /// Raw bytes.
    pub raw: usize,
    /// Gzip (level 9) bytes.
    pub gzip: usize,
    /// Bytes of the brotli copy served in its place, when there is one.
    pub br: Option<usize>,
    /// For the widget's wasm: raw and gzip bytes of its code and data sections.
    pub sections: Vec<(&'static str, usize, usize)>,
}

/// `pkg/dist/`.
pub fn dist_dir() -> PathBuf {
    cmd::root().join("pkg/dist")
}

/// The cargo target directory the child cargo uses.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| cmd::root().join("target"))
}

/// `cargo xtask build`.
pub fn run(_args: &[String]) -> Result<(), String> {
    let sizes = build()?;
    print_sizes(&sizes);
    Ok(())
}

/// The target the widget and the hashing core are built for.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Adds the wasm32 target to the toolchain when it lacks it. `rust-toolchain.toml` names the
/// target, but rustup adds it only when it installs the toolchain itself, and a fresh machine
/// already has `stable`.
pub fn ensure_wasm_target() -> Result<(), String> {
    let installed = std::process::Command::new("rustup")
        .args(["target", "list", "--installed"])
        .current_dir(cmd::root())
        .output()
        .map_err(|e| format!("cannot run rustup (needed to add the {WASM_TARGET} target): {e}"))?;
    if String::from_utf8_lossy(&installed.stdout).lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    cmd::run(std::process::Command::new("rustup").args(["target", "add", WASM_TARGET]).current_dir(cmd::root()))
}

/// Builds `pkg/dist/` and returns the sizes of what it holds.
pub fn build() -> Result<Vec<Size>, String> {
    ensure_wasm_target()?;
    cmd::run(cmd::cargo().args([
        "build",
        "-p",
        "web",
        "--lib",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm",
    ]))?;
    let input = target_dir().join("wasm32-unknown-unknown/wasm/web.wasm");
    let dist = dist_dir();
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|e| format!("cannot clear {}: {e}", dist.display()))?;
    }
    std::fs::create_dir_all(&dist).map_err(|e| format!("cannot create {}: {e}", dist.display()))?;
    eprintln!("xtask: wasm-bindgen {} -> {}", input.display(), dist.display());
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&input)
        .out_name("checklist")
        .web(true)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?
        .typescript(true)
        .remove_name_section(true)
        .remove_producers_section(true)
        .generate(&dist)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?;
    let wasm = std::fs::read(dist.join(WASM_BINDGEN_OUT)).map_err(|e| format!("cannot read the wasm: {e}"))?;
    validate_chromium83(&wasm)?;
    let wasm_file = versioned_wasm_name(&wasm);
    std::fs::rename(dist.join(WASM_BINDGEN_OUT), dist.join(&wasm_file))
        .map_err(|e| format!("cannot rename the wasm to {wasm_file}: {e}"))?;
    build_hash_core(&dist)?;
    crate::contract::write()?;
    let src = cmd::root().join("pkg/src");
    for f in STATIC_FILES {
        std::fs::copy(src.join(f), dist.join(f)).map_err(|e| format!("cannot copy pkg/src/{f}: {e}"))?;
    }
    for f in NAMING_THE_WASM {
        name_the_wasm(&dist.join(f), &wasm_file)?;
    }
    minify(&dist)?;
    // The files are ES modules; this says so to Node and bundlers.
    let manifest = r#"{
  "name": "law-record-checklist",
  "version": "VERSION",
  "type": "module",
  "main": "law-record-checklist.js",
  "types": "law-record-checklist.d.ts",
  "sideEffects": ["law-record-checklist.js"]
}
"#
    .replace("VERSION", env!("CARGO_PKG_VERSION"));
    std::fs::write(dist.join("package.json"), manifest).map_err(|e| format!("cannot write package.json: {e}"))?;
    build_extension(&dist)?;
    crate::deploy::build_kit(&dist)?;
    precompress(&dist)?;
    sizes(&dist)
}

/// Whether a file of `pkg/dist/` is served precompressed: what a browser fetches.
fn served_compressed(name: &str) -> bool {
    [".js", ".wasm", ".map", ".d.ts"].iter().any(|ext| name.ends_with(ext))
}

/// Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9) beside each file a
/// browser fetches, so that a server can send them as they are (pkg/README.md shows nginx,
/// Tomcat and IIS) instead of compressing on every request or not at all.
fn precompress(dist: &Path) -> Result<(), String> {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("cannot list {}: {e}", dist.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !served_compressed(&name) || !entry.path().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| format!("cannot read {name}: {e}"))?;
        let write = |ext: &str, data: Vec<u8>| {
            std::fs::write(dist.join(format!("{name}.{ext}")), data)
                .map_err(|e| format!("cannot write {name}.{ext}: {e}"))
        };
        write("br", brotli_bytes(&bytes)?)?;
        write("gz", gzip_bytes(&bytes)?)?;
    }
    Ok(())
}

/// Brotli (quality 11, the largest window) of `bytes`.
pub fn brotli_bytes(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 24, ..Default::default() };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).map_err(|e| format!("brotli: {e}"))?;
    Ok(out)
}

/// Minifies the [`MINIFIED`] files of `dist` in place with esbuild (installed by npm into
/// `xtask/js/`), each with a source map holding the readable source. `--target=chrome83` also
/// fails the build on syntax Chromium 83 cannot parse. Saves about a third of the JS gzipped.
fn minify(dist: &Path) -> Result<(), String> {
    browser::ensure_node()?;
    let tools = cmd::root().join("xtask/js");
    browser::npm_install(&tools, "esbuild")?;
    let esbuild = tools.join("node_modules/.bin/esbuild");
    for f in MINIFIED {
        let file = dist.join(f);
        cmd::run(std::process::Command::new(&esbuild).arg(&file).arg(format!("--outfile={}", file.display())).args([
            "--allow-overwrite",
            "--minify",
            "--target=chrome83",
            "--sourcemap",
            "--log-level=warning",
        ]))?;
    }
    Ok(())
}

/// The unpacked browser extension (Manifest V3, Chromium 103+), under `pkg/dist/`.
pub const EXTENSION_DIR: &str = "extension";
/// The same, packed for deployment.
pub const EXTENSION_ZIP: &str = "law-record-checklist-extension.zip";
/// The Manifest V2 build of the same extension (Chromium 83–102: 360 / 奇安信 cores).
pub const EXTENSION_MV2_DIR: &str = "extension-mv2";
/// The same, packed.
pub const EXTENSION_MV2_ZIP: &str = "law-record-checklist-extension-mv2.zip";

/// Source files of the extension (`pkg/extension/`), copied as they are except the manifest,
/// which gets the package version.
const EXTENSION_FILES: [&str; 14] = [
    "managed_schema.json",
    "adapter.schema.json",
    "background.js",
    "settings.js",
    "content.js",
    "page-globals.js",
    "frame.html",
    "frame.css",
    "frame.js",
    "options.html",
    "options.css",
    "options.js",
    "adapters/demo-platform.json",
    "adapters/README.txt",
];

/// One build of the extension: its manifest source, the files only it has, where it goes.
struct ExtensionBuild {
    manifest: &'static str,
    extra: &'static [&'static str],
    dir: &'static str,
    zip: &'static str,
}

const EXTENSION_BUILDS: [ExtensionBuild; 2] = [
    ExtensionBuild { manifest: "manifest.json", extra: &[], dir: EXTENSION_DIR, zip: EXTENSION_ZIP },
    // MV2: a background page instead of the service worker, the content script declared in
    // the manifest, and the extension pages' CSP allowing wasm with 'wasm-eval'.
    ExtensionBuild {
        manifest: "manifest.mv2.json",
        extra: &["background.html"],
        dir: EXTENSION_MV2_DIR,
        zip: EXTENSION_MV2_ZIP,
    },
];

/// What of `pkg/dist/` the extension's frame loads, under `widget/`.
/// The widget's wasm (by its versioned name) goes with them.
const EXTENSION_WIDGET_FILES: [&str; 7] = [
    "law-record-checklist.js",
    "law-record-checklist.guard.js",
    "checklist.js",
    "law-record-checklist.hash.js",
    "law-record-checklist.hash-worker.js",
    HASH_CORE,
    HASH_CORE_SIMD,
];

/// Builds the extension from `pkg/extension/` and the widget in `dist`, as Manifest V3 and as
/// Manifest V2: each unpacked in `dist/<dir>/` (for "load unpacked" and the tests) and packed
/// as a zip.
fn build_extension(dist: &Path) -> Result<(), String> {
    for b in &EXTENSION_BUILDS {
        build_extension_variant(dist, b)?;
    }
    Ok(())
}

fn build_extension_variant(dist: &Path, build: &ExtensionBuild) -> Result<(), String> {
    let src = cmd::root().join("pkg/extension");
    let out = dist.join(build.dir);
    // A file left from an earlier build would be loaded with the new ones.
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("cannot remove {}: {e}", out.display()))?;
    }
    let read = |f: &str| std::fs::read(src.join(f)).map_err(|e| format!("cannot read pkg/extension/{f}: {e}"));
    let manifest =
        String::from_utf8(read(build.manifest)?).map_err(|e| format!("pkg/extension/{}: {e}", build.manifest))?;
    let mut files: Vec<(String, Vec<u8>)> = vec![(
        "manifest.json".to_string(),
        manifest.replace("\"VERSION\"", &format!("\"{}\"", env!("CARGO_PKG_VERSION"))).into_bytes(),
    )];
    for f in EXTENSION_FILES.iter().chain(build.extra) {
        files.push((f.to_string(), read(f)?));
    }
    let wasm = widget_wasm(dist)?;
    let wasm_name = wasm.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    for f in EXTENSION_WIDGET_FILES.iter().copied().chain([wasm_name.as_str()]) {
        let bytes = std::fs::read(dist.join(f)).map_err(|e| format!("cannot read pkg/dist/{f}: {e}"))?;
        files.push((format!("widget/{f}"), bytes));
    }
    check_extension_json(&files)?;
    let zip_path = dist.join(build.zip);
    let zip_name = build.zip;
    let zip_file =
        std::fs::File::create(&zip_path).map_err(|e| format!("cannot create {}: {e}", zip_path.display()))?;
    let mut zip = zip::ZipWriter::new(zip_file);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in &files {
        let path = out.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        zip.start_file(name.as_str(), opts).map_err(|e| format!("{zip_name}: {e}"))?;
        zip.write_all(bytes).map_err(|e| format!("{zip_name}: {e}"))?;
    }
    zip.finish().map_err(|e| format!("{zip_name}: {e}"))?;
    Ok(())
}

/// Fails on a JSON file of the extension that does not parse: Chromium would refuse to load
/// the extension, or the sample adapter, with a message nobody sees at build time.
fn check_extension_json(files: &[(String, Vec<u8>)]) -> Result<(), String> {
    for (name, bytes) in files.iter().filter(|(n, _)| n.ends_with(".json")) {
        serde_json::from_slice::<serde_json::Value>(bytes).map_err(|e| format!("pkg/extension/{name}: {e}"))?;
    }
    Ok(())
}

/// Builds the hashing core twice (scalar, `simd128`) into `dist`, each checked against the
/// browsers that will load it.
fn build_hash_core(dist: &Path) -> Result<(), String> {
    let args = ["build", "-p", "hasher", "--lib", "--target", "wasm32-unknown-unknown", "--profile", "hasher"];
    cmd::run(cmd::cargo().args(args))?;
    // A separate target directory: the two flag sets would otherwise rebuild each other.
    let simd_target = target_dir().join("simd");
    cmd::run(cmd::cargo().args(args).env("RUSTFLAGS", SIMD_RUSTFLAGS).env("CARGO_TARGET_DIR", &simd_target))?;
    let built = [
        (target_dir().join("wasm32-unknown-unknown/hasher/hasher.wasm"), HASH_CORE, false),
        (simd_target.join("wasm32-unknown-unknown/hasher/hasher.wasm"), HASH_CORE_SIMD, true),
    ];
    for (from, name, simd) in built {
        let raw = std::fs::read(&from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
        // The precompiled std encodes `call_indirect`'s table index in the long form of
        // reference types, which Chromium 83 rejects; wasm-bindgen's rewrite fixes that for the
        // widget, and the same rewrite (walrus) does it here.
        let wasm = walrus::Module::from_buffer(&raw)
            .map_err(|e| format!("cannot read {}: {e:#}", from.display()))?
            .emit_wasm();
        if simd {
            validate_chromium91_simd(&wasm).map_err(|e| format!("{name}: {e}"))?;
            if validate_chromium83(&wasm).is_ok() {
                return Err(format!("{name} uses no SIMD: the simd128 flags did not apply"));
            }
        } else {
            validate_chromium83(&wasm).map_err(|e| format!("{name}: {e}"))?;
        }
        std::fs::write(dist.join(name), &wasm).map_err(|e| format!("cannot write {name}: {e}"))?;
    }
    Ok(())
}

/// Fails when the SIMD module uses more than Chromium 83's features plus `simd128` (the
/// browsers that validate it, Chromium 91+, have all of those).
pub fn validate_chromium91_simd(wasm: &[u8]) -> Result<(), String> {
    wasmparser::Validator::new_with_features(chromium83_features() | wasmparser::WasmFeatures::SIMD)
        .validate_all(wasm)
        .map(|_| ())
        .map_err(|e| format!("the SIMD wasm uses features beyond simd128: {e}"))
}

/// The wasm features of Chromium 83 (V8 8.3): wasm 1.0 with mutable globals, sign extension,
/// non-trapping float-to-int and bulk memory; no reference types, multi-value or SIMD.
pub fn chromium83_features() -> wasmparser::WasmFeatures {
    use wasmparser::WasmFeatures as F;
    F::WASM1 | F::SIGN_EXTENSION | F::SATURATING_FLOAT_TO_INT | F::BULK_MEMORY
}

/// Fails when the module uses a wasm feature Chromium 83 lacks.
pub fn validate_chromium83(wasm: &[u8]) -> Result<(), String> {
    wasmparser::Validator::new_with_features(chromium83_features())
        .validate_all(wasm)
        .map(|_| ())
        .map_err(|e| format!("the wasm would not load on Chromium 83: {e}"))
}

/// What a page loads: the wasm and JS, with one hashing core (the scalar one, the larger).
fn loaded_by_page(name: &str) -> bool {
    (name.ends_with(".wasm") || name.ends_with(".js")) && name != HASH_CORE_SIMD
}

/// Gzip (level 9) of `bytes`.
pub fn gzip_bytes(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).map_err(|e| e.to_string())?;
    enc.finish().map_err(|e| e.to_string())
}

/// Gzip (level 9) size of `bytes`.
pub fn gzip_len(bytes: &[u8]) -> Result<usize, String> {
    gzip_bytes(bytes).map(|v| v.len())
}

/// The sizes of the files in `dir` (not of their precompressed copies, which are columns).
fn sizes(dir: &Path) -> Result<Vec<Size>, String> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    for e in entries.filter_map(Result::ok) {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if !path.is_file() || name.ends_with(".br") || name.ends_with(".gz") {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let br = std::fs::metadata(dir.join(format!("{name}.br"))).ok().map(|m| m.len() as usize);
        // Read here, with the file already in hand, rather than again when printing.
        let sections = if is_widget_wasm(&name) { composition(&bytes)? } else { Vec::new() };
        out.push(Size { name, raw: bytes.len(), gzip: gzip_len(&bytes)?, br, sections });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

/// Prints the sizes table and the total of what a page loads, so that a regression shows.
pub fn print_sizes(sizes: &[Size]) {
    println!("{:<36} {:>10} {:>10} {:>10}", "pkg/dist/", "raw", "gzip", "br");
    let br = |s: Option<usize>| s.map(|n| n.to_string()).unwrap_or_else(|| "-".into());
    for s in sizes {
        println!("{:<36} {:>10} {:>10} {:>10}", s.name, s.raw, s.gzip, br(s.br));
    }
    let loaded: Vec<&Size> = sizes.iter().filter(|s| loaded_by_page(&s.name)).collect();
    let raw: usize = loaded.iter().map(|s| s.raw).sum();
    let gzip: usize = loaded.iter().map(|s| s.gzip).sum();
    let brotli: usize = loaded.iter().filter_map(|s| s.br).sum();
    println!("{:<36} {:>10} {:>10} {:>10}", "wasm + JS a page loads", raw, gzip, brotli);
    // Where the widget's wasm goes, so a change's effect can be read off.
    for (name, raw, gzip) in sizes.iter().flat_map(|s| s.sections.iter()) {
        println!("  {name:<34} {raw:>10} {gzip:>10}");
    }
}

/// Raw and gzip sizes of the code and data sections of a wasm module.
fn composition(wasm: &[u8]) -> Result<Vec<(&'static str, usize, usize)>, String> {
    let mut out = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        let range = match payload.map_err(|e| e.to_string())? {
            wasmparser::Payload::CodeSectionStart { range, .. } => ("widget wasm: code", range),
            wasmparser::Payload::DataSection(r) => ("widget wasm: data", r.range()),
            _ => continue,
        };
        let bytes = wasm.get(range.1.clone()).ok_or("a section runs past the end of the file")?;
        out.push((range.0, bytes.len(), gzip_len(bytes)?));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module using a reference-types construct (a `ref.null extern` in a function) must
    /// be rejected: this is the failure V8 8.3 shows as `invalid local type`.
    #[test]
    fn rejects_externref() {
        // (module (func (result externref) ref.null extern))
        let wasm: &[u8] =
            &[0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 111, 3, 2, 1, 0, 10, 6, 1, 4, 0, 208, 111, 11];
        assert!(wasmparser::Validator::new().validate_all(wasm).is_ok(), "the sample is valid wasm");
        assert!(validate_chromium83(wasm).is_err());
    }

    #[test]
    fn the_shipped_wasm_name_carries_its_content() {
        let a = versioned_wasm_name(b"\0asm one");
        assert!(is_widget_wasm(&a), "{a}");
        assert_ne!(a, versioned_wasm_name(b"\0asm two"));
        for other in
            ["checklist_bg.wasm", "checklist_bg.0123.wasm", "checklist_bg.0123456789abcdeg.wasm", "hash-core.wasm"]
        {
            assert!(!is_widget_wasm(other), "{other}");
        }
    }

    #[test]
    fn accepts_empty_module() {
        assert!(validate_chromium83(&[0, 97, 115, 109, 1, 0, 0, 0]).is_ok());
    }
}
