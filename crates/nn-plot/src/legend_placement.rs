//! Puts a chart's legend in the corner where it hides the fewest data points.

use plotters::chart::SeriesLabelPosition;

/// Corners in order of preference when several are equally empty.
const CORNERS: [SeriesLabelPosition; 4] = [
    SeriesLabelPosition::UpperRight,
    SeriesLabelPosition::LowerRight,
    SeriesLabelPosition::UpperLeft,
    SeriesLabelPosition::LowerLeft,
];

/// Picks the legend corner that covers the fewest points of the lines.
///
/// `lines` hold points already scaled to [0, 1] × [0, 1] (x to the right, y upwards); each segment
/// is sampled so that a line crossing a corner counts even without a point inside it.
pub(crate) fn least_crowded_corner(lines: &[Vec<(f64, f64)>]) -> SeriesLabelPosition {
    const WIDTH: f64 = 0.45;
    const HEIGHT: f64 = 0.4;
    const SAMPLES_PER_SEGMENT: usize = 8;
    let mut hits = [0usize; 4];
    let mut count = |(x, y): (f64, f64)| {
        let right = x >= 1.0 - WIDTH;
        let left = x <= WIDTH;
        let upper = y >= 1.0 - HEIGHT;
        let lower = y <= HEIGHT;
        for (corner, inside) in [right && upper, right && lower, left && upper, left && lower]
            .into_iter()
            .enumerate()
        {
            if inside {
                hits[corner] += 1;
            }
        }
    };
    for line in lines {
        if let [only] = line.as_slice() {
            count(*only);
        }
        for pair in line.windows(2) {
            let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
            for k in 0..=SAMPLES_PER_SEGMENT {
                let t = k as f64 / SAMPLES_PER_SEGMENT as f64;
                count((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t));
            }
        }
    }
    let best = (0..CORNERS.len())
        .min_by_key(|&i| (hits[i], i))
        .unwrap_or(0);
    CORNERS[best].clone()
}

/// Scales `points` into [0, 1] × [0, 1] for the given axis ranges (y on a log scale if `log_y`).
pub(crate) fn normalise(
    points: &[(f64, f64)],
    x_range: (f64, f64),
    y_range: (f64, f64),
    log_y: bool,
) -> Vec<(f64, f64)> {
    let y_map = |y: f64| if log_y { y.ln() } else { y };
    let (y0, y1) = (y_map(y_range.0), y_map(y_range.1));
    let x_width = (x_range.1 - x_range.0).max(f64::MIN_POSITIVE);
    let y_height = (y1 - y0).max(f64::MIN_POSITIVE);
    points
        .iter()
        .map(|&(x, y)| ((x - x_range.0) / x_width, (y_map(y) - y0) / y_height))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(p: SeriesLabelPosition) -> &'static str {
        match p {
            SeriesLabelPosition::UpperRight => "UR",
            SeriesLabelPosition::LowerRight => "LR",
            SeriesLabelPosition::UpperLeft => "UL",
            SeriesLabelPosition::LowerLeft => "LL",
            _ => "other",
        }
    }

    #[test]
    fn falling_curve_leaves_upper_right_free() {
        let falling: Vec<_> = (0..20)
            .map(|i| (i as f64 / 19.0, (-(i as f64) / 4.0).exp()))
            .collect();
        assert_eq!(name(least_crowded_corner(&[falling])), "UR");
    }

    #[test]
    fn rising_curve_that_fills_the_top_right_moves_the_legend_down() {
        let rising: Vec<_> = (0..20)
            .map(|i| (i as f64 / 19.0, 1.0 - (-(i as f64) / 3.0).exp()))
            .collect();
        assert_eq!(name(least_crowded_corner(&[rising])), "LR");
    }

    #[test]
    fn normalise_maps_the_ranges_to_the_unit_square() {
        let p = normalise(
            &[(1.0, 10.0), (3.0, 1000.0)],
            (1.0, 3.0),
            (10.0, 1000.0),
            true,
        );
        assert!((p[0].0).abs() < 1e-12 && (p[0].1).abs() < 1e-12);
        assert!((p[1].0 - 1.0).abs() < 1e-12 && (p[1].1 - 1.0).abs() < 1e-12);
    }
}
