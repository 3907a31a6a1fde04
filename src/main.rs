//! The sessctl binary: everything lives in the library; see `sessctl::cli`.

fn main() {
    std::process::exit(sessctl::cli::main());
}
