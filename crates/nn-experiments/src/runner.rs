//! Running an experiment: build the network its spec describes, train it on the prepared data
//! and compute every metric the runner knows, plus the data its figures need.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{Context, Result};
use nalgebra::DMatrix;
use nn_core::{Loss, Sequential};
use nn_optim::{AnyOptimizer, OptimizerConfig};
use nn_train::{History, MetricKind, ProgressMode, TrainConfig, TrainData, Trainer};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::prepared_data::{Part, PreparedData, prepare};
use crate::spec::{ActivationKind, ExperimentSpec, GridPoint, LossKind};

/// Overrides of the spec's training settings for one run (a grid point, a compared optimizer,
/// a quick run).
#[derive(Clone, Debug)]
pub struct RunSettings {
    /// Hidden layer sizes.
    pub hidden: Vec<usize>,
    /// Optimizer.
    pub optimizer: OptimizerConfig,
    /// Batch size (resolved).
    pub batch_size: usize,
    /// Epochs.
    pub epochs: usize,
    /// Whether early stopping (if the spec has it) applies.
    pub early_stopping: bool,
    /// Seed.
    pub seed: u64,
    /// Worker threads of each training (`None`: `NN_THREADS`, else the physical cores).
    /// Results do not depend on it.
    pub threads: Option<usize>,
}

/// One trained network and its history.
#[derive(Debug)]
pub struct TrainedRun {
    /// The trained network (best weights restored when early stopping says so).
    pub network: Sequential<f32>,
    /// Per-epoch losses and metrics.
    pub history: History,
    /// Test metric after every epoch (only when the spec asks for it).
    pub test_curve: Vec<f64>,
    /// Wall-clock seconds of training.
    pub seconds: f64,
}

/// The result of one grid point.
#[derive(Debug, Clone)]
pub struct GridResult {
    /// The grid point.
    pub point: GridPoint,
    /// Our value of the grid's metric.
    pub value: f64,
    /// Test metric per epoch (if measured) or validation metric per epoch.
    pub curve: Vec<f64>,
}

/// Everything one seed of an experiment produced.
#[derive(Debug, Default)]
pub struct SeedOutcome {
    /// The seed used.
    pub seed: u64,
    /// Metric name → value.
    pub metrics: BTreeMap<String, f64>,
    /// The main run's history (the expected winner's for comparisons, the best point's for grids).
    pub history: Option<History>,
    /// Test metric per epoch of the main run, when measured.
    pub test_curve: Vec<f64>,
    /// The network summary table.
    pub summary: String,
    /// Data description.
    pub data_description: String,
    /// Confusion matrix counts on the test set (classification).
    pub confusion: Option<Vec<Vec<usize>>>,
    /// Class names.
    pub class_names: Vec<String>,
    /// scikit-learn-style classification report on the test set.
    pub classification_report: Option<String>,
    /// ROC curve `(fpr, tpr, auc)` on the test set (binary).
    pub roc: Option<(Vec<f64>, Vec<f64>, f64)>,
    /// `(truth, predicted)` test values (regression).
    pub scatter: Option<(Vec<f64>, Vec<f64>)>,
    /// The first test images with `(pixels, true, predicted)` (MNIST).
    pub images: Vec<(Vec<f32>, usize, usize)>,
    /// XOR probability over `[−0.5, 1.5]²` (64×64, row-major from the bottom) and the points.
    pub surface: Option<SurfaceData>,
    /// Validation loss per epoch of every compared optimizer.
    pub comparison: Vec<(String, Vec<f64>)>,
    /// Grid results.
    pub grid: Vec<GridResult>,
    /// Training seconds in all.
    pub seconds: f64,
}

/// A 2-D decision surface: probabilities on the grid and the `(x, y, class)` data points.
pub type SurfaceData = (Vec<f64>, Vec<(f64, f64, usize)>);

/// A finished grid point: its index and its value with the trained run, or the error.
type GridOutcome = (usize, Result<(f64, TrainedRun)>);

