//! Draws one figure of each kind from synthetic data, to look at them.
//!
//! ```text
//! cargo run -p nn-plot --example gallery [OUTPUT_DIR]
//! ```
//!
//! Without an argument the files go to `$CARGO_TARGET_DIR/figures-gallery/` (or
//! `target/figures-gallery/`).

use std::path::PathBuf;

use nn_plot::*;

/// 5×7 bitmaps of the digits 0–9, one string per row, `#` for ink.
const DIGITS: [[&str; 7]; 10] = [
    [
        " ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### ",
    ],
    [
        "  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### ",
    ],
    [
        " ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####",
    ],
    [
        "#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### ",
    ],
    [
        "   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # ",
    ],
    [
        "#####", "#    ", "#### ", "    #", "    #", "#   #", " ### ",
    ],
    [
        "  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### ",
    ],
    [
        "#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   ",
    ],
    [
        " ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### ",
    ],
    [
        " ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  ",
    ],
];

/// A blurred 28×28 rendering of `digit`, row-major, grey levels in [0, 1].
fn digit_image(digit: usize) -> Vec<f32> {
    let mut sharp = vec![0.0f32; 28 * 28];
    for (r, row) in DIGITS[digit].iter().enumerate() {
        for (c, ch) in row.chars().enumerate() {
            if ch == '#' {
                for dr in 0..3 {
                    for dc in 0..3 {
                        sharp[(3 + r * 3 + dr) * 28 + 6 + c * 3 + dc] = 1.0;
                    }
                }
            }
        }
    }
    let mut blurred = vec![0.0f32; 28 * 28];
    for r in 1..27 {
        for c in 1..27 {
            let mut sum = 0.0;
            for dr in 0..3 {
                for dc in 0..3 {
                    sum += sharp[(r + dr - 1) * 28 + c + dc - 1];
                }
            }
            blurred[r * 28 + c] = (sum / 6.0).min(1.0);
        }
    }
    blurred
}

