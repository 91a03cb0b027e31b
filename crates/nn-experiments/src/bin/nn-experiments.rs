//! The experiment runner: `list`, `run NAME` and `reproduce-all` (what `cargo xtask
//! reproduce-all` calls). Every run logs its seed; the same seed gives the same numbers.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Parser, Subcommand};
use nn_experiments::catalog::all_specs;
use nn_experiments::reproduce::{RunOptions, default_out_dir, reproduce};

/// Large buffers start on a cache line, so the SIMD kernels never split a load across two.
#[global_allocator]
static ALLOCATOR: nn_alloc::CacheLineAllocator = nn_alloc::CacheLineAllocator;

#[derive(Parser, Debug)]
#[command(
    name = "nn-experiments",
    about = "Reproduce the published results of the five studies"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// List the experiments with their study and published numbers.
    List,
    /// Run one experiment and write its report into the output directory.
    Run {
        /// Experiment name (see `list`).
        name: String,
        #[command(flatten)]
        common: Common,
    },
    /// Run every experiment and write report.md, results.json and figures/.
    ReproduceAll {
        /// Only these experiments (repeatable).
        #[arg(long, num_args = 1..)]
        only: Vec<String>,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(clap::Args, Debug)]
struct Common {
    /// First seed (default: each spec's own seed, 42).
    #[arg(long)]
    seed: Option<u64>,
    /// Number of seeds: S, S+1, … (mean ± std reported).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    seeds: u64,
    /// Smoke test: at most 2 epochs and a few thousand samples.
    #[arg(long)]
    quick: bool,
    /// Output directory (default: <workspace>/target/reproduce).
    #[arg(long)]
    out: Option<PathBuf>,
}

impl Common {
    fn options(&self) -> RunOptions {
        RunOptions {
            seed: self.seed,
            // clap accepts 1 and more; a count beyond usize could never run anyway.
            seeds: usize::try_from(self.seeds).unwrap_or(usize::MAX),
            quick: self.quick,
            out_dir: self.out.clone().unwrap_or_else(default_out_dir),
        }
    }
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"))
        .format_timestamp(None)
        .format_target(false)
        .init();
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            log::error!("{e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Returns whether every experiment ran (a number outside tolerance is not a failure).
fn run() -> Result<bool> {
    let cli = Cli::parse();
    let specs = all_specs()?;
    match cli.command {
        Command::List => {
            println!("{:<28} {:<6} published", "name", "study");
            for s in &specs {
                let mut published: Vec<String> = s
                    .published
                    .iter()
                    .map(|p| match &p.stated {
                        Some(st) => format!("{}: {st}", p.metric),
                        None => format!("{} {}", p.metric, p.value),
                    })
                    .collect();
                if let Some(g) = &s.grid {
                    published.push(format!("{}-row grid of {}", g.expand().len(), g.metric));
                }
                println!("{:<28} {:<6} {}", s.name, s.study, published.join("; "));
            }
            Ok(true)
        }
        Command::Run { name, common } => {
            let Some(spec) = specs.iter().find(|s| s.name == name) else {
                bail!("no experiment called {name:?}; `nn-experiments list` shows them");
            };
            let results = reproduce(std::slice::from_ref(spec), &common.options())?;
            Ok(results.iter().all(|r| r.error.is_none()))
        }
        Command::ReproduceAll { only, common } => {
            for name in &only {
                if !specs.iter().any(|s| &s.name == name) {
                    bail!("--only {name:?}: no such experiment; `nn-experiments list` shows them");
                }
            }
            let chosen: Vec<_> = specs
                .into_iter()
                .filter(|s| only.is_empty() || only.contains(&s.name))
                .collect();
            let results = reproduce(&chosen, &common.options())?;
            let failed: Vec<&str> = results
                .iter()
                .filter(|r| r.error.is_some())
                .map(|r| r.spec.name.as_str())
                .collect();
            if failed.is_empty() {
                Ok(true)
            } else {
                log::error!(
                    "{} experiment(s) failed to run: {}",
                    failed.len(),
                    failed.join(", ")
                );
                Ok(false)
            }
        }
    }
}
