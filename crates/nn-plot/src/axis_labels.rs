//! Title and axis descriptions of a single chart.

/// The title and the two axis descriptions of a chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AxisLabels {
    /// Title over the chart.
    pub title: String,
    /// Description under the x-axis.
    pub x: String,
    /// Description beside the y-axis.
    pub y: String,
}

impl AxisLabels {
    /// Labels from any string-like values.
    pub fn new(title: impl Into<String>, x: impl Into<String>, y: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            x: x.into(),
            y: y.into(),
        }
    }
}