/// Side of the XOR decision-surface grid.
pub const SURFACE_RESOLUTION: usize = 64;

/// Builds the network of `spec` with the given hidden sizes for `n_in` inputs and `n_out` outputs.
///
/// # Errors
/// An invalid layer size or dropout probability, or a network past nn-core's
/// [`MAX_PARAMETERS`](nn_core::network_size::MAX_PARAMETERS), refused before it is allocated
/// with the `model.hidden` entry and the memory it would need.
pub fn build_network(
    spec: &ExperimentSpec,
    hidden: &[usize],
    n_in: usize,
    n_out: usize,
    seed: u64,
) -> Result<Sequential<f32>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let init = spec.model.init.to_init();
    let mut net = Sequential::<f32>::new(n_in);
    for (i, &units) in hidden.iter().enumerate() {
        net = net
            .dense(units, init, &mut rng)
            .with_context(|| format!("cannot build `model.hidden[{i}] = {units}`"))?;
        net = match spec.model.activation {
            ActivationKind::Relu => net.relu(),
            ActivationKind::Sigmoid => net.sigmoid(),
            ActivationKind::Tanh => net.tanh(),
        };
        if let Some(p) = spec.model.dropout {
            net = net.dropout(p, seed.wrapping_add(1000 + i as u64))?;
        }
    }
    net.dense(n_out, init, &mut rng)
        .with_context(|| {
        format!("cannot build the output layer ({n_out} units, from the data) after `model.hidden = {hidden:?}`")
    })
}

/// The optimizer config with another learning rate.
pub fn with_lr(config: &OptimizerConfig, lr: f64) -> OptimizerConfig {
    let mut c = *config;
    match &mut c {
        OptimizerConfig::Sgd(o) => o.lr = lr,
        OptimizerConfig::Momentum(o) => o.lr = lr,
        OptimizerConfig::RmsProp(o) => o.lr = lr,
        OptimizerConfig::Adam(o) => o.lr = lr,
        OptimizerConfig::AdamW(o) => o.lr = lr,
    }
    c
}

fn is_classification(spec: &ExperimentSpec) -> bool {
    spec.model.loss != LossKind::Mse
}

/// Trains one network.
///
/// # Errors
/// A network that does not fit the data, or a diverged (NaN) loss.
pub fn train_once(
    spec: &ExperimentSpec,
    data: &PreparedData,
    settings: &RunSettings,
) -> Result<TrainedRun> {
    let net = build_network(
        spec,
        &settings.hidden,
        data.n_features(),
        data.n_outputs(),
        settings.seed,
    )?;
    let optimizer = AnyOptimizer::<f32>::new(&settings.optimizer)?;
    let loss = spec.model.loss.to_loss();
    let classification = is_classification(spec);
    let config = TrainConfig {
        epochs: settings.epochs,
        batch_size: settings.batch_size,
        seed: settings.seed,
        l2: spec.training.l2,
        early_stopping: if settings.early_stopping {
            spec.training.early_stopping.clone()
        } else {
            None
        },
        metric: if classification {
            MetricKind::Accuracy
        } else {
            MetricKind::R2
        },
        train_metric: spec.grid.is_none(),
        schedule: spec.training.schedule.unwrap_or_default(),
        threads: settings.threads,
        progress: ProgressMode::Silent,
        ..TrainConfig::default()
    };
    let mut trainer = Trainer::new(net, optimizer, loss, config)?;
    let mut train_data = TrainData::new(&data.train.x, &data.train.y);
    if let Some(v) = &data.validation {
        train_data = train_data.with_validation(&v.x, &v.y);
    }
    let started = Instant::now();
    let mut test_curve = Vec::new();
    if spec.split.test_every_epoch {
        trainer.fit_with(&train_data, |network| -> Result<()> {
            let pred = network.predict(&data.test.x, loss.link())?;
            test_curve.push(main_metric(classification, &pred, &data.test)?);
            Ok(())
        })?;
    } else {
        trainer.fit(&train_data)?;
    }
    let seconds = started.elapsed().as_secs_f64();
    let history = trainer.history().clone();
    Ok(TrainedRun {
        network: trainer.into_network(),
        history,
        test_curve,
        seconds,
    })
}

