//! Comparing ours with the published numbers: result rows, `results.json` and `report.md`.

use std::fmt::Write as _;

use serde::Serialize;

use crate::drawing::DrawnFigure;
use crate::runner::{SeedOutcome, grid_metric_name};
use crate::spec::{Comparison, ExperimentSpec, PublishedValue};

/// An experiment after all its seeds: outcomes, figures, or the error that stopped it.
#[derive(Debug)]
pub struct ExperimentResult {
    /// The spec.
    pub spec: ExperimentSpec,
    /// Seeds used, in order.
    pub seeds: Vec<u64>,
    /// One outcome per seed (empty if it failed).
    pub outcomes: Vec<SeedOutcome>,
    /// Figures drawn from the first seed.
    pub figures: Vec<DrawnFigure>,
    /// The error, if the experiment failed to run.
    pub error: Option<String>,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Whether it ran in `--quick` mode.
    pub quick: bool,
}

/// One line of `results.json`: an experiment-metric pair.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MetricRow {
    /// Experiment name.
    pub name: String,
    /// Study.
    pub study: String,
    /// Metric name.
    pub metric: String,
    /// The published value (absent for numbers the study only said it reported).
    pub published: Option<f64>,
    /// How the study stated it, when not a plain number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stated: Option<String>,
    /// Our value (mean over seeds); absent when the experiment failed.
    pub ours: Option<f64>,
    /// Standard deviation over seeds (when more than one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub std: Option<f64>,
    /// The seeds used.
    pub seeds: Vec<u64>,
    /// Our tolerance.
    pub tolerance: Option<f64>,
    /// Whether ours is within tolerance (absent when there is nothing to compare).
    pub within_tolerance: Option<bool>,
}

impl MetricRow {
    /// `ours − published`.
    pub fn difference(&self) -> Option<f64> {
        Some(self.ours? - self.published?)
    }

    /// ✓, ✗, `reported` or `error`.
    pub fn verdict(&self) -> &'static str {
        match (self.ours, self.within_tolerance) {
            (None, _) => "error",
            (Some(_), Some(true)) => "✓",
            (Some(_), Some(false)) => "✗",
            (Some(_), None) => "reported",
        }
    }
}

fn mean_std(values: &[f64]) -> (f64, Option<f64>) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return (mean, None);
    }
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, Some(var.sqrt()))
}

impl ExperimentResult {
    fn values_of(&self, metric: &str) -> Option<Vec<f64>> {
        let v: Vec<f64> = self
            .outcomes
            .iter()
            .filter_map(|o| o.metrics.get(metric).copied())
            .collect();
        (!v.is_empty() && v.len() == self.outcomes.len()).then_some(v)
    }

    fn row(&self, metric: &str, published: Option<&PublishedValue>) -> MetricRow {
        let values = self.values_of(metric);
        let (ours, std) = match &values {
            Some(v) => {
                let (m, s) = mean_std(v);
                (Some(m), s)
            }
            None => (None, None),
        };
        MetricRow {
            name: self.spec.name.clone(),
            study: self.spec.study.clone(),
            metric: metric.to_owned(),
            published: published.map(|p| p.value),
            stated: published.and_then(|p| p.stated.clone()),
            ours,
            std,
            seeds: self.seeds.clone(),
            tolerance: published.map(|p| p.tolerance),
            within_tolerance: match (published, ours) {
                (Some(p), Some(o)) => Some(p.accepts(o)),
                (Some(_), None) => Some(false),
                _ => None,
            },
        }
    }

    /// Every experiment-metric row: the published values, each grid row, and the metrics the
    /// spec lists as `reported`.
    pub fn rows(&self) -> Vec<MetricRow> {
        let mut rows: Vec<MetricRow> = self
            .spec
            .published
            .iter()
            .map(|p| self.row(&p.metric, Some(p)))
            .collect();
        if let Some(grid) = &self.spec.grid {
            for point in grid.expand() {
                let published = point.published.map(|value| PublishedValue {
                    metric: grid.metric.clone(),
                    value,
                    tolerance: grid.tolerance,
                    comparison: Comparison::Close,
                    stated: None,
                });
                rows.push(self.row(&grid_metric_name(&grid.metric, &point), published.as_ref()));
            }
        }
        for metric in &self.spec.reported {
            if !rows.iter().any(|r| &r.metric == metric) {
                rows.push(self.row(metric, None));
            }
        }
        rows
    }
}