fn decaying(n: usize, start: f64, floor: f64, rate: f64, wobble: f64) -> Vec<f64> {
    (0..n)
        .map(|i| {
            let e = i as f64;
            floor + (start - floor) * (-e / rate).exp() + wobble * (e * 1.7).sin().abs() * 0.02
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from("target"))
                .join("figures-gallery")
        });

    // 1. Training curves, validation loss rising after epoch 18 (early stopping keeps 18).
    let train_loss = decaying(30, 2.3, 0.05, 6.0, 1.0);
    let val_loss: Vec<f64> = (0..30)
        .map(|i| {
            let e = i as f64;
            0.25 + 2.0 * (-e / 5.0).exp() + if e > 17.0 { 0.01 * (e - 17.0) } else { 0.0 }
        })
        .collect();
    let train_acc: Vec<f64> = train_loss.iter().map(|l| 1.0 - 0.4 * l / 2.3).collect();
    let val_acc: Vec<f64> = val_loss.iter().map(|l| 0.99 - 0.4 * l / 2.3).collect();
    let curves = TrainingCurves {
        title: "MNIST 784-128-64-10, Adam".into(),
        loss: CurvePanel {
            y_label: "cross-entropy loss".into(),
            series: vec![
                Series::per_epoch("train", &train_loss),
                Series::per_epoch("validation", &val_loss),
            ],
            log_y: false,
        },
        metric: Some(CurvePanel {
            y_label: "accuracy".into(),
            series: vec![
                Series::per_epoch("train", &train_acc),
                Series::per_epoch("validation", &val_acc),
            ],
            log_y: false,
        }),
        best_epoch: Some(18),
    };
    loss_curves(&out.join("curves.png"), &curves)?;
    let loss_only = TrainingCurves {
        metric: None,
        ..curves.clone()
    };
    loss_curves(&out.join("curves-loss-only.png"), &loss_only)?;

    // 2. Confusion matrix, 10 classes with long names.
    let class_names: Vec<String> = [
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ]
    .map(String::from)
    .to_vec();
    let counts: Vec<Vec<usize>> = (0..10)
        .map(|i| {
            (0..10)
                .map(|j| {
                    if i == j {
                        850 + 13 * i
                    } else {
                        (i * 7 + j * 3) % 23
                    }
                })
                .collect()
        })
        .collect();
    confusion_heatmap(
        &out.join("confusion.png"),
        "Fashion-MNIST test set",
        &counts,
        &class_names,
    )?;
    let digit_names: Vec<String> = (0..10).map(|d| d.to_string()).collect();
    confusion_heatmap(
        &out.join("confusion-digits.png"),
        "MNIST test set",
        &counts,
        &digit_names,
    )?;

    // 3. Prediction grids.
    let images: Vec<Vec<f32>> = (0..10).map(digit_image).collect();
    let predictions = [0, 1, 2, 3, 4, 5, 6, 1, 8, 4];
    let labelled: Vec<LabelledImage<'_>> = images
        .iter()
        .enumerate()
        .map(|(d, pixels)| LabelledImage {
            pixels,
            true_label: d,
            predicted_label: predictions[d],
        })
        .collect();
    prediction_grid(
        &out.join("predictions-2x5.png"),
        "MNIST test predictions",
        &labelled,
        (28, 28),
        5,
    )?;
    prediction_grid(
        &out.join("predictions-3x3.png"),
        "MNIST test predictions",
        &labelled[..9],
        (28, 28),
        3,
    )?;

    // 4. Regression scatter.
    let truth: Vec<f64> = (0..150).map(|i| 25.0 + 2.0 * i as f64).collect();
    let predicted: Vec<f64> = truth
        .iter()
        .enumerate()
        .map(|(i, t)| 0.8 * t + 30.0 + 40.0 * ((i as f64) * 2.3).sin())
        .collect();
    scatter_identity(
        &out.join("scatter.png"),
        &AxisLabels::new(
            "Diabetes: predicted vs true (R² = 0.48)",
            "true progression",
            "predicted progression",
        ),
        &truth,
        &predicted,
    )?;

    // 5. ROC curve.
    let fpr: Vec<f64> = (0..=50).map(|i| i as f64 / 50.0).collect();
    let tpr: Vec<f64> = fpr.iter().map(|f| f.powf(0.25)).collect();
    let roc = RocSeries {
        name: String::new(),
        fpr,
        tpr,
        auc: 0.8,
    };
    roc_curve(
        &out.join("roc.png"),
        "Titanic survival (test set)",
        std::slice::from_ref(&roc),
    )?;
    roc_curve(&out.join("roc.svg"), "Titanic survival (test set)", &[roc])?;

    // 6. Decision surface of an XOR-like classifier.
    let xor = |x: f64, y: f64| 1.0 / (1.0 + (-6.0 * x * y).exp());
    let grid = SurfaceGrid::from_fn((-1.5, 1.5), (-1.5, 1.5), 120, 120, xor);
    let points: Vec<ClassPoint> = (0..80)
        .map(|i| {
            let a = i as f64 * 2.399;
            let r = 0.3 + 0.9 * ((i * 37) % 80) as f64 / 80.0;
            let (x, y) = (r * a.cos(), r * a.sin());
            ClassPoint {
                x,
                y,
                class: usize::from(x * y > 0.0),
            }
        })
        .collect();
    decision_surface(
        &out.join("surface.png"),
        &AxisLabels::new("XOR, 2-4-1 network", "x1", "x2"),
        &grid,
        &points,
    )?;

    // 7. Optimiser comparison on a log axis.
    let comparison = ComparisonChart {
        title: "Diabetes: validation loss by optimiser".into(),
        x_label: "epoch".into(),
        y_label: "validation MSE (log scale)".into(),
        series: vec![
            Series::per_epoch("Momentum", &decaying(200, 1.0, 0.45, 60.0, 1.0)),
            Series::per_epoch("RMSprop", &decaying(200, 1.0, 0.42, 15.0, 2.0)),
            Series::per_epoch("Adam", &decaying(200, 1.0, 0.40, 10.0, 1.0)),
        ],
        log_y: true,
    };
    comparison_curves(&out.join("optimizers.png"), &comparison)?;

    println!("figures written to {}", out.display());
    Ok(())
}