fn main_metric(classification: bool, pred: &DMatrix<f32>, part: &Part) -> Result<f64> {
    let kind = if classification {
        MetricKind::Accuracy
    } else {
        MetricKind::R2
    };
    nn_train::metric_value(kind, pred, &part.y)?.context("metric has a value for its kind")
}

fn flat(m: &DMatrix<f32>) -> Vec<f64> {
    m.iter().map(|&v| f64::from(v)).collect()
}

/// Accuracy, MSE and R² of `net` on one part, under `prefix` (`train`, `val`, `test`).
fn part_metrics(
    net: &mut Sequential<f32>,
    loss: Loss,
    part: &Part,
    prefix: &str,
    metrics: &mut BTreeMap<String, f64>,
) -> Result<DMatrix<f32>> {
    let pred = net.predict(&part.x, loss.link())?;
    if loss == Loss::Mse {
        let (t, p) = (flat(&part.y), flat(&pred));
        metrics.insert(
            format!("{prefix}_mse"),
            nn_metrics::mean_squared_error(&t, &p)?,
        );
        if t.len() >= 2 {
            metrics.insert(format!("{prefix}_r2"), nn_metrics::r2_score(&t, &p)?);
        }
    } else {
        metrics.insert(
            format!("{prefix}_accuracy"),
            main_metric(true, &pred, part)?,
        );
    }
    Ok(pred)
}

/// The settings of the spec's main run, reduced for `quick`.
pub fn base_settings(
    spec: &ExperimentSpec,
    data: &PreparedData,
    seed: u64,
    quick: bool,
) -> RunSettings {
    RunSettings {
        hidden: spec.model.hidden.clone(),
        optimizer: spec.training.optimizer,
        batch_size: spec.training.batch_size.resolve(data.train.len()),
        epochs: if quick {
            spec.training.epochs.min(spec.quick.epochs)
        } else {
            spec.training.epochs
        },
        early_stopping: true,
        seed,
        threads: None,
    }
}

/// Runs every training of `spec` with `seed` and computes its metrics and figure data.
///
/// # Errors
/// Data that cannot be loaded, or a training that fails.
pub fn run_seed(spec: &ExperimentSpec, seed: u64, quick: bool) -> Result<SeedOutcome> {
    let data = prepare(spec, seed, quick)
        .with_context(|| format!("preparing the data of {}", spec.name))?;
    let base = base_settings(spec, &data, seed, quick);
    let mut out = SeedOutcome {
        seed,
        data_description: data.describe(),
        class_names: data.class_names.clone().unwrap_or_default(),
        ..SeedOutcome::default()
    };
    let started = Instant::now();
    if let Some(grid) = &spec.grid {
        run_grid(spec, grid, &data, &base, &mut out)?;
    } else if let Some(compare) = &spec.compare {
        let mut winner_run = None;
        let mut areas = Vec::new();
        for run in &compare.runs {
            let settings = RunSettings {
                optimizer: run.optimizer,
                early_stopping: false,
                ..base.clone()
            };
            log::debug!("{}: training with {}", spec.name, run.label);
            let trained = train_once(spec, &data, &settings)?;
            let curve: Vec<f64> = trained
                .history
                .epochs
                .iter()
                .map(|e| e.val_loss.unwrap_or(e.train_loss))
                .collect();
            let area = curve.iter().sum::<f64>() / curve.len().max(1) as f64;
            areas.push((run.label.clone(), area));
            out.comparison.push((run.label.clone(), curve));
            if run.label == compare.expected_winner {
                winner_run = Some(trained);
            }
        }
        let fastest = areas
            .iter()
            .filter(|(_, a)| a.is_finite())
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(l, _)| l.clone());
        for (label, area) in &areas {
            out.metrics.insert(
                format!("{label}_fastest"),
                f64::from(u8::from(fastest.as_deref() == Some(label.as_str()))),
            );
            out.metrics.insert(format!("{label}_mean_val_loss"), *area);
        }
        if let Some(run) = winner_run {
            finish_main_run(spec, &data, run, &mut out)?;
        }
    } else {
        let run = train_once(spec, &data, &base)?;
        finish_main_run(spec, &data, run, &mut out)?;
    }
    out.seconds = started.elapsed().as_secs_f64();
    Ok(out)
}

