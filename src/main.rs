//! The `relman` binary: everything happens in `relman::run`.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(relman::run(std::env::args_os()))
}
