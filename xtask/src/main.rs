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
  fuzz [--seconds N]
                  run every fuzz target of crates/nn-fuzz for N seconds each (default 60)
                  with `cargo +nightly fuzz`; fails if one crashes (docs/fuzzing.md)
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
        "fuzz" => fuzz(&rest),
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

/// `cargo +nightly fuzz run <target>` for every target of `crates/nn-fuzz`, one after the
/// other, `--seconds N` each (default 60). New inputs go to `crates/nn-fuzz/target/corpus/`,
/// seeded from the kept `corpus/` and `regressions/`; fails naming the targets that crashed.
fn fuzz(args: &[String]) -> Result<()> {
    let seconds: u64 = match args {
        [] => 60,
        [flag, n] if flag == "--seconds" => n
            .parse()
            .with_context(|| format!("--seconds takes a whole number of seconds, not `{n}`"))?,
        _ => bail!("usage: cargo xtask fuzz [--seconds N]"),
    };
    let dir = project_root().join("crates/nn-fuzz");
    let list = nightly_cargo(&dir)
        .args(["fuzz", "list", "--fuzz-dir", "."])
        .output()
        .context(
            "could not start `cargo +nightly fuzz list` (install it: `cargo install cargo-fuzz`)",
        )?;
    if !list.status.success() {
        bail!(
            "`cargo +nightly fuzz list` failed ({}): {}\nthe fuzz targets need the nightly \
             toolchain (`rustup toolchain install nightly`) and cargo-fuzz (`cargo install \
             cargo-fuzz`)",
            list.status,
            String::from_utf8_lossy(&list.stderr).trim()
        );
    }
    let targets: Vec<String> = String::from_utf8_lossy(&list.stdout)
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    let mut crashed = Vec::new();
    for target in &targets {
        let found = format!("target/corpus/{target}");
        std::fs::create_dir_all(dir.join(&found))
            .with_context(|| format!("could not create crates/nn-fuzz/{found}"))?;
        let mut command = nightly_cargo(&dir);
        command.args(["fuzz", "run", "--fuzz-dir", ".", target, &found]);
        for kept in ["corpus", "regressions"] {
            let kept = format!("{kept}/{target}");
            if dir.join(&kept).is_dir() {
                command.arg(kept);
            }
        }
        command.args([
            "--".to_owned(),
            format!("-max_total_time={seconds}"),
            "-timeout=10".to_owned(),
        ]);
        eprintln!("xtask: fuzzing {target} for {seconds} s");
        let status = command
            .status()
            .context("could not start `cargo +nightly fuzz run`")?;
        if !status.success() {
            crashed.push(target.as_str());
        }
    }
    if !crashed.is_empty() {
        bail!(
            "fuzz targets crashed: {} (inputs in crates/nn-fuzz/artifacts/; docs/fuzzing.md says \
             how to keep one as a regression test)",
            crashed.join(", ")
        );
    }
    eprintln!(
        "xtask: {} fuzz targets ran {seconds} s each without a crash",
        targets.len()
    );
    Ok(())
}

/// `cargo +nightly` run in `dir`, without the variables this stable cargo set for xtask (so
/// the nightly toolchain's own cargo and rustc are used).
fn nightly_cargo(dir: &Path) -> Command {
    let mut command = Command::new("cargo");
    command
        .arg("+nightly")
        .current_dir(dir)
        .env_remove("CARGO")
        .env_remove("RUSTUP_TOOLCHAIN")
        .env_remove("RUSTC")
        .env_remove("RUSTDOC");
    command
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
