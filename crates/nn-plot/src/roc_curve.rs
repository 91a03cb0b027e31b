//! ROC curves (true-positive rate against false-positive rate) with the chance diagonal.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::*;

use super::axis_text::describe_axes;
use super::canvas::{DrawResult, Figure, render};
use super::error::FigureError;
use super::palette::series_colour;

/// Size of a ROC figure in pixels.
pub const ROC_SIZE: (u32, u32) = (680, 620);

/// One ROC curve: its points (as from a ROC computation) and its area under the curve.
#[derive(Debug, Clone, PartialEq)]
pub struct RocSeries {
    /// Name in the legend, e.g. the model; may be empty when only one curve is drawn.
    pub name: String,
    /// False-positive rates, in [0, 1].
    pub fpr: Vec<f64>,
    /// True-positive rates, in [0, 1], one per false-positive rate.
    pub tpr: Vec<f64>,
    /// The area under the curve, shown in the legend as `AUC = 0.87`.
    pub auc: f64,
}

impl RocSeries {
    /// The legend text: `"AUC = 0.87"`, prefixed by the name when there is one.
    fn legend(&self) -> String {
        let auc = if self.auc.is_finite() {
            format!("AUC = {:.2}", self.auc)
        } else {
            "AUC undefined".to_string()
        };
        if self.name.is_empty() {
            auc
        } else {
            format!("{} ({auc})", self.name)
        }
    }
}

/// Draws `curves` with the dashed chance line into `path` (`.png` or `.svg`), 680×620.
///
/// Points with a non-finite rate are skipped; no curves, unequal `fpr`/`tpr` lengths or a curve
/// with no finite point is an error.
pub fn roc_curve(path: &Path, title: &str, curves: &[RocSeries]) -> Result<(), FigureError> {
    if curves.is_empty() {
        return Err(FigureError::invalid(path, "no ROC curve given"));
    }
    let mut lines = Vec::with_capacity(curves.len());
    for (index, curve) in curves.iter().enumerate() {
        let which = if curve.name.is_empty() {
            format!("ROC curve {index}")
        } else {
            format!("ROC curve '{}'", curve.name)
        };
        if curve.fpr.len() != curve.tpr.len() {
            return Err(FigureError::invalid(
                path,
                format!(
                    "{which} has {} false-positive rates but {} true-positive rates",
                    curve.fpr.len(),
                    curve.tpr.len()
                ),
            ));
        }
        let points: Vec<(f64, f64)> = curve
            .fpr
            .iter()
            .zip(&curve.tpr)
            .map(|(&f, &t)| (f, t))
            .filter(|(f, t)| f.is_finite() && t.is_finite())
            .collect();
        if points.is_empty() {
            return Err(FigureError::invalid(
                path,
                format!("{which} has no finite point"),
            ));
        }
        lines.push((curve.legend(), points));
    }
    render(path, &RocFigure { title, lines })
}

struct RocFigure<'a> {
    title: &'a str,
    lines: Vec<(String, Vec<(f64, f64)>)>,
}

impl Figure for RocFigure<'_> {
    fn size(&self) -> (u32, u32) {
        ROC_SIZE
    }

    fn draw<DB>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult
    where
        DB: DrawingBackend,
        DB::ErrorType: 'static,
    {
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(root)
            .caption(self.title, ("sans-serif", 24))
            .margin(12)
            .margin_right(24)
            .x_label_area_size(50)
            .y_label_area_size(70)
            .build_cartesian_2d(-0.01f64..1.01, -0.01f64..1.01)?;
        describe_axes(
            &mut chart.configure_mesh(),
            "false positive rate",
            "true positive rate",
        )
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(210, 210, 210))
        .draw()?;
        let chance = RGBColor(120, 120, 120).stroke_width(2);
        chart
            .draw_series(DashedLineSeries::new(
                vec![(0.0, 0.0), (1.0, 1.0)],
                10,
                6,
                chance,
            ))?
            .label("chance")
            .legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new(vec![(0, 0), (9, 0)], chance)
                    + PathElement::new(vec![(15, 0), (24, 0)], chance)
            });
        for (index, (legend, points)) in self.lines.iter().enumerate() {
            let colour = series_colour(index);
            chart
                .draw_series(LineSeries::new(
                    points.iter().copied(),
                    colour.stroke_width(3),
                ))?
                .label(legend.as_str())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], colour.stroke_width(3))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .label_font(("sans-serif", 16))
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(160, 160, 160))
            .margin(10)
            .draw()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legend_shows_auc_with_two_decimals() {
        let mut s = RocSeries {
            name: String::new(),
            fpr: vec![],
            tpr: vec![],
            auc: 0.8666,
        };
        assert_eq!(s.legend(), "AUC = 0.87");
        s.name = "MLP".into();
        assert_eq!(s.legend(), "MLP (AUC = 0.87)");
        s.auc = f64::NAN;
        assert_eq!(s.legend(), "MLP (AUC undefined)");
    }
}
