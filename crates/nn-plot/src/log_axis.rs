//! A logarithmic axis whose ticks stay readable when the data span less than a decade.
//!
//! The plotting library's own log axis only labels powers of ten, so a loss falling from 1.0 to
//! 0.4 got a single tick. This axis picks, among decades, 1-2-5 and 1…9 steps per decade and
//! evenly spaced round values, the coarsest set that still gives a few labels.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, KeyPointWeight, Ranged};

use super::axis_range::{multiples_within, nice_step};

/// Fewest labels a good tick set should give.
const MIN_LABELS: usize = 4;

/// A log-scaled axis over `[lo, hi]`, `0 < lo < hi`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LogAxis {
    lo: f64,
    hi: f64,
}

impl LogAxis {
    /// The axis over `[lo, hi]`; callers guarantee `0 < lo < hi` (finite).
    pub(crate) fn new(lo: f64, hi: f64) -> Self {
        Self { lo, hi }
    }

    /// Candidate tick sets, from fewest to most values.
    fn tick_sets(&self) -> Vec<Vec<f64>> {
        let (lo, hi) = (self.lo, self.hi);
        let first_decade = lo.log10().floor() as i32;
        let last_decade = hi.log10().ceil() as i32;
        let per_decade = |mantissas: &[f64]| -> Vec<f64> {
            (first_decade..=last_decade)
                .flat_map(|k| mantissas.iter().map(move |m| m * 10f64.powi(k)))
                .filter(|v| *v >= lo * (1.0 - 1e-9) && *v <= hi * (1.0 + 1e-9))
                .collect()
        };
        let mut sets = vec![
            per_decade(&[1.0]),
            per_decade(&[1.0, 2.0, 5.0]),
            per_decade(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]),
        ];
        // Evenly spaced values only when the data span less than a decade: over several
        // decades they would bunch up at the top of the axis.
        if hi < 10.0 * lo {
            for divisions in [4.0, 8.0, 16.0] {
                sets.push(multiples_within(lo, hi, nice_step((hi - lo) / divisions)));
            }
        }
        sets.retain(|s| !s.is_empty());
        sets.sort_by_key(Vec::len);
        sets.dedup();
        sets
    }

    /// Index in `sets` of the tick set for labelled (bold) lines, at most `max` values.
    fn bold_index(sets: &[Vec<f64>], max: usize) -> Option<usize> {
        let fitting = sets.iter().rposition(|s| s.len() <= max)?;
        Some(
            sets.iter()
                .position(|s| s.len() >= MIN_LABELS && s.len() <= max)
                .unwrap_or(fitting),
        )
    }
}

impl Ranged for LogAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.hi.ln() - self.lo.ln();
        let fraction = if *value > 0.0 && span > 0.0 {
            (value.ln() - self.lo.ln()) / span
        } else {
            0.0
        };
        let length = f64::from(limit.1 - limit.0);
        limit.0 + (length * fraction + 1e-3).floor() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        let sets = self.tick_sets();
        let Some(bold) = Self::bold_index(&sets, hint.bold_points()) else {
            return Vec::new();
        };
        let index = match hint.weight() {
            KeyPointWeight::Bold => bold,
            KeyPointWeight::Any => {
                let finer = (bold + 1).min(sets.len() - 1);
                if sets[finer].len() <= hint.max_num_points() {
                    finer
                } else {
                    bold
                }
            }
        };
        sets[index].clone()
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

#[cfg(test)]
mod tests {
    use plotters::coord::ranged1d::BoldPoints;

    use super::*;

    #[test]
    fn less_than_a_decade_still_gets_several_round_ticks() {
        let ticks = LogAxis::new(0.38, 1.05).key_points(BoldPoints(8));
        assert!(ticks.len() >= MIN_LABELS && ticks.len() <= 8, "{ticks:?}");
        assert!(ticks.iter().all(|t| (0.38..=1.05).contains(t)));
    }

    #[test]
    fn many_decades_are_labelled_by_powers_of_ten() {
        let ticks = LogAxis::new(1e-4, 10.0).key_points(BoldPoints(8));
        assert_eq!(ticks.len(), 6);
        assert!((ticks[0] - 1e-4).abs() < 1e-15 && (ticks[5] - 10.0).abs() < 1e-12);
    }

    #[test]
    fn map_is_logarithmic() {
        let axis = LogAxis::new(1.0, 100.0);
        assert_eq!(axis.map(&1.0, (0, 200)), 0);
        assert_eq!(axis.map(&10.0, (0, 200)), 100);
        assert_eq!(axis.map(&100.0, (0, 200)), 200);
    }
}
