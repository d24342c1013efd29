//! `cargo xtask dist`: the `rules` CLI for the legal offices that keep the packs, built for
//! Linux (x86_64) and Windows (x86_64-pc-windows-gnu, linked with Debian's mingw-w64), with the
//! packs and holiday calendar built in, each zipped with a short zh-CN guide and the sample
//! cases. The Linux binary is run from its zip on the samples; the Windows one is checked to be
//! an x86-64 PE executable, and run under wine when wine is there (`--wine` installs it).
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::cmd;

const WINDOWS: &str = "x86_64-pc-windows-gnu";
const MINGW_GCC: &str = "x86_64-w64-mingw32-gcc";

/// The guide shipped in each zip, in Chinese for the legal office.
const GUIDE: &str = "行政执法全过程记录检查工具 rules（命令行）使用说明

本工具内置各机关规则包和节假日数据，无需安装，解压后即可在命令行中运行
（Windows：需要 Windows 10 或更高版本（64 位）；在解压目录中按住 Shift 右键，
选择“在此处打开 PowerShell 窗口”，命令写作 .\\rules.exe）。

常用命令：
  rules check samples/01-complete.json --now 2026-04-10T12:00
      按案件所属机关的规则包检查一个案件，列出清单；退出码 0 可以提交，1 不能提交，2 输入有误。
  rules report samples/01-complete.json -o 核查表.html
      生成可打印的《全过程记录核查表》，用浏览器打开后打印或另存为 PDF。
  rules audit samples
      案卷评查：检查一个目录下的全部案件，按规则和按案件汇总。
  rules explain 41-av-stored-24h
      查看一条规则的条文、原文引用、强度和满足条件。
  rules validate 规则包目录
      校验规则包（pack.toml 与 source.txt）：原文引用、条文编号、名称是否一致，错误会给出行号和改法。
  rules test scenarios
      运行场景测试文件（本压缩包 scenarios 目录为各规则包的场景，可作范例），逐个列出不符合预期的场景
      （预期与实际结果）；测试自己的规则包：rules test 场景目录 --pack 规则包目录。
      scenarios/cross-pack 是同一组事实在各机关规则包下的结论：新增规则包时，对其中每个案例写下
      新规则包的结论（[case.verdicts]），未写的会列出规则包实际给出的结论，供对照条文核实。
  rules coverage --pack 规则包目录
      列出规定的每一条：已编码、已说明理由排除，或尚未处理。
  rules schema pack
      输出 pack.toml 的 JSON Schema。

规则包目录结构：规则包目录/<机关id>/pack.toml + source.txt；
同一规则包的多个版本：规则包目录/<机关id>/<版本>/pack.toml + source.txt，
案件按立案（受理）之日施行的版本检查。pack.toml 每个字段的说明和示例见 docs/pack-reference.md。

每个命令加 --help 可查看全部参数。
";

/// `cargo xtask dist [--wine]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let wine_wanted = args.iter().any(|a| a == "--wine");
    if let Some(a) = args.iter().find(|a| *a != "--wine") {
        return Err(format!("dist: unknown argument `{a}` (usage: cargo xtask dist [--wine])"));
    }
    ensure_windows_toolchain()?;
    let out = cmd::root().join("target/dist");
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let version = rules_version()?;

    cmd::run(cmd::cargo().args(["build", "--release", "-p", "rules-core", "--features", "cli", "--bin", "rules"]))?;
    cmd::run(
        cmd::cargo()
            .args([
                "build",
                "--release",
                "-p",
                "rules-core",
                "--features",
                "cli",
                "--bin",
                "rules",
                "--target",
                WINDOWS,
            ])
            .env("CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER", MINGW_GCC),
    )?;
    let target = target_dir();
    let linux_bin = target.join("release/rules");
    let windows_bin = target.join(WINDOWS).join("release/rules.exe");

    let linux_zip = out.join(format!("rules-{version}-x86_64-linux.zip"));
    let windows_zip = out.join(format!("rules-{version}-x86_64-windows.zip"));
    write_zip(&linux_zip, &linux_bin, "rules", false)?;
    write_zip(&windows_zip, &windows_bin, "rules.exe", true)?;

    let exe = read_member(&windows_zip, "rules.exe")?;
    let pe = check_pe(&exe)?;
    eprintln!("xtask: rules.exe is {pe}");
    verify_linux_zip(&linux_zip)?;
    let wine = wine_command(wine_wanted);
    match &wine {
        Some(w) => run_under_wine(w, &windows_zip)?,
        None => eprintln!(
            "xtask: wine not available: rules.exe checked as a PE executable only (`cargo xtask dist --wine` installs Debian's wine)"
        ),
    }
    for z in [&linux_zip, &windows_zip] {
        let size = std::fs::metadata(z).map(|m| m.len()).unwrap_or_default();
        eprintln!("xtask: {}  {:.1} MB", z.display(), size as f64 / 1_048_576.0);
    }
    Ok(())
}

