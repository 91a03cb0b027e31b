//! Every figure kind is written to a temporary folder and checked as an image: valid PNG of the
//! documented size, not blank, and with the colours the figure promises. Bad input must give an
//! error naming the output file, never a panic.

use std::path::{Path, PathBuf};

use image::{Rgb, RgbImage};
use nn_plot::*;

/// A fresh folder for one test, removed when dropped.
struct TempFolder(PathBuf);

impl TempFolder {
    fn new(test: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("nn-plot-figures-{}-{test}", std::process::id()));
        // A leftover from an interrupted run of the same process id is simply replaced.
        let _ = std::fs::remove_dir_all(&dir);
        Self(dir)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Reads `path`, checks the PNG signature and decodes it.
fn read_png(path: &Path) -> RgbImage {
    let bytes =
        std::fs::read(path).unwrap_or_else(|e| panic!("{} not written: {e}", path.display()));
    assert!(
        bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
        "{} is not a PNG",
        path.display()
    );
    image::load_from_memory(&bytes)
        .expect("PNG decodes")
        .to_rgb8()
}

/// Fraction of pixels that are not white.
fn ink_fraction(img: &RgbImage) -> f64 {
    let inked = img.pixels().filter(|p| p.0 != [255, 255, 255]).count();
    inked as f64 / (img.width() * img.height()) as f64
}

fn count_pixels(img: &RgbImage, wanted: impl Fn(&Rgb<u8>) -> bool) -> usize {
    img.pixels().filter(|p| wanted(p)).count()
}

fn is_alert_red(p: &Rgb<u8>) -> bool {
    let [r, g, b] = p.0;
    r > 170 && g < 40 && b < 40
}

/// Checks a written figure: PNG of `size`, with some ink but not all ink.
fn assert_drawn(path: &Path, size: (u32, u32)) -> RgbImage {
    let img = read_png(path);
    assert_eq!(img.dimensions(), size, "{}", path.display());
    let ink = ink_fraction(&img);
    assert!(
        ink > 0.02 && ink < 0.95,
        "{}: ink fraction {ink}",
        path.display()
    );
    img
}

fn expect_invalid(result: Result<(), FigureError>, path: &Path, needle: &str) {
    match result {
        Err(e @ FigureError::InvalidData { .. }) => {
            let message = e.to_string();
            assert!(message.contains(&path.display().to_string()), "{message}");
            assert!(
                message.contains(needle),
                "{message} should mention {needle}"
            );
        }
        other => panic!("expected invalid data, got {other:?}"),
    }
    assert!(!path.exists(), "no file is written for bad data");
}

fn falling(n: usize, scale: f64) -> Vec<f64> {
    (0..n)
        .map(|i| scale * (-(i as f64) / 8.0).exp() + 0.1)
        .collect()
}

fn curves(metric: bool) -> TrainingCurves {
    let mut validation = falling(30, 1.2);
    validation[3] = f64::NAN; // a skipped value, not an error
    TrainingCurves {
        title: "MNIST 784-128-64-10".into(),
        loss: CurvePanel {
            y_label: "cross-entropy loss".into(),
            series: vec![
                Series::per_epoch("train", &falling(30, 1.0)),
                Series::per_epoch("validation", &validation),
            ],
            log_y: false,
        },
        metric: metric.then(|| CurvePanel {
            y_label: "accuracy".into(),
            series: vec![Series::per_epoch(
                "validation",
                &(0..30).map(|i| 0.9 + 0.003 * i as f64).collect::<Vec<_>>(),
            )],
            log_y: false,
        }),
        best_epoch: Some(21),
    }
}

#[test]
fn loss_curves_draw_one_or_two_panels_with_a_best_epoch_marker() {
    let dir = TempFolder::new("loss");
    let one = dir.file("nested/one.png");
    loss_curves(&one, &curves(false)).expect("single panel");
    let img = assert_drawn(&one, SINGLE_PANEL_SIZE);
    assert!(
        count_pixels(&img, is_alert_red) > 50,
        "best-epoch marker is drawn in red"
    );

    let two = dir.file("two.png");
    loss_curves(&two, &curves(true)).expect("two panels");
    assert_drawn(&two, TWO_PANEL_SIZE);

    let mut without_marker = curves(false);
    without_marker.best_epoch = None;
    let plain = dir.file("plain.png");
    loss_curves(&plain, &without_marker).expect("no marker");
    assert_eq!(
        count_pixels(&assert_drawn(&plain, SINGLE_PANEL_SIZE), is_alert_red),
        0
    );
}

#[test]
fn loss_curves_reject_missing_or_non_finite_series() {
    let dir = TempFolder::new("loss-bad");
    let path = dir.file("bad.png");
    let mut empty = curves(false);
    empty.loss.series.clear();
    expect_invalid(loss_curves(&path, &empty), &path, "no series");

    let mut nan = curves(true);
    if let Some(metric) = nan.metric.as_mut() {
        metric.series[0] = Series::per_epoch("validation", &[f64::NAN, f64::INFINITY]);
    }
    expect_invalid(loss_curves(&path, &nan), &path, "'validation'");

    let mut log = curves(false);
    log.loss.log_y = true;
    log.loss.series = vec![Series::per_epoch("train", &[0.0, -1.0])];
    expect_invalid(loss_curves(&path, &log), &path, "log axis");
}

#[test]
fn comparison_curves_draw_on_a_log_axis() {
    let dir = TempFolder::new("comparison");
    let path = dir.file("optimisers.png");
    let chart = ComparisonChart {
        title: "Validation loss by optimiser".into(),
        x_label: "epoch".into(),
        y_label: "validation loss".into(),
        series: vec![
            Series::per_epoch("Momentum", &falling(50, 1.0)),
            Series::per_epoch("RMSprop", &falling(50, 0.5)),
            Series::per_epoch("Adam", &falling(50, 0.2)),
        ],
        log_y: true,
    };
    comparison_curves(&path, &chart).expect("drawn");
    assert_drawn(&path, COMPARISON_SIZE);

    let empty = ComparisonChart {
        series: vec![],
        ..chart
    };
    let bad = dir.file("bad.png");
    expect_invalid(comparison_curves(&bad, &empty), &bad, "no series");
}

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("class {i}")).collect()
}

