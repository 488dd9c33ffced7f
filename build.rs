//! The PostgreSQL copies of the storage tests are compiled as ignored unless
//! HUIWU_TEST_DATABASE_URL is set at build time, so `cargo test` without it reports them as
//! ignored instead of passing them without running anything. Likewise the browser tests
//! without a chromedriver (`HUIWU_CHROMEDRIVER`, or Debian's `/usr/bin/chromedriver`).

fn main() {
    println!("cargo::rustc-check-cfg=cfg(huiwu_browser_tests)");
    println!("cargo::rerun-if-env-changed=HUIWU_CHROMEDRIVER");
    let driver = std::env::var_os("HUIWU_CHROMEDRIVER")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromedriver".into());
    if driver.is_file() {
        println!("cargo::rustc-cfg=huiwu_browser_tests");
    }
    // A chromedriver installed (or removed) after the tests were first built is noticed: the
    // folder that holds it changes. The driver's own path would not do while it is missing
    // (cargo then runs this script, and rebuilds the crate, on every build).
    if let Some(folder) = driver.parent().filter(|f| f.is_dir()) {
        println!("cargo::rerun-if-changed={}", folder.display());
    }
    println!("cargo::rustc-check-cfg=cfg(huiwu_postgres_tests)");
    println!("cargo::rerun-if-env-changed=HUIWU_TEST_DATABASE_URL");
    if std::env::var_os("HUIWU_TEST_DATABASE_URL").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=huiwu_postgres_tests");
    }
}
