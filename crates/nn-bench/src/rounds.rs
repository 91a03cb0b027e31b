//! The summary of several rounds of the benchmark (`--rounds N`).
//!
//! The speed targets are stated for the median of several runs, and this kind of shared
//! machine drifts from one minute to the next. Each round therefore measures our engine and
//! then the peers anew, and the summary gives, for every figure a target is judged on, the
//! median over the rounds of that round's value, each round's value, and in how many rounds
//! the target was met.

use super::median;

/// What one round measured, as the summary needs it: per batch size, a median epoch in
/// seconds (or a mean loss), and the median inference time.
#[derive(Debug, Clone, Default)]
pub(crate) struct RoundResult {
    /// Our median epoch per batch size.
    pub(crate) ours: Vec<(usize, f64)>,
    /// The mean loss of our last epoch per batch size.
    pub(crate) last_loss: Vec<(usize, f64)>,
    /// Median time of `predict` on the 10,000 test digits.
    pub(crate) predict_seconds: Option<f64>,
    /// PyTorch's median epoch at its faster thread count, per batch size.
    pub(crate) pytorch: Vec<(usize, f64)>,
    /// NumPy's median epoch per batch size.
    pub(crate) numpy: Vec<(usize, f64)>,
}

/// One per-batch figure of a round.
pub(crate) type PerBatch = fn(&RoundResult) -> &[(usize, f64)];

/// The value for `batch` in a per-batch list.
fn at(list: &[(usize, f64)], batch: usize) -> Option<f64> {
    list.iter().find(|(b, _)| *b == batch).map(|&(_, v)| v)
}

/// How a row's values are printed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Unit {
    /// Seconds, printed with three decimals.
    Seconds,
    /// Milliseconds (the values are seconds).
    Milliseconds,
    /// A ratio, printed with three decimals.
    Ratio,
    /// A relative difference, printed as a signed percentage.
    Percent,
}

impl Unit {
    fn show(self, value: f64) -> String {
        match self {
            Unit::Seconds => format!("{value:.3} s"),
            Unit::Milliseconds => format!("{:.1} ms", value * 1e3),
            Unit::Ratio => format!("{value:.3}"),
            Unit::Percent => format!("{:+.1} %", value * 100.0),
        }
    }
}

/// One figure measured in every round, with the largest value its target allows, if any.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// What the figure is.
    pub(crate) what: String,
    /// One value per round that measured it.
    pub(crate) values: Vec<f64>,
    /// How the values print.
    pub(crate) unit: Unit,
    /// The target's upper limit (met when the value is at most this).
    pub(crate) limit: Option<f64>,
}

impl Row {
    /// The median over the rounds.
    pub(crate) fn median(&self) -> f64 {
        median_of(self.values.clone())
    }

    /// How many rounds met the target (`None` without a target).
    pub(crate) fn rounds_met(&self) -> Option<usize> {
        let limit = self.limit?;
        Some(self.values.iter().filter(|&&v| v <= limit).count())
    }

    /// The printed line.
    pub(crate) fn line(&self) -> String {
        let each: Vec<String> = self.values.iter().map(|&v| self.unit.show(v)).collect();
        let mut line = format!(
            "{}: median {} (rounds: {})",
            self.what,
            self.unit.show(self.median()),
            each.join(", ")
        );
        if let (Some(limit), Some(met)) = (self.limit, self.rounds_met()) {
            line.push_str(&format!(
                "; target at most {}: median {}, met in {met} of {} rounds",
                self.unit.show(limit),
                if self.median() <= limit {
                    "meets it"
                } else {
                    "misses it"
                },
                self.values.len()
            ));
        }
        line
    }
}

/// The rows of the summary, in print order: our epochs, the per-sample comparisons with
/// batch 64, inference, then the ratios to each peer (judged at batch 64, the reference
/// workload). A figure appears when at least one round measured it.
pub(crate) fn summary_rows(rounds: &[RoundResult], batches: &[usize]) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut push = |what: String, values: Vec<f64>, unit, limit| {
        if !values.is_empty() {
            rows.push(Row {
                what,
                values,
                unit,
                limit,
            });
        }
    };
    let per_round = |f: &dyn Fn(&RoundResult) -> Option<f64>| -> Vec<f64> {
        rounds.iter().filter_map(f).collect()
    };
    for &batch in batches {
        push(
            format!("ours epoch, batch {batch}"),
            per_round(&|r| at(&r.ours, batch)),
            Unit::Seconds,
            None,
        );
    }
    for &batch in batches.iter().filter(|&&b| b != 64) {
        push(
            format!("per-sample time of batch {batch} vs batch 64"),
            per_round(&|r| Some(at(&r.ours, batch)? / at(&r.ours, 64)? - 1.0)),
            Unit::Percent,
            Some(super::PER_SAMPLE_MARGIN),
        );
    }
    push(
        "inference (predict on the test digits)".to_owned(),
        per_round(&|r| r.predict_seconds),
        Unit::Milliseconds,
        Some(0.020),
    );
    // The peer targets are stated for the reference workload, batch 64; the other batch
    // sizes are shown without one.
    let peers: [(&str, PerBatch, f64); 2] = [
        (
            "PyTorch (its faster thread count)",
            |r| &r.pytorch,
            1.0 / 3.0,
        ),
        ("NumPy", |r| &r.numpy, 1.0 / 6.0),
    ];
    for (peer, times, limit) in peers {
        for &batch in batches {
            push(
                format!("ours / {peer}, batch {batch}"),
                per_round(&|r| Some(at(&r.ours, batch)? / at(times(r), batch)?)),
                Unit::Ratio,
                (batch == 64).then_some(limit),
            );
        }
    }
    rows
}

