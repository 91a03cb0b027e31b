//! A vertical colour bar with tick labels, drawn beside a heat map.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::axis_range::{format_tick, multiples_within, nice_step};
use super::canvas::DrawResult;

/// Horizontal space a colour bar needs, in pixels (bar plus tick labels).
pub(crate) const COLOUR_BAR_WIDTH: i32 = 90;

/// Draws a vertical bar from `top` to `bottom` (pixels in `area`) at `left`, coloured by
/// `colour(t)` for t from 0 (bottom) to 1 (top), labelled with `ticks` values between `min` and
/// `max`.
pub(crate) fn draw_colour_bar<DB>(
    area: &DrawingArea<DB, Shift>,
    (left, top, bottom): (i32, i32, i32),
    (min, max): (f64, f64),
    ticks: &[f64],
    colour: impl Fn(f64) -> RGBColor,
) -> DrawResult
where
    DB: DrawingBackend,
    DB::ErrorType: 'static,
{
    const BAR_WIDTH: i32 = 18;
    let height = (bottom - top).max(1);
    for step in 0..height {
        let t = f64::from(height - 1 - step) / f64::from((height - 1).max(1));
        area.draw(&Rectangle::new(
            [(left, top + step), (left + BAR_WIDTH, top + step + 1)],
            colour(t).filled(),
        ))?;
    }
    area.draw(&Rectangle::new(
        [(left, top), (left + BAR_WIDTH, bottom)],
        BLACK.stroke_width(1),
    ))?;
    let span = if max > min { max - min } else { 1.0 };
    let style = ("sans-serif", 14)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for &value in ticks {
        let t = ((value - min) / span).clamp(0.0, 1.0);
        let y = bottom - (t * f64::from(height)).round() as i32;
        area.draw(&PathElement::new(
            vec![(left + BAR_WIDTH, y), (left + BAR_WIDTH + 5, y)],
            BLACK,
        ))?;
        area.draw(&Text::new(
            format_tick(value),
            (left + BAR_WIDTH + 8, y),
            style.clone(),
        ))?;
    }
    Ok(())
}

/// About five evenly spaced, round tick values between `min` and `max` (both included when
/// they are round).
pub(crate) fn round_ticks(min: f64, max: f64) -> Vec<f64> {
    if max <= min || !min.is_finite() || !max.is_finite() {
        return vec![min];
    }
    let ticks = multiples_within(min, max, nice_step((max - min) / 4.0));
    if ticks.is_empty() { vec![min] } else { ticks }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_ticks_cover_the_range_with_round_steps() {
        assert_eq!(round_ticks(0.0, 1.0), vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(round_ticks(0.0, 980.0), vec![0.0, 250.0, 500.0, 750.0]);
        assert_eq!(round_ticks(0.0, 0.0), vec![0.0]);
    }
}
