//! A named sequence of (x, y) points: one line of a line chart.

/// One named line of a chart, e.g. the validation loss per epoch.
///
/// Points whose coordinates are NaN or infinite (a diverged run) are skipped when drawing, as are
/// non-positive values on a logarithmic axis; a series with nothing left to draw is an error.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Name shown in the legend.
    pub name: String,
    /// The (x, y) points, in drawing order.
    pub points: Vec<(f64, f64)>,
}

impl Series {
    /// A series from explicit (x, y) points.
    pub fn from_points(name: impl Into<String>, points: Vec<(f64, f64)>) -> Self {
        Self {
            name: name.into(),
            points,
        }
    }

    /// A series of one value per epoch: `values[i]` is drawn at epoch `i + 1`.
    pub fn per_epoch(name: impl Into<String>, values: &[f64]) -> Self {
        let points = values
            .iter()
            .enumerate()
            .map(|(i, &v)| ((i + 1) as f64, v))
            .collect();
        Self::from_points(name, points)
    }

    /// The points that can be drawn: both coordinates finite, and y > 0 on a log axis.
    pub(crate) fn drawable_points(&self, log_y: bool) -> Vec<(f64, f64)> {
        self.points
            .iter()
            .copied()
            .filter(|&(x, y)| x.is_finite() && y.is_finite() && (!log_y || y > 0.0))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_epoch_numbers_epochs_from_one() {
        let s = Series::per_epoch("train", &[0.5, 0.25]);
        assert_eq!(s.points, vec![(1.0, 0.5), (2.0, 0.25)]);
    }

    #[test]
    fn drawable_points_skip_non_finite_and_non_positive_on_log_axis() {
        let s = Series::per_epoch("v", &[1.0, f64::NAN, 0.0, f64::INFINITY, -2.0, 3.0]);
        assert_eq!(
            s.drawable_points(false),
            vec![(1.0, 1.0), (3.0, 0.0), (5.0, -2.0), (6.0, 3.0)]
        );
        assert_eq!(s.drawable_points(true), vec![(1.0, 1.0), (6.0, 3.0)]);
    }
}