#[test]
fn confusion_heatmap_shades_the_largest_count_darkest() {
    let dir = TempFolder::new("confusion");
    let path = dir.file("confusion.png");
    let counts: Vec<Vec<usize>> = (0..10)
        .map(|i| {
            (0..10)
                .map(|j| if i == j { 950 + i } else { (i + 2 * j) % 7 })
                .collect()
        })
        .collect();
    confusion_heatmap(&path, "MNIST test set", &counts, &names(10)).expect("drawn");
    let img = assert_drawn(&path, CONFUSION_SIZE);
    let darkest_blue = count_pixels(&img, |p| {
        let [r, g, b] = p.0;
        r < 30 && g < 70 && (90..130).contains(&b)
    });
    assert!(
        darkest_blue > 500,
        "diagonal cells are dark blue ({darkest_blue} pixels)"
    );
}

#[test]
fn confusion_heatmap_rejects_bad_shapes() {
    let dir = TempFolder::new("confusion-bad");
    let path = dir.file("bad.png");
    expect_invalid(confusion_heatmap(&path, "t", &[], &[]), &path, "no rows");
    let ragged = vec![vec![1, 2], vec![3]];
    expect_invalid(
        confusion_heatmap(&path, "t", &ragged, &names(2)),
        &path,
        "row 1",
    );
    let square = vec![vec![1, 2], vec![3, 4]];
    expect_invalid(
        confusion_heatmap(&path, "t", &square, &names(3)),
        &path,
        "3 class names",
    );
}

/// A 28×28 image with a bright square whose position depends on `k`.
fn synthetic_digit(k: usize) -> Vec<f32> {
    let mut pixels = vec![0.0f32; 28 * 28];
    for r in 6 + k..14 + k {
        for c in 8..20 {
            pixels[r * 28 + c] = 1.0;
        }
    }
    pixels
}

#[test]
fn prediction_grid_marks_wrong_predictions_in_red() {
    let dir = TempFolder::new("grid");
    let data: Vec<Vec<f32>> = (0..9).map(synthetic_digit).collect();
    let all_right: Vec<LabelledImage<'_>> = data
        .iter()
        .enumerate()
        .map(|(i, pixels)| LabelledImage {
            pixels,
            true_label: i,
            predicted_label: i,
        })
        .collect();
    let right = dir.file("right.png");
    prediction_grid(&right, "All correct", &all_right, (28, 28), 3).expect("drawn");
    let img = assert_drawn(&right, prediction_grid_size(9, 3));
    assert_eq!(count_pixels(&img, is_alert_red), 0);
    let white_pixels = count_pixels(&img, |p| p.0 == [255, 255, 255]);
    let black_pixels = count_pixels(&img, |p| p.0 == [0, 0, 0]);
    assert!(black_pixels > 9 * 100 && white_pixels > 9 * 100);

    let mut one_wrong = all_right.clone();
    one_wrong[4].predicted_label = 7;
    let wrong = dir.file("wrong.png");
    prediction_grid(&wrong, "One wrong", &one_wrong[..5], (28, 28), 5).expect("drawn");
    let img = assert_drawn(&wrong, prediction_grid_size(5, 5));
    assert!(count_pixels(&img, is_alert_red) > 100);
}

#[test]
fn prediction_grid_rejects_bad_images() {
    let dir = TempFolder::new("grid-bad");
    let path = dir.file("bad.png");
    expect_invalid(
        prediction_grid(&path, "t", &[], (28, 28), 3),
        &path,
        "no images",
    );
    let short = vec![0.5f32; 27 * 28];
    let image = LabelledImage {
        pixels: &short,
        true_label: 1,
        predicted_label: 1,
    };
    expect_invalid(
        prediction_grid(&path, "t", &[image], (28, 28), 3),
        &path,
        "image 0",
    );
    let mut nan = vec![0.5f32; 28 * 28];
    nan[5] = f32::NAN;
    let image = LabelledImage {
        pixels: &nan,
        true_label: 1,
        predicted_label: 2,
    };
    expect_invalid(
        prediction_grid(&path, "t", &[image], (28, 28), 3),
        &path,
        "index 5",
    );
    expect_invalid(
        prediction_grid(&path, "t", &[image], (28, 28), 0),
        &path,
        "column",
    );
}

