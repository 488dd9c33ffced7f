//! The PostgreSQL copies of the storage tests are compiled as ignored unless
//! HUIWU_TEST_DATABASE_URL is set at build time, so `cargo test` without it reports them as
//! ignored instead of passing them without running anything.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(huiwu_postgres_tests)");
    println!("cargo::rerun-if-env-changed=HUIWU_TEST_DATABASE_URL");
    if std::env::var_os("HUIWU_TEST_DATABASE_URL").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=huiwu_postgres_tests");
    }
}
