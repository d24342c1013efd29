//! The deployment kit of the browser extension, in `pkg/dist/deploy/`: both builds signed as
//! CRX3 files with one stable extension id, their update manifests, and sample policies for
//! Chromium on Linux and Google Chrome on Windows (force-install, host limits, managed
//! settings).
//!
//! The key: `LRC_EXTENSION_KEY` names the agency's private key (PEM, RSA 2048), kept outside
//! the repository; without it a development key is generated once in
//! `target/extension-dev-key.pem` (never committed, different on every machine, so the id it
//! gives is stable only on that machine). Signing uses the `openssl` command (installed with
//! apt when missing).
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::{build, cmd};

/// Where the kit goes, under `pkg/dist/`.
pub const DEPLOY_DIR: &str = "deploy";

/// Where the update manifests and CRX files are served from, unless `LRC_UPDATE_BASE` says.
const DEFAULT_UPDATE_BASE: &str = "https://zfpt.example.gov.cn/law-record-checklist/";

/// The platform host in the sample policies.
const SAMPLE_HOST: &str = "zfpt.example.gov.cn";

/// One signed build: the unpacked folder, the CRX and update manifest names, the lowest
/// Chromium that takes it.
struct Signed {
    dir: &'static str,
    crx: &'static str,
    update: &'static str,
    min_chrome: &'static str,
}

const SIGNED: [Signed; 2] = [
    Signed { dir: build::EXTENSION_DIR, crx: "law-record-checklist.crx", update: "update.xml", min_chrome: "103" },
    Signed {
        dir: build::EXTENSION_MV2_DIR,
        crx: "law-record-checklist-mv2.crx",
        update: "update-mv2.xml",
        min_chrome: "83",
    },
];

fn openssl(args: &[&str], input: Option<&[u8]>) -> Result<Vec<u8>, String> {
    let mut c = Command::new("openssl");
    c.args(args).stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() }).stdout(Stdio::piped());
    let mut child = c.spawn().map_err(|e| format!("cannot start openssl: {e}"))?;
    if let Some(bytes) = input {
        child.stdin.take().ok_or("openssl: no stdin")?.write_all(bytes).map_err(|e| format!("openssl: {e}"))?;
    }
    let out = child.wait_with_output().map_err(|e| format!("openssl: {e}"))?;
    if !out.status.success() {
        return Err(format!("openssl {} failed with {}", args.join(" "), out.status));
    }
    Ok(out.stdout)
}

fn ensure_openssl() -> Result<(), String> {
    if Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success()) {
        return Ok(());
    }
    cmd::run(Command::new("apt-get").arg("update"))?;
    cmd::run(Command::new("apt-get").args(["install", "-y", "openssl"]).env("DEBIAN_FRONTEND", "noninteractive"))
}