fn run_grid(
    spec: &ExperimentSpec,
    grid: &crate::spec::GridSpec,
    data: &PreparedData,
    base: &RunSettings,
    out: &mut SeedOutcome,
) -> Result<()> {
    let classification = is_classification(spec);
    let points = grid.expand();
    // Grid points are independent: train up to as many at once as the engine would use
    // threads, each on one thread (coarse parallelism, no synchronisation inside a step).
    // Each run is seeded by itself, so the numbers do not depend on the scheduling.
    let threads = match base.threads {
        Some(n) => n,
        None => nn_core::threads::default_threads()?,
    }
    .min(points.len())
    .max(1);
    let base = &RunSettings {
        threads: Some(1),
        ..base.clone()
    };
    let next = std::sync::atomic::AtomicUsize::new(0);
    let finished: std::sync::Mutex<Vec<GridOutcome>> = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(point) = points.get(i) else { break };
                    let result = grid_point(spec, data, base, point, classification);
                    if let Ok((value, run)) = &result {
                        log::info!(
                            "    grid {}/{} {}: {} {:.4} ({:.1}s)",
                            i + 1,
                            points.len(),
                            point.label(),
                            grid.metric,
                            value,
                            run.seconds
                        );
                    }
                    // A poisoned lock means another worker panicked; keep its partial results.
                    let mut guard = finished
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    guard.push((i, result));
                }
            });
        }
    });
    let mut finished = finished
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    finished.sort_by_key(|(i, _)| *i);
    let mut best: Option<(f64, TrainedRun)> = None;
    for (i, result) in finished {
        let (value, run) = result.with_context(|| format!("grid point {}", points[i].label()))?;
        let point = &points[i];
        let curve = if run.test_curve.is_empty() {
            run.history
                .epochs
                .iter()
                .filter_map(|e| e.val_metric)
                .collect()
        } else {
            run.test_curve.clone()
        };
        out.metrics
            .insert(grid_metric_name(&grid.metric, point), value);
        out.grid.push(GridResult {
            point: *point,
            value,
            curve,
        });
        if best.as_ref().is_none_or(|(b, _)| value > *b) {
            best = Some((value, run));
        }
    }
    if let Some((value, run)) = best {
        out.metrics.insert(format!("best_{}", grid.metric), value);
        finish_main_run(spec, data, run, out)?;
    }
    Ok(())
}

fn grid_point(
    spec: &ExperimentSpec,
    data: &PreparedData,
    base: &RunSettings,
    point: &GridPoint,
    classification: bool,
) -> Result<(f64, TrainedRun)> {
    let settings = RunSettings {
        hidden: vec![point.hidden_units; spec.model.hidden.len()],
        optimizer: with_lr(&spec.training.optimizer, point.lr),
        batch_size: point.batch_size,
        ..base.clone()
    };
    let mut run = train_once(spec, data, &settings)?;
    let pred = run
        .network
        .predict(&data.test.x, spec.model.loss.to_loss().link())?;
    let value = main_metric(classification, &pred, &data.test)?;
    Ok((value, run))
}

/// The results-file metric name of a grid row, e.g. `test_accuracy[lr=0.1 batch=32 hidden=64]`.
pub fn grid_metric_name(metric: &str, point: &GridPoint) -> String {
    format!("{metric}[{}]", point.label())
}

