//! The sessctl binary: everything lives in the library; see `sessctl::cli`.

/// mimalloc: a whole server's configuration is tens of thousands of small strings, built on two
/// cores at once; glibc's allocator spent a fifth of `lint --root` growing per-thread arenas.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(sessctl::cli::main());
}
