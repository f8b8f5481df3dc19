//! The `ties` binary: everything happens in [`ties::cli::main`].

fn main() -> std::process::ExitCode {
    ties::cli::main()
}