/// The cargo target directory the child cargo uses.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| cmd::root().join("target"))
}

/// The `rules` crate's version, for the zip names.
fn rules_version() -> Result<String, String> {
    let manifest = std::fs::read_to_string(cmd::root().join("rules-core/Cargo.toml")).map_err(|e| e.to_string())?;
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \"")?.strip_suffix('"').map(str::to_owned))
        .ok_or_else(|| "rules-core/Cargo.toml has no version".to_owned())
}

fn on_path(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success())
}

/// The rustup target (rustup does not add one to a toolchain already installed) and Debian's
/// mingw-w64 linker, installed when missing.
fn ensure_windows_toolchain() -> Result<(), String> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .current_dir(cmd::root())
        .output()
        .map_err(|e| format!("cannot run rustup: {e}"))?;
    if !String::from_utf8_lossy(&installed.stdout).lines().any(|l| l.trim() == WINDOWS) {
        cmd::run(Command::new("rustup").args(["target", "add", WINDOWS]).current_dir(cmd::root()))?;
    }
    if !on_path(MINGW_GCC) {
        apt_install(&["gcc-mingw-w64-x86-64"])?;
    }
    Ok(())
}

/// `apt-get install` as root, or through sudo.
fn apt_install(packages: &[&str]) -> Result<(), String> {
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0"));
    let mut c = if root { Command::new("apt-get") } else { Command::new("sudo") };
    if !root {
        c.arg("apt-get");
    }
    c.args(["install", "-y", "--no-install-recommends"]).args(packages).env("DEBIAN_FRONTEND", "noninteractive");
    cmd::run(&mut c)
}