#[test]
fn scatter_identity_skips_non_finite_pairs_and_rejects_mismatches() {
    let dir = TempFolder::new("scatter");
    let path = dir.file("scatter.png");
    let truth: Vec<f64> = (0..200).map(|i| 25.0 + i as f64).collect();
    let predicted: Vec<f64> = truth
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if i == 7 {
                f64::NAN
            } else {
                t + ((i * 37) % 21) as f64 - 10.0
            }
        })
        .collect();
    let labels = AxisLabels::new("Diabetes progression", "true", "predicted");
    scatter_identity(&path, &labels, &truth, &predicted).expect("drawn");
    assert_drawn(&path, SCATTER_SIZE);

    let bad = dir.file("bad.png");
    expect_invalid(
        scatter_identity(&bad, &labels, &truth, &predicted[1..]),
        &bad,
        "199 predictions",
    );
    expect_invalid(scatter_identity(&bad, &labels, &[], &[]), &bad, "no values");
    expect_invalid(
        scatter_identity(&bad, &labels, &[f64::NAN], &[1.0]),
        &bad,
        "finite",
    );
}

fn roc() -> RocSeries {
    RocSeries {
        name: String::new(),
        fpr: vec![0.0, 0.0, 0.1, 0.3, 0.6, 1.0],
        tpr: vec![0.0, 0.4, 0.7, 0.85, 0.95, 1.0],
        auc: 0.8666,
    }
}

#[test]
fn roc_curve_writes_png_and_svg_with_the_auc() {
    let dir = TempFolder::new("roc");
    let png = dir.file("roc.png");
    roc_curve(&png, "Titanic survival", &[roc()]).expect("drawn");
    assert_drawn(&png, ROC_SIZE);

    let svg = dir.file("roc.svg");
    roc_curve(&svg, "Titanic survival", &[roc()]).expect("drawn");
    let text = std::fs::read_to_string(&svg).expect("svg written");
    assert!(text.starts_with("<svg"));
    assert!(text.contains("AUC = 0.87"));

    let bad = dir.file("bad.png");
    expect_invalid(roc_curve(&bad, "t", &[]), &bad, "no ROC curve");
    let mut mismatched = roc();
    mismatched.tpr.pop();
    expect_invalid(
        roc_curve(&bad, "t", &[mismatched]),
        &bad,
        "6 false-positive rates",
    );
}

#[test]
fn decision_surface_shows_both_classes_and_rejects_bad_grids() {
    let dir = TempFolder::new("surface");
    let path = dir.file("xor.png");
    let xor = |x: f64, y: f64| 1.0 / (1.0 + (-8.0 * x * y).exp());
    let grid = SurfaceGrid::from_fn((-1.0, 1.0), (-1.0, 1.0), 60, 60, xor);
    let points: Vec<ClassPoint> = [
        (-0.5, -0.5, 1),
        (0.5, 0.5, 1),
        (-0.5, 0.5, 0),
        (0.5, -0.5, 0),
    ]
    .into_iter()
    .map(|(x, y, class)| ClassPoint { x, y, class })
    .collect();
    let labels = AxisLabels::new("XOR", "x1", "x2");
    decision_surface(&path, &labels, &grid, &points).expect("drawn");
    let img = assert_drawn(&path, SURFACE_SIZE);
    let reddish = count_pixels(&img, |p| p.0[0] > 180 && p.0[1] < 130 && p.0[2] < 130);
    let bluish = count_pixels(&img, |p| p.0[2] > 180 && p.0[0] < 130);
    assert!(
        reddish > 5000 && bluish > 5000,
        "red {reddish}, blue {bluish}"
    );

    let bad = dir.file("bad.png");
    let short = SurfaceGrid {
        values: vec![0.5; 3],
        ..grid.clone()
    };
    expect_invalid(
        decision_surface(&bad, &labels, &short, &points),
        &bad,
        "3600 values",
    );
    let empty_range = SurfaceGrid {
        x_range: (1.0, 1.0),
        ..grid.clone()
    };
    expect_invalid(
        decision_surface(&bad, &labels, &empty_range, &points),
        &bad,
        "rectangle",
    );
    let all_nan = SurfaceGrid {
        values: vec![f64::NAN; 3600],
        ..grid
    };
    expect_invalid(
        decision_surface(&bad, &labels, &all_nan, &points),
        &bad,
        "no finite",
    );
}

#[test]
fn unknown_extension_is_an_error_naming_the_file() {
    let dir = TempFolder::new("extension");
    let path = dir.file("roc.jpg");
    let err = roc_curve(&path, "t", &[roc()]).expect_err("jpg is not supported");
    assert!(matches!(err, FigureError::UnsupportedFormat { .. }));
    assert!(err.to_string().contains("roc.jpg"));
}