fn fmt_value(v: f64) -> String {
    if v.abs() >= 1000.0 || (v.fract() == 0.0 && v.abs() >= 1.0) {
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.4}")
    }
}

fn fmt_ours(row: &MetricRow) -> String {
    match (row.ours, row.std) {
        (None, _) => "—".into(),
        (Some(o), Some(s)) => format!("{} ± {}", fmt_value(o), fmt_value(s)),
        (Some(o), None) => fmt_value(o),
    }
}

fn fmt_published(row: &MetricRow) -> String {
    match (&row.stated, row.published) {
        (Some(s), _) => s.clone(),
        (None, Some(p)) => fmt_value(p),
        (None, None) => "(not given)".into(),
    }
}

/// The progress-line summary of an experiment, e.g. `accuracy 0.81 (published 0.80) ✓`.
pub fn headline(result: &ExperimentResult) -> String {
    if let Some(e) = &result.error {
        return format!("FAILED: {e}");
    }
    let rows = result.rows();
    let shown: Vec<String> = rows
        .iter()
        .filter(|r| r.published.is_some() && !r.metric.contains('['))
        .take(3)
        .map(|r| {
            format!(
                "{} {} (published {}) {}",
                r.metric,
                fmt_ours(r),
                fmt_published(r),
                r.verdict()
            )
        })
        .collect();
    let grid_rows: Vec<&MetricRow> = rows.iter().filter(|r| r.metric.contains('[')).collect();
    let mut line = shown.join(", ");
    if !grid_rows.is_empty() {
        let ok = grid_rows
            .iter()
            .filter(|r| r.within_tolerance == Some(true))
            .count();
        let _ = write!(
            line,
            "; grid rows within tolerance {ok}/{}",
            grid_rows.len()
        );
    }
    line
}

/// `results.json`: every row of every experiment.
///
/// # Errors
/// Serialisation failure (not expected).
pub fn results_json(results: &[ExperimentResult]) -> serde_json::Result<String> {
    let rows: Vec<MetricRow> = results.iter().flat_map(ExperimentResult::rows).collect();
    serde_json::to_string_pretty(&rows)
}

/// `report.md`: the summary table, then one section per experiment.
pub fn report_markdown(results: &[ExperimentResult], total_seconds: f64) -> String {
    let mut md = String::new();
    let quick = results.iter().any(|r| r.quick);
    let _ = writeln!(md, "# Reproduction of the five studies\n");
    let _ = writeln!(
        md,
        "Generated by `cargo xtask reproduce-all{}`: {} experiments in {:.0} s{}. Each number is \
         ours after training with the seed(s) shown; ✓ means within the tolerance stated in the \
         experiment's spec, ✗ outside it, *reported* that the study gave no number to compare.\n",
        if quick { " --quick" } else { "" },
        results.len(),
        total_seconds,
        if quick {
            " — **quick smoke run: reduced epochs and data, numbers are not comparable**"
        } else {
            ""
        }
    );
    let _ = writeln!(md, "## Summary\n");
    let _ = writeln!(
        md,
        "| study | experiment | metric | published | ours | difference | verdict |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|");
    for r in results {
        for row in r.rows() {
            let diff = row
                .difference()
                .map_or(String::new(), |d| format!("{d:+.4}"));
            let _ = writeln!(
                md,
                "| {} | [{}](#{}) | {} | {} | {} | {} | {} |",
                row.study,
                row.name,
                row.name,
                row.metric,
                fmt_published(&row),
                fmt_ours(&row),
                diff,
                row.verdict()
            );
        }
    }
    for r in results {
        experiment_section(&mut md, r);
    }
    md
}

