//! An epoch's time split into a cost per sample and a cost per step, fitted to two batch sizes.
//!
//! An epoch of `n` samples at batch `b` takes `⌈n/b⌉` steps. If every step costs a fixed
//! `per_step` (the optimizer, the hand-overs between cores, the calls of the small products)
//! plus `per_sample` for each of its samples, an epoch takes
//! `⌈n/b⌉ · per_step + n · per_sample`: two batch sizes' epoch times give both costs. The
//! split says why a small batch costs more per sample, and what a target on that cost asks of
//! the per-step part.

/// The two costs of a training step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct StepCost {
    /// Seconds per sample.
    pub(crate) per_sample: f64,
    /// Seconds per step, whatever its size.
    pub(crate) per_step: f64,
}

impl StepCost {
    /// The costs that reproduce the epoch times `small.1` at batch `small.0` and `large.1` at
    /// batch `large.0`, for epochs of `samples` samples; `None` when both batch sizes take the
    /// same number of steps.
    pub(crate) fn fit(samples: usize, small: (usize, f64), large: (usize, f64)) -> Option<Self> {
        let steps = |batch: usize| samples.div_ceil(batch.max(1)) as f64;
        let (steps_small, steps_large) = (steps(small.0), steps(large.0));
        if steps_small == steps_large || samples == 0 {
            return None;
        }
        let per_step = (small.1 - large.1) / (steps_small - steps_large);
        let per_sample = (small.1 - steps_small * per_step) / samples as f64;
        Some(Self {
            per_sample,
            per_step,
        })
    }

    /// The largest per-step cost with which the per-sample time at batch `small` stays within
    /// `1 + margin` times that at batch `large`, at this per-sample cost (whole batches):
    /// `per_sample + F/small ≤ (1 + margin)·(per_sample + F/large)`, i.e.
    /// `F ≤ margin·per_sample / (1/small − (1 + margin)/large)`. `None` when any per-step cost
    /// meets it (the smaller batch is not the smaller one, or the margin is that wide). For
    /// batches 32 and 64 and a margin of 20 % the limit is 16 samples' worth.
    pub(crate) fn per_step_limit(&self, small: usize, large: usize, margin: f64) -> Option<f64> {
        let slope = 1.0 / small as f64 - (1.0 + margin) / large as f64;
        (slope > 0.0).then(|| margin * self.per_sample / slope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The epoch time of `samples` samples at `batch` under the model.
    fn epoch(samples: usize, batch: usize, cost: StepCost) -> f64 {
        samples.div_ceil(batch) as f64 * cost.per_step + samples as f64 * cost.per_sample
    }

    #[test]
    fn the_fit_recovers_the_costs_that_made_the_epochs() {
        let cost = StepCost {
            per_sample: 2.0e-6,
            per_step: 38.0e-6,
        };
        // 60,000 samples: 1,875 steps at batch 32, 938 at 64 (the last one half full).
        let fitted = StepCost::fit(
            60_000,
            (32, epoch(60_000, 32, cost)),
            (64, epoch(60_000, 64, cost)),
        )
        .unwrap();
        assert!(
            (fitted.per_sample / cost.per_sample - 1.0).abs() < 1e-9,
            "{fitted:?}"
        );
        assert!(
            (fitted.per_step / cost.per_step - 1.0).abs() < 1e-9,
            "{fitted:?}"
        );
    }

    #[test]
    fn batches_with_as_many_steps_give_no_fit() {
        assert_eq!(StepCost::fit(10, (6, 1.0), (9, 0.9)), None);
        assert_eq!(StepCost::fit(0, (32, 1.0), (64, 0.9)), None);
    }

    #[test]
    fn the_limit_for_batch_32_against_64_is_sixteen_samples_worth() {
        let cost = StepCost {
            per_sample: 2.0e-6,
            per_step: 0.0,
        };
        let limit = cost.per_step_limit(32, 64, 0.2).unwrap();
        assert!((limit - 32.0e-6).abs() < 1e-15, "{limit}");
        // At the limit the per-sample times are exactly 20 % apart.
        let per_sample = |batch: f64| cost.per_sample + limit / batch;
        assert!((per_sample(32.0) / per_sample(64.0) - 1.2).abs() < 1e-12);
        // A larger batch than the reference is never held back by the per-step cost.
        assert_eq!(cost.per_step_limit(128, 64, 0.2), None);
    }
}
