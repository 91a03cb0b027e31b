//! Project automation, run as `cargo xtask <command>` (the alias lives in `.cargo/config.toml`).
//!
//! Each command is a thin wrapper around ordinary cargo invocations, so anything it does can be
//! done by hand: the point is one memorable entry point and one place that knows the flags.

use std::{
    env,
    path::{Path, PathBuf},
    process::{Command, ExitCode},
};

use anyhow::{Context, Result, bail};

const HELP: &str = "\
cargo xtask <command> [options]

commands:
  reproduce-all [--quick] [--seeds N] [--seed S] [--only NAME]
                  train every published experiment in release mode and write
                  target/reproduce/{report.md,results.json,figures/}
  bench [ARGS]    the training-speed benchmark (epoch time per batch size, peers when installed)
  datasets        check every data file against datasets/SHA256SUMS and describe it
  ci              what CI runs (.ci/run): fmt --check, clippy -D warnings, the docs with
                  warnings denied, the test suite, nn-handover's loom models
                  (--cfg loom, in target/loom), then reproduce-all --quick
  help            this text
";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let mut args = env::args().skip(1);
    let command = args.next().unwrap_or_else(|| "help".to_owned());
    let rest: Vec<String> = args.collect();
    match command.as_str() {
        "reproduce-all" => reproduce_all(&rest),
        "bench" => release_binary("nn-bench", "nn-bench", &rest),
        "datasets" => cargo(
            &[
                "run",
                "--release",
                "--quiet",
                "-p",
                "nn-data",
                "--example",
                "datasets",
                "--",
            ],
            &rest,
        ),
        "ci" => {
            cargo(&["fmt", "--all", "--", "--check"], &[])?;
            cargo(
                &[
                    "clippy",
                    "--workspace",
                    "--all-targets",
                    "--",
                    "-D",
                    "warnings",
                ],
                &[],
            )?;
            cargo_with_env(
                &["doc", "--workspace", "--no-deps", "--quiet"],
                &[("RUSTDOCFLAGS", "-D warnings")],
            )?;
            cargo(&["test", "--workspace"], &[])?;
            cargo_with_env(
                &[
                    "test",
                    "-p",
                    "nn-handover",
                    "--release",
                    "--target-dir",
                    "target/loom",
                    "--test",
                    "loom",
                    "--",
                    "--test-threads=1",
                ],
                &[("RUSTFLAGS", "--cfg loom")],
            )?;
            reproduce_all(&["--quick", "--out", "target/reproduce-quick"].map(String::from))
        }
        "help" | "--help" | "-h" => {
            print!("{HELP}");
            Ok(())
        }
        other => bail!("unknown command `{other}`\n\n{HELP}"),
    }
}

/// The main job: `nn-experiments reproduce-all <extra>` in release mode.
fn reproduce_all(extra: &[String]) -> Result<()> {
    let args: Vec<String> = std::iter::once("reproduce-all".to_owned())
        .chain(extra.iter().cloned())
        .collect();
    release_binary("nn-experiments", "nn-experiments", &args)
}

/// Runs binary `bin` of package `package` in release mode with `args`.
fn release_binary(package: &str, bin: &str, args: &[String]) -> Result<()> {
    cargo(
        &[
            "run",
            "--release",
            "--quiet",
            "-p",
            package,
            "--bin",
            bin,
            "--",
        ],
        args,
    )
}

/// Runs `cargo <args> <extra>` from the workspace root and fails if it fails.
fn cargo(args: &[&str], extra: &[String]) -> Result<()> {
    run_cargo(args, extra, &[])
}

/// Runs `cargo <args>` from the workspace root with the environment variables `envs` set, and
/// fails if it fails.
fn cargo_with_env(args: &[&str], envs: &[(&str, &str)]) -> Result<()> {
    run_cargo(args, &[], envs)
}

/// Runs `cargo <args> <extra>` from the workspace root with `envs` set; fails if it fails.
fn run_cargo(args: &[&str], extra: &[String], envs: &[(&str, &str)]) -> Result<()> {
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(&cargo)
        .args(args)
        .args(extra)
        .envs(envs.iter().copied())
        .current_dir(project_root())
        .status()
        .with_context(|| format!("could not start `{cargo}`"))?;
    if !status.success() {
        bail!("`cargo {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

/// The workspace root: the parent of this crate's manifest directory.
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}