/// Batch sizes whose last-epoch mean loss differed between rounds. Every round trains from
/// the same seed, so any entry here means a run was not reproducible.
pub(crate) fn differing_losses(rounds: &[RoundResult], batches: &[usize]) -> Vec<usize> {
    batches
        .iter()
        .copied()
        .filter(|&batch| {
            let losses: Vec<u64> = rounds
                .iter()
                .filter_map(|r| at(&r.last_loss, batch))
                .map(f64::to_bits)
                .collect();
            losses.windows(2).any(|w| w[0] != w[1])
        })
        .collect()
}

/// The median over rounds of one per-batch figure (NaN when no round has it).
pub(crate) fn median_over_rounds(rounds: &[RoundResult], batch: usize, figure: PerBatch) -> f64 {
    median_of(rounds.iter().filter_map(|r| at(figure(r), batch)).collect())
}

/// The median of unsorted values (NaN when there are none).
fn median_of(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    median(&values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(ours32: f64, ours64: f64, pytorch64: Option<f64>, predict: f64) -> RoundResult {
        RoundResult {
            ours: vec![(32, ours32), (64, ours64)],
            last_loss: vec![(32, 0.04), (64, 0.05)],
            predict_seconds: Some(predict),
            pytorch: pytorch64
                .map(|p| vec![(32, 2.0 * p), (64, p)])
                .unwrap_or_default(),
            numpy: Vec::new(),
        }
    }

    fn row<'a>(rows: &'a [Row], what: &str) -> &'a Row {
        rows.iter()
            .find(|r| r.what == what)
            .unwrap_or_else(|| panic!("no row {what:?} in {rows:?}"))
    }

    #[test]
    fn each_target_is_judged_per_round_and_at_the_median() {
        // Batch 32 per sample: +25 %, +10 %, +30 % over batch 64.
        let rounds = [
            round(0.50, 0.4, Some(1.0), 0.015),
            round(0.44, 0.4, Some(1.5), 0.025),
            round(0.52, 0.4, None, 0.018),
        ];
        let rows = summary_rows(&rounds, &[32, 64]);
        let per_sample = row(&rows, "per-sample time of batch 32 vs batch 64");
        assert!((per_sample.median() - 0.25).abs() < 1e-12);
        assert_eq!(per_sample.rounds_met(), Some(1));
        assert!(
            per_sample
                .line()
                .contains("median misses it, met in 1 of 3 rounds")
        );

        let inference = row(&rows, "inference (predict on the test digits)");
        assert_eq!(inference.median(), 0.018);
        assert_eq!(inference.rounds_met(), Some(2));
        assert!(inference.line().contains("median 18.0 ms"));

        // PyTorch ran in two rounds only: its ratio has two values.
        let pytorch = row(&rows, "ours / PyTorch (its faster thread count), batch 64");
        assert_eq!(pytorch.values.len(), 2);
        assert_eq!(pytorch.rounds_met(), Some(1));
        // Outside the reference batch size the ratio has no target.
        let pytorch_32 = row(&rows, "ours / PyTorch (its faster thread count), batch 32");
        assert_eq!((pytorch_32.values.len(), pytorch_32.limit), (2, None));
        assert!(!pytorch_32.line().contains("target"));
        // No round ran NumPy: no such rows.
        assert!(!rows.iter().any(|r| r.what.contains("NumPy")));

        let ours = row(&rows, "ours epoch, batch 64");
        assert_eq!((ours.limit, ours.rounds_met()), (None, None));
        assert!(!ours.line().contains("target"));
    }

    #[test]
    fn medians_over_rounds_and_loss_differences() {
        let rounds = [
            round(0.3, 0.2, Some(1.2), 0.01),
            round(0.3, 0.4, Some(1.4), 0.01),
        ];
        let ours: PerBatch = |r| &r.ours;
        let pytorch: PerBatch = |r| &r.pytorch;
        assert!((median_over_rounds(&rounds, 64, ours) - 0.3).abs() < 1e-12);
        assert!((median_over_rounds(&rounds, 64, pytorch) - 1.3).abs() < 1e-12);
        assert!(median_over_rounds(&rounds, 128, ours).is_nan());

        assert!(differing_losses(&rounds, &[32, 64]).is_empty());
        let mut changed = rounds.clone();
        changed[1].last_loss[1].1 = 0.050_000_1;
        assert_eq!(differing_losses(&changed, &[32, 64]), vec![64]);
    }
}