/// Writes `zip`: the binary (executable on Unix), the guide (with CRLF and a BOM for Windows'
/// Notepad) and the sample cases.
fn write_zip(zip: &Path, binary: &Path, name: &str, windows: bool) -> Result<(), String> {
    let file = std::fs::File::create(zip).map_err(|e| format!("cannot create {}: {e}", zip.display()))?;
    let mut w = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let err = |e: zip::result::ZipError| format!("{}: {e}", zip.display());
    let bin = std::fs::read(binary).map_err(|e| format!("cannot read {}: {e}", binary.display()))?;
    w.start_file(name, opts.unix_permissions(0o755)).map_err(err)?;
    w.write_all(&bin).map_err(|e| e.to_string())?;
    let guide = if windows { format!("\u{feff}{}", GUIDE.replace('\n', "\r\n")) } else { GUIDE.to_owned() };
    w.start_file("使用说明.txt", opts).map_err(err)?;
    w.write_all(guide.as_bytes()).map_err(|e| e.to_string())?;
    let samples = cmd::root().join("rules-core/samples");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&samples)
        .map_err(|e| format!("{}: {e}", samples.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    for p in names {
        let text = std::fs::read(&p).map_err(|e| e.to_string())?;
        let n = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        w.start_file(format!("samples/{n}"), opts).map_err(err)?;
        w.write_all(&text).map_err(|e| e.to_string())?;
    }
    // The scenario files, as examples to copy and for `rules test scenarios`, and the pack
    // authors' reference.
    let scenarios = cmd::root().join("tests/scenarios");
    let mut extra: Vec<(String, PathBuf)> = Vec::new();
    for pack in sorted_entries(&scenarios)? {
        for f in sorted_entries(&pack)?.into_iter().filter(|p| p.extension().is_some_and(|x| x == "toml")) {
            let rel = f.strip_prefix(&scenarios).map_err(|e| e.to_string())?;
            extra.push((format!("scenarios/{}", rel.to_string_lossy().replace('\\', "/")), f.clone()));
        }
    }
    let cross = cmd::root().join("tests/cross-pack");
    for f in sorted_entries(&cross)?.into_iter().filter(|p| p.extension().is_some_and(|x| x == "toml")) {
        let n = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        extra.push((format!("scenarios/cross-pack/{n}"), f.clone()));
    }
    extra.push(("docs/pack-reference.md".to_owned(), cmd::root().join("rules-core/docs/pack-reference.md")));
    for (name, path) in extra {
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        w.start_file(name, opts).map_err(err)?;
        w.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    w.finish().map_err(err)?;
    Ok(())
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    v.sort();
    Ok(v)
}

fn read_member(zip: &Path, name: &str) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(zip).map_err(|e| format!("{}: {e}", zip.display()))?;
    let mut a = zip::ZipArchive::new(file).map_err(|e| format!("{}: {e}", zip.display()))?;
    let mut m = a.by_name(name).map_err(|e| format!("{}: {name}: {e}", zip.display()))?;
    let mut out = Vec::new();
    m.read_to_end(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}

/// Unpacks `zip` into a fresh folder beside it.
fn unpack(zip: &Path) -> Result<PathBuf, String> {
    let dir = zip.with_extension("unpacked");
    let _ = std::fs::remove_dir_all(&dir);
    let file = std::fs::File::open(zip).map_err(|e| format!("{}: {e}", zip.display()))?;
    let mut a = zip::ZipArchive::new(file).map_err(|e| format!("{}: {e}", zip.display()))?;
    a.extract(&dir).map_err(|e| format!("cannot unpack {}: {e}", zip.display()))?;
    Ok(dir)
}

/// What `bytes` are as an executable: refused unless a PE image for x86-64 (the Windows
/// binary cannot be run here, so its headers are what can be checked).
fn check_pe(bytes: &[u8]) -> Result<String, String> {
    if bytes.get(..2) != Some(b"MZ") {
        return Err("rules.exe does not start with `MZ`: not a Windows executable".into());
    }
    let at = bytes
        .get(0x3c..0x40)
        .and_then(|b| b.try_into().ok())
        .map(u32::from_le_bytes)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or("rules.exe is too short for a PE header")?;
    if bytes.get(at..at + 4) != Some(b"PE\0\0") {
        return Err(format!("rules.exe has no `PE` signature at {at:#x}"));
    }
    let u16_at = |i: usize| bytes.get(i..i + 2).and_then(|b| b.try_into().ok()).map(u16::from_le_bytes);
    let machine = u16_at(at + 4).ok_or("rules.exe: truncated COFF header")?;
    if machine != 0x8664 {
        return Err(format!("rules.exe is for machine {machine:#06x}, not x86-64 (0x8664)"));
    }
    let characteristics = u16_at(at + 22).ok_or("rules.exe: truncated COFF header")?;
    if characteristics & 0x0002 == 0 {
        return Err("rules.exe is not marked executable (IMAGE_FILE_EXECUTABLE_IMAGE)".into());
    }
    let magic = u16_at(at + 24).ok_or("rules.exe: no optional header")?;
    if magic != 0x20b {
        return Err(format!("rules.exe optional header magic {magic:#x}, not PE32+ (0x20b)"));
    }
    let subsystem = u16_at(at + 24 + 68).ok_or("rules.exe: truncated optional header")?;
    if subsystem != 3 {
        return Err(format!("rules.exe subsystem {subsystem}, not the console (3)"));
    }
    Ok("a PE32+ console executable for x86-64".to_owned())
}

/// Runs the Linux binary from its zip as a user would: the samples give their known verdicts,
/// every built-in pack validates, and the guide is there.
fn verify_linux_zip(zip: &Path) -> Result<(), String> {
    let dir = unpack(zip)?;
    let rules = dir.join("rules");
    if !dir.join("使用说明.txt").is_file() {
        return Err(format!("{}: no 使用说明.txt", zip.display()));
    }
    let run = |args: &[&str]| -> Result<(i32, String), String> {
        let o = Command::new(&rules)
            .args(args)
            .current_dir(&dir)
            .output()
            .map_err(|e| format!("cannot run {}: {e}", rules.display()))?;
        Ok((o.status.code().unwrap_or(-1), String::from_utf8_lossy(&o.stdout).into_owned()))
    };
    // The samples' verdicts, as rules-core's CLI tests hold them.
    for (sample, code) in
        [("01-complete.json", 0), ("02-missing-service-receipt.json", 1), ("03-av-stored-late.json", 1)]
    {
        let (got, out) = run(&["check", &format!("samples/{sample}"), "--now", "2026-04-10T12:00"])?;
        if got != code {
            return Err(format!("the zipped rules: `check samples/{sample}` exited {got}, expected {code}:\n{out}"));
        }
    }
    let (got, out) = run(&["validate"])?;
    if got != 0 || out.lines().count() < 5 {
        return Err(format!("the zipped rules: `validate` exited {got}:\n{out}"));
    }
    let (got, out) = run(&["test", "scenarios"])?;
    if got != 0 {
        return Err(format!("the zipped rules: `test scenarios` exited {got}:\n{out}"));
    }
    let (got, _) = run(&["audit", "samples", "--now", "2026-04-10T12:00", "--quiet"])?;
    if got != 1 {
        return Err(format!("the zipped rules: `audit samples` exited {got}, expected 1 (some blocked)"));
    }
    eprintln!("xtask: the Linux rules from {} checked the samples and passed every scenario", zip.display());
    Ok(())
}

/// Where wine may be: on the PATH, or where Debian's `wine64` package puts its loader without
/// the `wine` wrapper.
const WINES: [&str; 3] = ["wine64", "wine", "/usr/lib/wine/wine64"];

/// wine, when installed; with `--wine`, installed from Debian when missing.
fn wine_command(install: bool) -> Option<String> {
    let find = || WINES.into_iter().find(|w| Path::new(w).is_file() || on_path(w)).map(str::to_owned);
    let found = find();
    if found.is_some() || !install {
        return found;
    }
    match apt_install(&["wine64"]) {
        Ok(()) => find(),
        Err(e) => {
            eprintln!("xtask: wine did not install: {e}");
            None
        }
    }
}

/// A stand-in for `bcryptprimitives.dll`, for the wine run only (never shipped): Rust's std on
/// Windows (since 1.78) takes its random keys from `ProcessPrng` in that DLL, which every
/// Windows 10+ has and Debian 12's Wine 8 lacks (it came with Wine 9). It forwards to
/// `RtlGenRandom`.
const PRNG_SHIM: &str = "#include <windows.h>
#include <ntsecapi.h>
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, n)) return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
";