/// Metrics and figure data of a trained main run.
fn finish_main_run(
    spec: &ExperimentSpec,
    data: &PreparedData,
    mut run: TrainedRun,
    out: &mut SeedOutcome,
) -> Result<()> {
    let loss = spec.model.loss.to_loss();
    let net = &mut run.network;
    let m = &mut out.metrics;
    m.insert("param_count".into(), net.param_count() as f64);
    m.insert("epochs_run".into(), run.history.epochs.len() as f64);
    part_metrics(net, loss, &data.train, "train", m)?;
    if let Some(v) = &data.validation {
        part_metrics(net, loss, v, "val", m)?;
    }
    let pred = part_metrics(net, loss, &data.test, "test", m)?;
    if loss == Loss::Mse {
        let first = run.history.epochs.first().and_then(|e| e.val_loss);
        let last = run.history.epochs.last().and_then(|e| e.val_loss);
        if let (Some(first), Some(last)) = (first, last) {
            m.insert("mse_decreasing".into(), f64::from(u8::from(last < first)));
        }
        out.scatter = Some((flat(&data.test.y), flat(&pred)));
    } else {
        let truth = data.test.labels.clone().unwrap_or_default();
        let predicted = nn_train::predicted_labels(&pred, 0.5);
        let n_classes = data.class_names.as_ref().map_or(2, Vec::len);
        let cm = nn_metrics::confusion_matrix(&truth, &predicted, n_classes)?;
        out.confusion = Some(cm.counts().to_vec());
        let mut report = nn_metrics::ClassificationReport::from_confusion_matrix(&cm);
        if let Some(names) = &data.class_names {
            report = report.with_class_names(names.iter().cloned())?;
        }
        out.classification_report = Some(report.to_string());
        if loss == Loss::BinaryCrossEntropy {
            let scores = flat(&pred);
            let roc = nn_metrics::roc_curve(&truth, &scores)?;
            m.insert("test_roc_auc".into(), roc.auc());
            out.roc = Some((roc.fpr().to_vec(), roc.tpr().to_vec(), roc.auc()));
        }
        if data.n_features() == 784 {
            out.images = (0..9.min(data.test.len()))
                .map(|j| {
                    (
                        data.test_raw.column(j).iter().copied().collect(),
                        truth[j],
                        predicted[j],
                    )
                })
                .collect();
        }
        if data.n_features() == 2 {
            out.surface = Some(xor_surface(net, loss, &data.test)?);
        }
    }
    out.summary = net.summary();
    out.test_curve = std::mem::take(&mut run.test_curve);
    out.history = Some(run.history);
    Ok(())
}

fn xor_surface(net: &mut Sequential<f32>, loss: Loss, part: &Part) -> Result<SurfaceData> {
    let n = SURFACE_RESOLUTION;
    let step = 2.0 / n as f64;
    // Cell centres, rows from the bottom (y = −0.5) upwards, columns left to right.
    let mut coords = Vec::with_capacity(2 * n * n);
    for r in 0..n {
        for c in 0..n {
            coords.push((-0.5 + (c as f64 + 0.5) * step) as f32);
            coords.push((-0.5 + (r as f64 + 0.5) * step) as f32);
        }
    }
    let x = DMatrix::from_column_slice(2, n * n, &coords);
    let p = net.predict(&x, loss.link())?;
    let values: Vec<f64> = if p.nrows() == 1 {
        p.iter().map(|&v| f64::from(v)).collect()
    } else {
        p.column_iter().map(|c| f64::from(c[c.len() - 1])).collect()
    };
    let labels = part.labels.clone().unwrap_or_default();
    let points = (0..part.len())
        .map(|j| {
            (
                f64::from(part.x[(0, j)]),
                f64::from(part.x[(1, j)]),
                labels.get(j).copied().unwrap_or(0),
            )
        })
        .collect();
    Ok((values, points))
}