/// The signing key: `LRC_EXTENSION_KEY`, else the development key (generated once).
fn key() -> Result<(PathBuf, &'static str), String> {
    if let Some(p) = std::env::var_os("LRC_EXTENSION_KEY") {
        let p = PathBuf::from(p);
        if !p.is_file() {
            return Err(format!("LRC_EXTENSION_KEY names {}, which is not a file", p.display()));
        }
        return Ok((p, "LRC_EXTENSION_KEY"));
    }
    let p = build::target_dir().join("extension-dev-key.pem");
    if !p.is_file() {
        eprintln!("xtask: generating the development signing key {}", p.display());
        let pem = openssl(&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"], None)?;
        std::fs::create_dir_all(build::target_dir()).map_err(|e| e.to_string())?;
        std::fs::write(&p, pem).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
    }
    Ok((p, "development key (target/extension-dev-key.pem)"))
}

/// The extension id Chromium derives from a public key (DER SubjectPublicKeyInfo): the first
/// 16 bytes of its SHA-256, each hex digit written a–p.
fn extension_id(sha256: &[u8]) -> String {
    sha256.iter().take(16).flat_map(|b| [b >> 4, b & 15]).map(|n| char::from(b'a' + n)).collect()
}

fn varint(mut n: usize, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A length-delimited protobuf field.
fn field(number: usize, bytes: &[u8], out: &mut Vec<u8>) {
    varint(number << 3 | 2, out);
    varint(bytes.len(), out);
    out.extend_from_slice(bytes);
}

/// A CRX3 file: `Cr24`, version 3, the header (`CrxFileHeader`: one `sha256_with_rsa` proof
/// and the signed `SignedData{crx_id}`), then the zip. The signature covers
/// `"CRX3 SignedData\0"`, the signed data's length (u32 LE), the signed data and the zip.
fn crx3(key: &Path, public_der: &[u8], crx_id: &[u8], zip: &[u8]) -> Result<Vec<u8>, String> {
    let mut signed_data = Vec::new();
    field(1, crx_id, &mut signed_data);
    let mut message = b"CRX3 SignedData\0".to_vec();
    message.extend_from_slice(&(signed_data.len() as u32).to_le_bytes());
    message.extend_from_slice(&signed_data);
    message.extend_from_slice(zip);
    let key_arg = key.to_str().ok_or("key path is not UTF-8")?;
    let signature = openssl(&["dgst", "-sha256", "-sign", key_arg], Some(&message))?;
    let mut proof = Vec::new();
    field(1, public_der, &mut proof);
    field(2, &signature, &mut proof);
    let mut header = Vec::new();
    field(2, &proof, &mut header);
    field(10000, &signed_data, &mut header);
    let mut out = b"Cr24".to_vec();
    out.extend_from_slice(&3u32.to_le_bytes());
    out.extend_from_slice(&(header.len() as u32).to_le_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(zip);
    Ok(out)
}

/// Every file under `dir`, as (path relative to it with `/`, bytes), sorted.
fn files_under(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(|e| format!("cannot read {}: {e}", d.display()))? {
            let p = e.map_err(|e| e.to_string())?.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).map_err(|e| e.to_string())?.to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))?));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The build's files zipped, its manifest with the `update_url` the browser checks for updates.
fn zip_with_update_url(dir: &Path, update_url: &str) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files_under(dir)? {
        let bytes = if name == "manifest.json" {
            let mut m: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| format!("manifest.json: {e}"))?;
            m.as_object_mut()
                .ok_or("manifest.json is not an object")?
                .insert("update_url".into(), serde_json::Value::String(update_url.to_string()));
            serde_json::to_vec_pretty(&m).map_err(|e| e.to_string())?
        } else {
            bytes
        };
        // The manifest stored as it is: readable in the CRX without unzipping (the tests do).
        let o = if name == "manifest.json" { opts.compression_method(zip::CompressionMethod::Stored) } else { opts };
        zip.start_file(name.as_str(), o).map_err(|e| e.to_string())?;
        zip.write_all(&bytes).map_err(|e| e.to_string())?;
    }
    Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;")
}

/// A `.reg` string value: backslashes and quotes escaped.
fn reg_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The managed settings of the samples: the demo adapter and a host, as policy carries them
/// (adapters as JSON text).
fn sample_settings() -> Result<serde_json::Value, String> {
    let adapter_path = cmd::root().join("pkg/extension/adapters/demo-platform.json");
    let text =
        std::fs::read_to_string(&adapter_path).map_err(|e| format!("cannot read {}: {e}", adapter_path.display()))?;
    let adapter: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    Ok(serde_json::json!({
        "hosts": [format!("https://{SAMPLE_HOST}/*")],
        "agency": "changsha-zfj",
        "officer": "",
        "adapters": serde_json::to_string(&[adapter]).map_err(|e| e.to_string())?,
        "agencyConfig": "{\"unchecked\": \"ask-reason\", \"load_timeout_seconds\": 10}",
    }))
}

