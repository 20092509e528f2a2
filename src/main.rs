//! The `pyrel` executable: everything lives in the library (`src/lib.rs`).

fn main() -> std::process::ExitCode {
    pyrel::run()
}
