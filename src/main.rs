use std::process::ExitCode;

fn main() -> ExitCode {
    match huiwu::cli::run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