fn experiment_section(md: &mut String, r: &ExperimentResult) {
    let s = &r.spec;
    let _ = writeln!(
        md,
        "\n<a id=\"{}\"></a>\n## {} — {}\n",
        s.name, s.name, s.title
    );
    let _ = writeln!(md, "{}\n", s.description);
    if let Some(e) = &r.error {
        let _ = writeln!(md, "**Failed to run:** `{e}`\n");
    }
    let _ = writeln!(md, "**Settings.**\n");
    let first = r.outcomes.first();
    if let Some(o) = first {
        let _ = writeln!(
            md,
            "- data: `{}` — {}",
            s.data.set.as_str(),
            o.data_description
        );
    }
    let split = &s.split;
    let _ = writeln!(
        md,
        "- split: test {:?}{}, validation {} of the training part, stratified {}{}",
        split.test_source,
        split
            .test_ratio
            .map_or(String::new(), |t| format!(" ratio {t}")),
        split.validation_ratio,
        split.stratified,
        if split.test_every_epoch {
            ", test set evaluated every epoch"
        } else {
            ""
        }
    );
    let _ = writeln!(
        md,
        "- preprocessing: scaler {:?} (fitted on the training part)",
        s.preprocessing.scaler
    );
    let _ = writeln!(
        md,
        "- model: hidden {:?}, activation {:?}, dropout {:?}, init {:?}, loss {:?}",
        s.model.hidden, s.model.activation, s.model.dropout, s.model.init, s.model.loss
    );
    let optimizer = serde_json::to_string(&s.training.optimizer).unwrap_or_default();
    let _ = writeln!(
        md,
        "- training: {} epochs, batch {}, optimizer `{}`, L2 {:?}, early stopping {}",
        s.training.epochs,
        s.training.batch_size,
        optimizer,
        s.training.l2,
        s.training
            .early_stopping
            .as_ref()
            .map_or("none".into(), |e| format!(
                "patience {} on {:?} (min delta {}, restore best {})",
                e.patience, e.monitor, e.min_delta, e.restore_best
            ))
    );
    let _ = writeln!(md, "- seeds: {:?}", r.seeds);
    if let Some(h) = first.and_then(|o| o.history.as_ref()) {
        let _ = writeln!(
            md,
            "- ran {} epochs{}{}; {:.1} s for all seeds",
            h.epochs.len(),
            if h.stopped_early {
                " (stopped early)"
            } else {
                ""
            },
            h.best_epoch
                .map_or(String::new(), |b| format!(", best epoch {b}")),
            r.seconds
        );
    }
    let _ = writeln!(md);
    let rows = r.rows();
    let _ = writeln!(md, "| metric | published | ours | difference | verdict |");
    let _ = writeln!(md, "|---|---|---|---|---|");
    for row in &rows {
        let diff = row
            .difference()
            .map_or(String::new(), |d| format!("{d:+.4}"));
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            row.metric,
            fmt_published(row),
            fmt_ours(row),
            diff,
            row.verdict()
        );
    }
    let _ = writeln!(md);
    for row in rows
        .iter()
        .filter(|row| row.within_tolerance == Some(false))
    {
        let _ = writeln!(
            md,
            "*Difference:* {} is {} against the published {} (tolerance {}); see the notes below.\n",
            row.metric,
            fmt_ours(row),
            fmt_published(row),
            row.tolerance.map_or("—".into(), fmt_value)
        );
    }
    for f in &r.figures {
        let _ = writeln!(
            md,
            "![{}]({})\n\n*{}*\n",
            f.caption, f.relative_path, f.caption
        );
    }
    if let Some(table) = &s.published_table {
        let _ = writeln!(md, "**Published by the study:**\n\n{}\n", table.trim_end());
    }
    if let Some(o) = first {
        if let Some(report) = &o.classification_report {
            let _ = writeln!(
                md,
                "**Our classification report (test set, seed {}):**\n\n```text\n{}\n```\n",
                o.seed,
                report.trim_end()
            );
        }
        if let Some(cm) = &o.confusion
            && cm.len() <= 10
        {
            let _ = writeln!(
                md,
                "**Our confusion matrix (rows true, columns predicted):**\n\n```text"
            );
            for row in cm {
                let cells: Vec<String> = row.iter().map(|c| format!("{c:>5}")).collect();
                let _ = writeln!(md, "{}", cells.join(""));
            }
            let _ = writeln!(md, "```\n");
        }
        if !o.comparison.is_empty() {
            let _ = writeln!(
                md,
                "**Mean validation loss over the epochs (smaller = faster):**\n"
            );
            for (label, _) in &o.comparison {
                if let Some(v) = o.metrics.get(&format!("{label}_mean_val_loss")) {
                    let _ = writeln!(md, "- {label}: {}", fmt_value(*v));
                }
            }
            let _ = writeln!(md);
        }
        if !o.summary.is_empty() {
            let _ = writeln!(
                md,
                "<details><summary>Network</summary>\n\n```text\n{}\n```\n</details>\n",
                o.summary.trim_end()
            );
        }
    }
    if !s.notes.is_empty() {
        let _ = writeln!(md, "**Notes.**\n");
        for n in &s.notes {
            let _ = writeln!(md, "- {n}");
        }
        let _ = writeln!(md);
    }
}
