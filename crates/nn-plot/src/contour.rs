//! Marching squares: the line segments where a sampled field crosses one level.

/// A segment between two points given in grid-index coordinates (column, row).
pub(crate) type Segment = ((f64, f64), (f64, f64));

/// Segments approximating the curve `value = level` through a `columns × rows` grid of samples,
/// `values[row * columns + column]`. Squares with a NaN corner are skipped.
pub(crate) fn level_segments(
    values: &[f64],
    columns: usize,
    rows: usize,
    level: f64,
) -> Vec<Segment> {
    let mut segments = Vec::new();
    if columns < 2 || rows < 2 || values.len() != columns * rows {
        return segments;
    }
    let at = |c: usize, r: usize| values[r * columns + c];
    // Where along an edge from value a to value b the level is crossed (0 at a, 1 at b).
    let crossing = |a: f64, b: f64| {
        let t = (level - a) / (b - a);
        if t.is_finite() {
            t.clamp(0.0, 1.0)
        } else {
            0.5
        }
    };
    for r in 0..rows - 1 {
        for c in 0..columns - 1 {
            let (v00, v10, v11, v01) = (at(c, r), at(c + 1, r), at(c + 1, r + 1), at(c, r + 1));
            if [v00, v10, v11, v01].iter().any(|v| v.is_nan()) {
                continue;
            }
            let above = |v: f64| v >= level;
            let (x, y) = (c as f64, r as f64);
            // Edges in order: bottom (v00→v10), right (v10→v11), top (v01→v11), left (v00→v01).
            let edges = [
                (v00, v10, (x, y), (x + 1.0, y)),
                (v10, v11, (x + 1.0, y), (x + 1.0, y + 1.0)),
                (v01, v11, (x, y + 1.0), (x + 1.0, y + 1.0)),
                (v00, v01, (x, y), (x, y + 1.0)),
            ];
            let mut points = [None; 4];
            for (slot, &(a, b, pa, pb)) in points.iter_mut().zip(&edges) {
                if above(a) != above(b) {
                    let t = crossing(a, b);
                    *slot = Some((pa.0 + (pb.0 - pa.0) * t, pa.1 + (pb.1 - pa.1) * t));
                }
            }
            match points {
                [Some(b), Some(r_), Some(t), Some(l)] => {
                    // Saddle: the centre decides which opposite corners are joined.
                    let centre = (v00 + v10 + v11 + v01) / 4.0;
                    if above(centre) == above(v00) {
                        segments.push((b, r_));
                        segments.push((t, l));
                    } else {
                        segments.push((b, l));
                        segments.push((r_, t));
                    }
                }
                _ => {
                    let found: Vec<_> = points.iter().flatten().copied().collect();
                    if let [p, q] = found.as_slice() {
                        segments.push((*p, *q));
                    }
                }
            }
        }
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vertical_boundary_is_found_between_the_right_columns() {
        // value = column / 3 on a 4×3 grid: level 0.5 lies halfway between columns 1 and 2.
        let values: Vec<f64> = (0..3)
            .flat_map(|_| (0..4).map(|c| c as f64 / 3.0))
            .collect();
        let segments = level_segments(&values, 4, 3, 0.5);
        assert_eq!(segments.len(), 2);
        for (p, q) in segments {
            assert!((p.0 - 1.5).abs() < 1e-12 && (q.0 - 1.5).abs() < 1e-12);
        }
    }

    #[test]
    fn uniform_field_and_nan_squares_give_no_segments() {
        assert!(level_segments(&[0.2; 9], 3, 3, 0.5).is_empty());
        assert!(level_segments(&[0.0, 1.0, f64::NAN, 1.0], 2, 2, 0.5).is_empty());
        assert!(level_segments(&[0.0, 1.0], 2, 2, 0.5).is_empty());
    }

    #[test]
    fn saddle_gives_two_segments() {
        assert_eq!(level_segments(&[1.0, 0.0, 0.0, 1.0], 2, 2, 0.5).len(), 2);
    }
}
