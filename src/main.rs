//! The sessctl binary: everything lives in the library; see `sessctl::cli`.

/// mimalloc: a whole server's configuration is tens of thousands of small strings, built on two
/// cores at once; glibc's allocator spent a fifth of `lint --root` growing per-thread arenas.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let code = sessctl::cli::main();
    exit(code)
}

/// End the process once its output is flushed. On Unix without the exit handlers: the
/// allocator's handler sweeps every heap to free memory the kernel is about to reclaim anyway
/// (4-8 ms after a server lint). Nothing else registers one; every file was written and closed
/// before `cli::main` returned.
#[cfg(unix)]
fn exit(code: i32) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: `_exit` ends the process at once; no Rust state is used after it.
    unsafe { libc::_exit(code) }
}

#[cfg(not(unix))]
fn exit(code: i32) -> ! {
    std::process::exit(code)
}
