//! Writes the Unicode character classes of the Python the extension is built for into
//! `$OUT_DIR/tables.rs`: `str.isalnum`, `str.isdecimal`, `str.isspace`, `str.isupper`,
//! `str.islower` and the titlecase category come from that interpreter's `unicodedata`, so the
//! kernels classify every character exactly as the pure-Python reference does (Rust's own
//! tables follow another Unicode version and other definitions of "alphabetic").

use std::env;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    let script = "src/unicode_tables.py";
    println!("cargo:rerun-if-changed={script}");
    println!("cargo:rerun-if-env-changed=PYO3_PYTHON");
    let python = pyo3_build_config::get()
        .executable()
        .unwrap_or("python3")
        .to_owned();
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("tables.rs");
    let status = Command::new(&python)
        .arg(script)
        .arg(&out)
        .status()
        .unwrap_or_else(|err| panic!("cannot run {python} {script}: {err}"));
    assert!(status.success(), "{python} {script} failed: {status}");
}
