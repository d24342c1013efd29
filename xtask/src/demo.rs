//! `cargo xtask demo [--port N]`: builds the widget and serves the mock 案件办理 page.
use crate::{build, cmd, serve};

/// Builds `pkg/dist/` and serves `pkg/` on 127.0.0.1 until interrupted.
pub fn run(args: &[String]) -> Result<(), String> {
    let port = match args.iter().position(|a| a == "--port") {
        Some(i) => args.get(i + 1).and_then(|p| p.parse().ok()).ok_or("usage: cargo xtask demo [--port N]")?,
        None => 8080,
    };
    let sizes = build::build()?;
    build::print_sizes(&sizes);
    let server = serve::start(cmd::root().join("pkg"), port, &crate::platform_db::data_dir().join("platform.sqlite"))?;
    println!("演示平台 / demo platform: {}demo/", server.url);
    println!("平台数据库（案件与清单记录）/ the platform's database: {}", server.db.display());
    println!(
        "平台签名公钥（Ed25519，签署每个保存的日志头）/ the platform's signing key: {}  ({}api/signing-key; \
         check a record with `rules log verify RECORD --key {}`)",
        server.public_key, server.url, server.public_key
    );
    println!(
        "无本组件的平台（浏览器扩展用）/ the platform without our script, for the extension: {0}platform/ , strict CSP: {0}platform-csp/",
        server.url
    );
    println!(
        "浏览器扩展 / browser extension (load unpacked): {}",
        build::dist_dir().join(build::EXTENSION_DIR).display()
    );
    println!("Ctrl-C to stop.");
    loop {
        std::thread::park();
    }
}