/// Builds [`PRNG_SHIM`] into `dir` with mingw-w64.
fn build_prng_shim(dir: &Path) -> Result<(), String> {
    let c = dir.join("bcryptprimitives-shim.c");
    let def = dir.join("bcryptprimitives-shim.def");
    std::fs::write(&c, PRNG_SHIM).map_err(|e| e.to_string())?;
    std::fs::write(&def, "LIBRARY bcryptprimitives\nEXPORTS\nProcessPrng\n").map_err(|e| e.to_string())?;
    cmd::run(
        Command::new(MINGW_GCC)
            .args(["-shared", "-O2", "-o"])
            .arg(dir.join("bcryptprimitives.dll"))
            .arg(&c)
            .arg(&def)
            .arg("-ladvapi32"),
    )
}

fn run_under_wine(wine: &str, zip: &Path) -> Result<(), String> {
    let dir = unpack(zip)?;
    build_prng_shim(&dir)?;
    let o = Command::new(wine)
        .args(["rules.exe", "check", "samples/01-complete.json", "--now", "2026-04-10T12:00"])
        .current_dir(&dir)
        .env("WINEDEBUG", "-all")
        .output()
        .map_err(|e| format!("cannot run {wine}: {e}"))?;
    let blocked = Command::new(wine)
        .args(["rules.exe", "check", "samples/03-av-stored-late.json", "--now", "2026-04-10T12:00"])
        .current_dir(&dir)
        .env("WINEDEBUG", "-all")
        .output()
        .map_err(|e| format!("cannot run {wine}: {e}"))?;
    if o.status.code() != Some(0) || blocked.status.code() != Some(1) {
        return Err(format!(
            "rules.exe under {wine}: exit {:?} (complete sample) and {:?} (late footage), expected 0 and 1\n{}{}",
            blocked.status.code(),
            o.status.code(),
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ));
    }
    eprintln!(
        "xtask: rules.exe ran under {wine} (with a test-only bcryptprimitives.dll, see PRNG_SHIM): the samples' verdicts as on Linux"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_pe;

    /// A minimal PE32+ console header for x86-64, and what breaks it.
    fn header(machine: u16, subsystem: u16) -> Vec<u8> {
        let mut b = vec![0u8; 0x200];
        b[..2].copy_from_slice(b"MZ");
        b[0x3c..0x40].copy_from_slice(&0x80u32.to_le_bytes());
        b[0x80..0x84].copy_from_slice(b"PE\0\0");
        b[0x84..0x86].copy_from_slice(&machine.to_le_bytes());
        b[0x96..0x98].copy_from_slice(&0x0022u16.to_le_bytes());
        b[0x98..0x9a].copy_from_slice(&0x20bu16.to_le_bytes());
        b[0x98 + 68..0x98 + 70].copy_from_slice(&subsystem.to_le_bytes());
        b
    }

    #[test]
    fn a_windows_console_executable_passes_and_others_are_named() {
        assert!(check_pe(&header(0x8664, 3)).is_ok());
        assert!(check_pe(&header(0x014c, 3)).unwrap_err().contains("not x86-64"));
        assert!(check_pe(&header(0x8664, 2)).unwrap_err().contains("not the console"));
        assert!(check_pe(b"\x7fELF").unwrap_err().contains("MZ"));
    }

    /// The guide names every command a maintainer needs.
    #[test]
    fn the_guide_names_the_commands() {
        for c in ["rules check", "rules report", "rules audit", "rules validate", "rules test", "rules explain"] {
            assert!(super::GUIDE.contains(c), "{c}");
        }
    }
}
