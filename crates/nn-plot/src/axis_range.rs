//! Axis ranges that fit the data with a margin, and readable tick labels.

/// The smallest and largest of `values`, or `None` if there are none. NaN values are ignored.
pub(crate) fn bounds(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .into_iter()
        .filter(|v| !v.is_nan())
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// A linear axis range covering `(lo, hi)` with `fraction` of its width added on each side.
/// A single value gets a range around it, so the axis never collapses.
pub(crate) fn padded_linear((lo, hi): (f64, f64), fraction: f64) -> (f64, f64) {
    if hi > lo {
        let pad = (hi - lo) * fraction;
        (lo - pad, hi + pad)
    } else if lo == 0.0 {
        (-1.0, 1.0)
    } else {
        let pad = lo.abs() * 0.1;
        (lo - pad, hi + pad)
    }
}

/// A logarithmic axis range covering `(lo, hi)` (both > 0) with a multiplicative margin.
pub(crate) fn padded_log((lo, hi): (f64, f64)) -> (f64, f64) {
    if hi > lo {
        let factor = (hi / lo).powf(0.05);
        (lo / factor, hi * factor)
    } else {
        (lo / 2.0, hi * 2.0)
    }
}

/// The smallest "round" step (1, 2, 2.5 or 5 times a power of ten) that is at least `raw`.
/// `raw` must be finite and positive.
pub(crate) fn nice_step(raw: f64) -> f64 {
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw * (1.0 - 1e-12))
        .unwrap_or(10.0 * power)
}

/// Multiples of `step` from `lo` to `hi` (both inclusive, up to rounding).
pub(crate) fn multiples_within(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let first = (lo / step - 1e-9).ceil();
    let last = (hi / step + 1e-9).floor();
    if !(first.is_finite() && last.is_finite()) || last < first || last - first > 1e4 {
        return Vec::new();
    }
    (0..=(last - first) as i64)
        .map(|k| (first + k as f64) * step)
        .collect()
}

/// A short tick label: integers without decimals, others with at most four significant digits,
/// and scientific notation for very large or very small magnitudes. Magnitudes below 1e-15 are
/// rounding residue of a tick meant to be zero (e.g. `-0.4 + 2 × 0.2`) and print as `0`.
pub(crate) fn format_tick(value: f64) -> String {
    let value = if value.abs() < 1e-15 { 0.0 } else { value };
    if value == 0.0 || !value.is_finite() {
        return if value == 0.0 {
            "0".to_string()
        } else {
            value.to_string()
        };
    }
    let magnitude = value.abs();
    if !(1e-3..1e5).contains(&magnitude) {
        // "1.0e-4" → "1e-4", "2.5e6" stays.
        return format!("{value:.1e}").replace(".0e", "e");
    }
    if (value - value.round()).abs() < 1e-9 * magnitude.max(1.0) {
        return format!("{value:.0}");
    }
    let decimals = (3 - magnitude.log10().floor() as i32).clamp(0, 6) as usize;
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_ignore_nan_and_report_empty() {
        assert_eq!(bounds([3.0, f64::NAN, -1.0, 2.0]), Some((-1.0, 3.0)));
        assert_eq!(bounds([f64::NAN]), None);
        assert_eq!(bounds(std::iter::empty()), None);
    }

    #[test]
    fn padding_never_collapses_the_axis() {
        assert_eq!(padded_linear((0.0, 10.0), 0.05), (-0.5, 10.5));
        let (lo, hi) = padded_linear((2.0, 2.0), 0.05);
        assert!(lo < 2.0 && hi > 2.0);
        assert_eq!(padded_linear((0.0, 0.0), 0.05), (-1.0, 1.0));
        let (lo, hi) = padded_log((0.01, 1.0));
        assert!(lo < 0.01 && lo > 0.0 && hi > 1.0);
        assert_eq!(padded_log((4.0, 4.0)), (2.0, 8.0));
    }

    #[test]
    fn nice_steps_round_up_to_one_two_two_and_a_half_or_five() {
        assert_eq!(nice_step(0.17), 0.2);
        assert_eq!(nice_step(245.0), 250.0);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(1.0), 1.0);
        assert_eq!(nice_step(6.0), 10.0);
    }

    #[test]
    fn multiples_cover_the_closed_range() {
        assert_eq!(
            multiples_within(0.0, 1.0, 0.25),
            vec![0.0, 0.25, 0.5, 0.75, 1.0]
        );
        assert_eq!(multiples_within(0.3, 0.9, 0.5), vec![0.5]);
        assert!(multiples_within(0.6, 0.9, 0.5).is_empty());
    }

    #[test]
    fn tick_labels_are_short() {
        assert_eq!(format_tick(10.0), "10");
        assert_eq!(format_tick(0.0), "0");
        assert_eq!(format_tick(-5.551115123125783e-17), "0");
        assert_eq!(format_tick(0.25), "0.25");
        assert_eq!(format_tick(0.123456), "0.1235");
        assert_eq!(format_tick(12.5), "12.5");
        assert_eq!(format_tick(0.0001), "1e-4");
        assert_eq!(format_tick(2.5e6), "2.5e6");
    }
}
