//! Running experiments over seeds and writing `report.md`, `results.json` and the figures.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use nn_core::atomic_write::write_atomically;

use crate::drawing::draw_figures;
use crate::report::{ExperimentResult, headline, report_markdown, results_json};
use crate::runner::run_seed;
use crate::spec::ExperimentSpec;

/// How to run a set of experiments.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// First seed; `None` uses each spec's own seed.
    pub seed: Option<u64>,
    /// Number of seeds (S, S+1, …).
    pub seeds: usize,
    /// Reduced epochs and data.
    pub quick: bool,
    /// Output directory.
    pub out_dir: PathBuf,
}

/// The workspace's `target/reproduce` folder (found from this crate's manifest directory).
pub fn default_out_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/reproduce")
}

/// Runs one experiment with every seed and draws its figures from the first seed. An error is
/// recorded in the result, not returned, so one broken experiment does not stop the others.
pub fn run_experiment(spec: &ExperimentSpec, options: &RunOptions) -> ExperimentResult {
    let started = Instant::now();
    let first = options.seed.unwrap_or(spec.seed);
    let seeds: Vec<u64> = (0..options.seeds.max(1) as u64)
        .map(|k| first + k)
        .collect();
    let mut result = ExperimentResult {
        spec: spec.clone(),
        seeds: seeds.clone(),
        outcomes: Vec::new(),
        figures: Vec::new(),
        error: None,
        seconds: 0.0,
        quick: options.quick,
    };
    for &seed in &seeds {
        log::info!(
            "  {} seed {seed}{}",
            spec.name,
            if options.quick { " (quick)" } else { "" }
        );
        match run_seed(spec, seed, options.quick) {
            Ok(outcome) => result.outcomes.push(outcome),
            Err(e) => {
                result.error = Some(format!("seed {seed}: {e:#}"));
                result.outcomes.clear();
                break;
            }
        }
    }
    if let Some(first) = result.outcomes.first() {
        match draw_figures(spec, first, &options.out_dir) {
            Ok(f) => result.figures = f,
            Err(e) => result.error = Some(format!("figures: {e:#}")),
        }
    }
    result.seconds = started.elapsed().as_secs_f64();
    result
}

/// Runs `specs` in order, logging a progress line per experiment, and writes the report,
/// the results file and the figures into `options.out_dir`. Returns the results.
///
/// # Errors
/// Only when the output cannot be written; failed experiments are in the results.
pub fn reproduce(specs: &[ExperimentSpec], options: &RunOptions) -> Result<Vec<ExperimentResult>> {
    std::fs::create_dir_all(options.out_dir.join("figures"))
        .with_context(|| format!("creating {}", options.out_dir.display()))?;
    let started = Instant::now();
    let mut results = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        log::info!("[{}/{}] {} ...", i + 1, specs.len(), spec.name);
        let result = run_experiment(spec, options);
        let line = format!(
            "[{}/{}] {} ... {} in {:.1}s: {}",
            i + 1,
            specs.len(),
            spec.name,
            if result.error.is_some() {
                "FAILED"
            } else {
                "done"
            },
            result.seconds,
            headline(&result)
        );
        if result.error.is_some() {
            log::error!("{line}");
        } else {
            log::info!("{line}");
        }
        results.push(result);
    }
    let total = started.elapsed().as_secs_f64();
    let report = options.out_dir.join("report.md");
    write_atomically(&report, report_markdown(&results, total).as_bytes())
        .with_context(|| format!("writing {}", report.display()))?;
    let json = options.out_dir.join("results.json");
    write_atomically(&json, results_json(&results)?.as_bytes())
        .with_context(|| format!("writing {}", json.display()))?;
    log::info!(
        "wrote {} and {} ({:.1}s in all)",
        report.display(),
        json.display(),
        total
    );
    Ok(results)
}
