//! The binaries `cargo lambda watch` runs, one per function (it starts a function with `cargo run
//! --bin <function>`): each `functions/src/watch/<function>.rs` and its `[[bin]]` in
//! `functions/Cargo.toml` are generated from the functions' list, so a tool added to the registry
//! gets its own after the regenerate command (see `generated`).

use dewy_e2e::lambda_watch::workspace_root;

const MANIFEST: &str = "functions/Cargo.toml";
const BEGIN: &str = "# BEGIN GENERATED WATCH BINARIES\n";
const END: &str = "# END GENERATED WATCH BINARIES\n";
const WATCH_DIR: &str = "functions/src/watch";

/// The `[[bin]]` tables of the functions.
fn manifest_block(functions: &[&str]) -> String {
    functions
        .iter()
        .map(|name| {
            format!(
                "[[bin]]\nname = \"{name}\"\npath = \"src/watch/{name}.rs\"\nrequired-features = [\"watch\"]\n"
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The source of the function `name`'s binary.
fn source(name: &str) -> String {
    format!(
        "//! The function `{name}` as `cargo lambda watch` starts it (`cargo run --bin {name}`): `dewy`'s\n\
         //! main, which reads its role from the function's name there. Generated: see\n\
         //! docs/adding-a-tool.md.\n\
         \n\
         #[tokio::main]\n\
         async fn main() -> Result<(), lambda_http::Error> {{\n    dewy_functions::main().await\n}}\n"
    )
}

/// Every function has its binary, and no binary is left of a function that is gone.
#[test]
fn every_function_has_its_watch_binary() {
    let functions = dewy_functions::functions();
    crate::generated::check(
        MANIFEST,
        BEGIN,
        END,
        &manifest_block(&functions),
        "the watch binaries",
    );
    for name in &functions {
        crate::generated::check_file(
            &format!("{WATCH_DIR}/{name}.rs"),
            &source(name),
            "the watch binary",
        );
    }
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(workspace_root().join(WATCH_DIR)).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        if !functions.contains(&stem) {
            if crate::generated::regenerating() {
                std::fs::remove_file(&path).unwrap();
            } else {
                orphans.push(path.display().to_string());
            }
        }
    }
    assert!(
        orphans.is_empty(),
        "watch binaries of no function (remove them with {}): {orphans:?}",
        crate::generated::REGENERATE
    );
}