/// Builds the kit from the unpacked builds in `dist`.
pub fn build_kit(dist: &Path) -> Result<(), String> {
    ensure_openssl()?;
    let (key, key_source) = key()?;
    let key_arg = key.to_str().ok_or("key path is not UTF-8")?;
    let public_der = openssl(&["pkey", "-in", key_arg, "-pubout", "-outform", "DER"], None)?;
    let digest = openssl(&["dgst", "-sha256", "-binary"], Some(&public_der))?;
    if digest.len() != 32 {
        return Err(format!("openssl dgst -sha256 gave {} bytes", digest.len()));
    }
    let id = extension_id(&digest);
    let crx_id: Vec<u8> = digest.iter().take(16).copied().collect();
    let out = dist.join(DEPLOY_DIR);
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("cannot remove {}: {e}", out.display()))?;
    }
    std::fs::create_dir_all(out.join("policies")).map_err(|e| e.to_string())?;
    let base = std::env::var("LRC_UPDATE_BASE").unwrap_or_else(|_| DEFAULT_UPDATE_BASE.to_string());
    let base = if base.ends_with('/') { base } else { format!("{base}/") };
    let version = env!("CARGO_PKG_VERSION");
    let write = |name: &str, bytes: &[u8]| {
        std::fs::write(out.join(name), bytes).map_err(|e| format!("cannot write {DEPLOY_DIR}/{name}: {e}"))
    };
    for s in &SIGNED {
        let update_url = format!("{base}{}", s.update);
        let zip = zip_with_update_url(&dist.join(s.dir), &update_url)?;
        write(s.crx, &crx3(&key, &public_der, &crx_id, &zip)?)?;
        let xml = format!(
            "<?xml version='1.0' encoding='UTF-8'?>\n\
             <gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>\n  \
             <app appid='{id}'>\n    \
             <updatecheck codebase='{}' version='{version}' prodversionmin='{}' />\n  \
             </app>\n</gupdate>\n",
            xml_escape(&format!("{base}{}", s.crx)),
            s.min_chrome,
        );
        write(s.update, xml.as_bytes())?;
    }
    write(
        "extension-id.txt",
        format!("{id}\n签名密钥 / signing key: {key_source}\n更新地址 / update base: {base}\n").as_bytes(),
    )?;
    let settings = sample_settings()?;
    let forcelist = |update: &str| format!("{id};{base}{update}");
    let host_limits = serde_json::json!({ id.clone(): {
        "runtime_blocked_hosts": ["*://*"],
        "runtime_allowed_hosts": [format!("*://{SAMPLE_HOST}")],
    } });
    // Linux: Chromium reads /etc/chromium/policies/managed/*.json (Google Chrome:
    // /etc/opt/chrome/policies/managed/).
    for (name, update) in [("chromium-linux.json", "update.xml"), ("chromium-linux-mv2.json", "update-mv2.xml")] {
        let policy = serde_json::json!({
            "ExtensionInstallForcelist": [forcelist(update)],
            "ExtensionSettings": host_limits,
            "3rdparty": { "extensions": { id.clone(): settings } },
        });
        write(&format!("policies/{name}"), &serde_json::to_vec_pretty(&policy).map_err(|e| e.to_string())?)?;
    }
    // Windows, Google Chrome's policy root; a .reg file is UTF-16LE with a byte-order mark.
    for (name, update) in [("chrome-windows.reg", "update.xml"), ("chrome-windows-mv2.reg", "update-mv2.xml")] {
        let root = "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Google\\Chrome";
        let mut reg = String::from("Windows Registry Editor Version 5.00\r\n\r\n");
        reg += &format!("[{root}\\ExtensionInstallForcelist]\r\n\"1\"={}\r\n\r\n", reg_string(&forcelist(update)));
        reg += &format!("[{root}]\r\n\"ExtensionSettings\"={}\r\n\r\n", reg_string(&host_limits.to_string()));
        let policy = format!("{root}\\3rdparty\\extensions\\{id}\\policy");
        reg += &format!("[{policy}]\r\n");
        for k in ["agency", "officer", "adapters", "agencyConfig"] {
            reg += &format!("\"{k}\"={}\r\n", reg_string(settings.get(k).and_then(|v| v.as_str()).unwrap_or_default()));
        }
        reg += &format!("\r\n[{policy}\\hosts]\r\n");
        for (i, h) in settings.get("hosts").and_then(|v| v.as_array()).into_iter().flatten().enumerate() {
            reg += &format!("\"{}\"={}\r\n", i + 1, reg_string(h.as_str().unwrap_or_default()));
        }
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(reg.encode_utf16().flat_map(|u| u.to_le_bytes()));
        write(&format!("policies/{name}"), &bytes)?;
    }
    eprintln!("xtask: deployment kit in {} (extension id {id}, {key_source})", out.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_chromiums_alphabet() {
        let digest: Vec<u8> = (0u8..32).collect();
        assert_eq!(extension_id(&digest), "aaabacadaeafagahaiajakalamanaoap");
    }

    #[test]
    fn protobuf_fields_encode_their_number_and_length() {
        let mut out = Vec::new();
        field(10000, b"ab", &mut out);
        assert_eq!(out, [0x82, 0xf1, 0x04, 2, b'a', b'b']);
    }
}
