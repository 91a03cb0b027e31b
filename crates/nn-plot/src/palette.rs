//! Colours shared by the figures: distinct line colours and two colour scales.

use plotters::style::RGBColor;

/// Ten well-separated line colours (the usual "category 10" set), cycled by series index.
const CATEGORY: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

/// Red used for wrong predictions and the best-epoch marker.
pub(crate) const ALERT_RED: RGBColor = RGBColor(200, 0, 0);

/// The line colour of series number `index`.
pub(crate) fn series_colour(index: usize) -> RGBColor {
    CATEGORY[index % CATEGORY.len()]
}

/// Linear interpolation between two colours; `t` is clamped to [0, 1].
fn mix(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let channel = |p: u8, q: u8| (f64::from(p) + (f64::from(q) - f64::from(p)) * t).round() as u8;
    RGBColor(channel(a.0, b.0), channel(a.1, b.1), channel(a.2, b.2))
}

/// Piecewise-linear colour scale through evenly spaced `stops`, for `t` in [0, 1].
fn scale(stops: &[RGBColor], t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let segments = stops.len() - 1;
    let position = t * segments as f64;
    let i = (position.floor() as usize).min(segments - 1);
    mix(stops[i], stops[i + 1], position - i as f64)
}

/// Sequential white-to-dark-blue scale (for counts), `t` in [0, 1].
pub(crate) fn blues(t: f64) -> RGBColor {
    const STOPS: [RGBColor; 4] = [
        RGBColor(247, 251, 255),
        RGBColor(158, 202, 225),
        RGBColor(49, 130, 189),
        RGBColor(8, 48, 107),
    ];
    scale(&STOPS, t)
}

/// Diverging blue-white-red scale (for probabilities: 0 blue, 0.5 white, 1 red), `t` in [0, 1].
pub(crate) fn blue_white_red(t: f64) -> RGBColor {
    const STOPS: [RGBColor; 5] = [
        RGBColor(33, 102, 172),
        RGBColor(146, 197, 222),
        RGBColor(247, 247, 247),
        RGBColor(244, 165, 130),
        RGBColor(178, 24, 43),
    ];
    scale(&STOPS, t)
}

/// `colour` moved towards white by `amount` in [0, 1] (0 unchanged, 1 white).
pub(crate) fn lighten(colour: RGBColor, amount: f64) -> RGBColor {
    mix(colour, RGBColor(255, 255, 255), amount)
}

/// Whether text drawn on `background` should be white (dark background) rather than black.
pub(crate) fn needs_white_text(background: RGBColor) -> bool {
    let luminance = 0.299 * f64::from(background.0)
        + 0.587 * f64::from(background.1)
        + 0.114 * f64::from(background.2);
    luminance < 140.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_hit_their_end_stops_and_clamp() {
        assert_eq!(blues(0.0), RGBColor(247, 251, 255));
        assert_eq!(blues(1.0), RGBColor(8, 48, 107));
        assert_eq!(blues(7.0), blues(1.0));
        assert_eq!(blues(f64::NAN), blues(0.0));
        assert_eq!(blue_white_red(0.5), RGBColor(247, 247, 247));
    }

    #[test]
    fn text_contrast_flips_on_dark_cells() {
        assert!(needs_white_text(blues(1.0)));
        assert!(!needs_white_text(blues(0.0)));
    }
}
