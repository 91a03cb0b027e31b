//! The axis text every chart with a mesh shares: descriptions at 17 px, tick labels at 14 px
//! through [`format_tick`], so a change of style is made in one place.

use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::prelude::DrawingBackend;

use super::axis_range::format_tick;

/// Sets `mesh`'s axis descriptions to `x` and `y`, and its tick labels and their style to the
/// figures' own; the caller adds what differs (grid lines, label counts) and draws.
pub(super) fn describe_axes<'m, 'a, 'b, X, Y, DB>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
    x: &str,
    y: &str,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
    DB: DrawingBackend,
{
    mesh.x_desc(x)
        .y_desc(y)
        .x_label_formatter(&tick_label)
        .y_label_formatter(&tick_label)
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 17))
}

fn tick_label(value: &f64) -> String {
    format_tick(*value)
}
