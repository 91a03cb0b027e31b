//! The training-speed benchmark (`cargo xtask bench`).
//!
//! Reference workload: MNIST's 60,000 training digits, 784-128-64-10 (ReLU), softmax
//! cross-entropy on logits, Adam (lr 1e-3), f32. One epoch is the seeded shuffle, the batch
//! gathers and the forward/backward/optimizer step for every sample, the last partial batch
//! included. The batch sizes take turns, one epoch each, so that every batch size meets the
//! same minutes of a shared machine. For each batch size the benchmark prints epoch
//! seconds (median and min–max),
//! samples per second and achieved GFLOP/s, also as a share of the f32 FMA peak measured at
//! the start of the same run (`fma_peak`), then the inference time on the 10,000 test
//! digits. When a Python with PyTorch and/or NumPy is found (`$NN_PEERS_PYTHON`, else
//! `/opt/peers/bin/python`), the same workload is run by the peer scripts in
//! `crates/nn-bench/peers/` in the same run, and the ratios ours / theirs are printed. With
//! `--rounds N` all of that is repeated N times and a summary gives the median over the rounds
//! of every figure a target is judged on, and in how many rounds the target was met
//! (`rounds`). The output ends with `epoch_seconds_batch64 <median>` and, when PyTorch ran,
//! `pytorch_epoch_seconds_batch64 <median>` (medians over the rounds).

mod cpu_steal;
mod epoch_runner;
mod fma_peak;
mod peers;
mod rounds;
mod step_cost;

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Parser;
use nalgebra::DMatrix;
use nn_core::{Init, Link, Loss, Matrix, Mode, Sequential};
use nn_data::{BatchSampler, DataDir, Dataset, Mnist, fill_batch, mnist};
use nn_optim::{Adam, AdamConfig, Optimizer};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::epoch_runner::{EpochRunner, EpochTime};
use crate::rounds::RoundResult;
use crate::step_cost::StepCost;

/// Large buffers start on a cache line, so the SIMD kernels never split a load across two.
#[global_allocator]
static ALLOCATOR: nn_alloc::CacheLineAllocator = nn_alloc::CacheLineAllocator;

/// Multiply-adds per training sample of 784-128-64-10: three forward products
/// (784·128 + 128·64 + 64·10 = 109,184), three weight-gradient products (109,184) and the
/// two input-gradient products the first layer does not need (128·64 + 64·10 = 8,832).
const MACS_PER_SAMPLE: f64 = 227_200.0;

/// How much more per sample than batch 64 the other batch sizes may cost (the target:
/// at most 20 %).
const PER_SAMPLE_MARGIN: f64 = 0.20;

/// Layer sizes of the reference network.
const SIZES: [usize; 4] = [784, 128, 64, 10];

/// Command-line options.
#[derive(Debug, Parser)]
#[command(
    name = "nn-bench",
    about = "Training-speed benchmark: MNIST 784-128-64-10, Adam, one epoch per measurement"
)]
struct Args {
    /// Timed epochs per batch size (the median is reported).
    #[arg(long, default_value_t = 5)]
    epochs: usize,
    /// Batch sizes to measure (repeat the flag or separate with commas).
    #[arg(long = "batch", value_delimiter = ',', default_values_t = [32, 64, 128])]
    batches: Vec<usize>,
    /// Seed of initialisation and shuffling.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Timed epochs per batch size and thread count for each peer.
    #[arg(long, default_value_t = 3)]
    peer_epochs: usize,
    /// Do not run the PyTorch and NumPy peers.
    #[arg(long)]
    no_peers: bool,
    /// Also time the phases of a training step (gather, forward, loss, backward, optimizer)
    /// for each batch size, in one extra epoch.
    #[arg(long)]
    breakdown: bool,
    /// Repetitions of the inference pass over the 10,000 test digits.
    #[arg(long, default_value_t = 20)]
    inference_reps: usize,
    /// Worker threads of our engine (default: `NN_THREADS`, else the physical cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Repeat the whole measurement (ours, then the peers) this many times and end with the
    /// median over the rounds of each figure and how many rounds met its target.
    #[arg(long, default_value_t = 1)]
    rounds: usize,
}

/// Epoch times of one configuration: wall seconds (sorted) and, where the platform reports
/// it, the CPU seconds of the same epochs (sorted), which expose a busy machine: a
/// single-threaded run whose wall time far exceeds its CPU time was waiting for a core.
#[derive(Debug, Clone)]
struct Timing {
    seconds: Vec<f64>,
    cpu_seconds: Vec<f64>,
}

impl Timing {
    fn new(mut seconds: Vec<f64>) -> Self {
        seconds.sort_by(f64::total_cmp);
        Self {
            seconds,
            cpu_seconds: Vec::new(),
        }
    }

    fn with_cpu(mut self, mut cpu_seconds: Vec<f64>) -> Self {
        cpu_seconds.sort_by(f64::total_cmp);
        self.cpu_seconds = cpu_seconds;
        self
    }

    /// `", CPU 1.234 s"` when CPU times are known, else empty.
    fn cpu_note(&self) -> String {
        if self.cpu_seconds.is_empty() {
            String::new()
        } else {
            format!(", CPU {:.3} s", median(&self.cpu_seconds))
        }
    }

    fn median(&self) -> f64 {
        median(&self.seconds)
    }

    fn min(&self) -> f64 {
        self.seconds.first().copied().unwrap_or(f64::NAN)
    }

    fn max(&self) -> f64 {
        self.seconds.last().copied().unwrap_or(f64::NAN)
    }
}

/// Median of sorted values (NaN when empty).
fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// CPU time consumed so far by all threads of this process (Linux
/// `/proc/self/task/*/schedstat`, nanosecond resolution), or `None` where it is not available.
/// Worker threads that exited are not counted; the benchmark's pool lives for the whole run.
fn process_cpu_seconds() -> Option<f64> {
    let mut nanos = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        nanos += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(nanos as f64 * 1e-9)
}

/// The peak resident set size of this process so far (Linux `VmHWM`), in MiB.
fn peak_resident_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// The training data, one column per sample.
struct TrainData {
    x: DMatrix<f32>,
    y: DMatrix<f32>,
}

/// The reference network, seeded.
fn build_network(seed: u64) -> Result<Sequential<f32>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Ok(Sequential::<f32>::new(SIZES[0])
        .dense(SIZES[1], Init::HeNormal, &mut rng)?
        .relu()
        .dense(SIZES[2], Init::HeNormal, &mut rng)?
        .relu()
        .dense(SIZES[3], Init::XavierUniform, &mut rng)?)
}

/// Time spent per phase of the training step over one epoch.
#[derive(Debug, Default)]
struct Breakdown {
    shuffle: Duration,
    gather: Duration,
    forward: Duration,
    loss: Duration,
    backward: Duration,
    optimizer: Duration,
}

/// One epoch with each phase timed separately (the same work as [`EpochRunner::epoch`], with the
/// training pass split into its public parts).
fn breakdown_epoch(
    data: &TrainData,
    net: &mut Sequential<f32>,
    batch: usize,
    seed: u64,
) -> Result<Breakdown> {
    let mut adam = Adam::new(AdamConfig::default())?;
    let mut sampler = BatchSampler::new(data.x.ncols(), batch, seed)?;
    let mut xb = Matrix::<f32>::zeros(data.x.nrows(), batch);
    let mut yb = Matrix::<f32>::zeros(data.y.nrows(), batch);
    let mut grad = Matrix::<f32>::zeros(0, 0);
    let mut b = Breakdown::default();
    let t = Instant::now();
    let batches = sampler.epoch();
    b.shuffle += t.elapsed();
    for indices in batches {
        let t = Instant::now();
        fill_batch(&data.x, indices, &mut xb)?;
        fill_batch(&data.y, indices, &mut yb)?;
        b.gather += t.elapsed();
        let t = Instant::now();
        let output = net.forward(&xb, Mode::Train)?;
        b.forward += t.elapsed();
        let t = Instant::now();
        Loss::CrossEntropy.value_and_gradient(output, &yb, &mut grad)?;
        b.loss += t.elapsed();
        let t = Instant::now();
        net.backward(&grad)?;
        b.backward += t.elapsed();
        let t = Instant::now();
        net.with_params_mut(|p| adam.step(p))?;
        b.optimizer += t.elapsed();
    }
    Ok(b)
}

fn print_breakdown(batch: usize, b: &Breakdown) {
    let parts = [
        ("shuffle", b.shuffle),
        ("gather", b.gather),
        ("forward", b.forward),
        ("loss", b.loss),
        ("backward", b.backward),
        ("optimizer", b.optimizer),
    ];
    let total: f64 = parts.iter().map(|(_, d)| d.as_secs_f64()).sum();
    let shares: Vec<String> = parts
        .iter()
        .map(|(name, d)| {
            let s = d.as_secs_f64();
            format!("{name} {:.1} ms ({:.0} %)", s * 1e3, 100.0 * s / total)
        })
        .collect();
    println!(
        "  breakdown batch {batch:>3}: {:.3} s = {}",
        total,
        shares.join(", ")
    );
}

/// Median wall time of `reps` runs of `f`.
fn median_time(reps: usize, mut f: impl FnMut() -> Result<()>) -> Result<Timing> {
    let mut times = Vec::with_capacity(reps);
    for _ in 0..reps.max(1) {
        let start = Instant::now();
        f()?;
        times.push(start.elapsed().as_secs_f64());
    }
    Ok(Timing::new(times))
}

/// Index of the largest entry of each column.
fn argmax_columns(m: &Matrix<f32>) -> Vec<usize> {
    m.column_iter()
        .map(|c| {
            c.iter()
                .enumerate()
                .fold((0, f32::NEG_INFINITY), |best, (i, &v)| {
                    if v > best.1 { (i, v) } else { best }
                })
                .0
        })
        .collect()
}

/// The machine's load average over the last minute (Linux), to flag a busy machine.
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// What our engine's part of one round measured.
struct OursResult {
    /// Epoch timings per batch size.
    epochs: Vec<(usize, Timing)>,
    /// The mean loss of the last epoch per batch size.
    last_loss: Vec<(usize, f64)>,
    /// Median time of `predict` on the test digits.
    predict_seconds: Option<f64>,
}

/// Our engine's part of the benchmark: epochs per batch size, the step breakdown and the
/// inference timing, printed as they are measured.
fn measure_ours(
    args: &Args,
    test: &Dataset,
    train: &TrainData,
    test_labels: &[usize],
    peak_gflops: f64,
) -> Result<OursResult> {
    let n = train.x.ncols();
    let flop_per_epoch = 2.0 * MACS_PER_SAMPLE * n as f64;
    // The batch sizes take turns, one epoch each, so a slow minute of this shared machine
    // falls on all of them alike and the per-sample ratios between them stay fair.
    let mut runners = args
        .batches
        .iter()
        .map(|&batch| EpochRunner::new(train, batch, args.seed))
        .collect::<Result<Vec<_>>>()?;
    let mut epochs: Vec<Vec<EpochTime>> = args.batches.iter().map(|_| Vec::new()).collect();
    for _ in 0..args.epochs {
        for (runner, times) in runners.iter_mut().zip(&mut epochs) {
            times.push(runner.epoch(train)?);
        }
    }
    let mut ours = Vec::new();
    let mut last_loss = Vec::new();
    let mut last_net = None;
    for ((&batch, runner), times) in args.batches.iter().zip(runners).zip(epochs) {
        let last_loss_of_batch = times.last().map_or(f64::NAN, |t| t.mean_loss);
        let cpu: Option<Vec<f64>> = times.iter().map(|t| t.cpu_seconds).collect();
        let timing = Timing::new(times.iter().map(|t| t.seconds).collect());
        let timing = match cpu {
            Some(cpu) => timing.with_cpu(cpu),
            None => timing,
        };
        let median = timing.median();
        println!(
            "ours   batch {batch:>3}: epoch {median:.3} s (min {:.3}, max {:.3}, {} epochs{}), \
             {:.0} samples/s, {:.1} GFLOP/s ({:.0} % of the FMA peak), mean loss of last \
             epoch {last_loss_of_batch:.4}",
            timing.min(),
            timing.max(),
            args.epochs,
            timing.cpu_note(),
            n as f64 / median,
            flop_per_epoch / median / 1e9,
            100.0 * flop_per_epoch / median / 1e9 / peak_gflops,
        );
        if args.breakdown {
            let mut fresh = build_network(args.seed)?;
            let b = breakdown_epoch(train, &mut fresh, batch, args.seed)?;
            print_breakdown(batch, &b);
        }
        ours.push((batch, timing));
        last_loss.push((batch, last_loss_of_batch));
        last_net = Some(runner.into_network());
    }

    if let Some(reference) = ours.iter().find(|(b, _)| *b == 64).map(|(_, t)| t.median()) {
        for (batch, timing) in ours.iter().filter(|(b, _)| *b != 64) {
            println!(
                "per-sample time of batch {batch} vs batch 64: {:+.1} % (target: at most {:+.0} %)",
                100.0 * (timing.median() / reference - 1.0),
                100.0 * PER_SAMPLE_MARGIN,
            );
        }
        let at_32 = ours.iter().find(|(b, _)| *b == 32).map(|(_, t)| t.median());
        if let Some(cost) = at_32.and_then(|t| StepCost::fit(n, (32, t), (64, reference))) {
            print_step_cost(cost);
        }
    }

    let mut predict_seconds = None;
    if let Some(mut net) = last_net {
        let x_test = test.features();
        let mut accuracy = f64::NAN;
        let predict = median_time(args.inference_reps, || {
            let probabilities = net.predict(x_test, Link::Softmax)?;
            let predicted = argmax_columns(&probabilities);
            let correct = predicted
                .iter()
                .zip(test_labels)
                .filter(|(p, l)| p == l)
                .count();
            accuracy = correct as f64 / test_labels.len().max(1) as f64;
            Ok(())
        })?;
        let forward = median_time(args.inference_reps, || {
            net.forward(x_test, Mode::Eval)?;
            Ok(())
        })?;
        println!(
            "inference on {} test digits: predict (checks + softmax + argmax) {:.2} ms median \
             (min {:.2}), bare forward {:.2} ms median (min {:.2}); test accuracy {:.2} % \
             (target: under 20 ms)",
            x_test.ncols(),
            predict.median() * 1e3,
            predict.min() * 1e3,
            forward.median() * 1e3,
            forward.min() * 1e3,
            accuracy * 100.0
        );
        predict_seconds = Some(predict.median());
    }
    Ok(OursResult {
        epochs: ours,
        last_loss,
        predict_seconds,
    })
}

/// The per-sample and per-step costs fitted to batches 32 and 64, and the per-step cost the
/// batch-32 target allows at that per-sample cost.
fn print_step_cost(cost: StepCost) {
    let limit = cost
        .per_step_limit(32, 64, PER_SAMPLE_MARGIN)
        .map_or_else(String::new, |limit| {
            format!(
                "; batch 32 within {:+.0} % needs at most {:.1} µs per step ({:.0} samples' worth)",
                100.0 * PER_SAMPLE_MARGIN,
                limit * 1e6,
                limit / cost.per_sample,
            )
        });
    println!(
        "step cost fitted to batches 32 and 64: {:.2} µs per sample + {:.1} µs per step{limit}",
        cost.per_sample * 1e6,
        cost.per_step * 1e6,
    );
}

fn main() -> Result<()> {
    let args = Args::parse();
    if args.epochs == 0 || args.peer_epochs == 0 || args.rounds == 0 || args.batches.contains(&0) {
        bail!("--epochs, --peer-epochs, --rounds and every --batch must be at least 1");
    }
    let cores = nn_core::threads::physical_cores();
    let threads = match args.threads {
        Some(n) => n,
        None => nn_core::threads::default_threads()?,
    };
    let pool = nn_core::threads::thread_pool(threads)?;
    let dir = DataDir::default_location();
    let Mnist {
        train: train_set,
        test,
    } = mnist(&dir).context("loading MNIST")?;
    // Moved out rather than cloned, so the peak memory reported at the end is that of one
    // copy of the data.
    let y = train_set.one_hot(10)?;
    let train = TrainData {
        x: train_set.into_features(),
        y,
    };
    let test_labels = test.labels().unwrap_or(&[]).to_vec();
    let n = train.x.ncols();
    let flop_per_epoch = 2.0 * MACS_PER_SAMPLE * n as f64;

    println!(
        "nn-bench: MNIST train {n} samples, {}-{}-{}-{} ReLU, softmax cross-entropy, Adam lr 1e-3, f32",
        SIZES[0], SIZES[1], SIZES[2], SIZES[3]
    );
    println!(
        "threads: engine {threads} (--threads, NN_THREADS, else physical cores); machine {} logical / {cores} physical cores",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!(
        "analytic work: {:.0} FLOP per sample, {:.2} GFLOP per epoch (8 matrix products per step)",
        2.0 * MACS_PER_SAMPLE,
        flop_per_epoch / 1e9
    );
    if let Some(load) = load_average() {
        println!("load average (1 min) before the run: {load:.2}");
    }
    println!();

    let mnist_dir = dir.path("mnist");
    let setting = Setting {
        args: &args,
        test: &test,
        train: &train,
        test_labels: &test_labels,
        mnist_dir: &mnist_dir,
        threads,
        physical_cores: cores,
    };
    let mut results = Vec::with_capacity(args.rounds);
    for round in 1..=args.rounds {
        if args.rounds > 1 {
            println!("=== round {round} of {} ===", args.rounds);
        }
        results.push(run_round(&setting, &pool)?);
    }
    if args.rounds > 1 {
        print_summary(&results, &args.batches);
    }
    if let Some(load) = load_average() {
        println!("load average (1 min) after the run: {load:.2}");
    }
    if let Some(mib) = peak_resident_mib() {
        println!(
            "peak resident memory: {mib:.0} MiB (MNIST's 70,000 digits are {:.0} MiB in f32)",
            70_000.0 * 784.0 * 4.0 / (1024.0 * 1024.0)
        );
    }
    println!();
    let ours_64 = rounds::median_over_rounds(&results, 64, |r| &r.ours);
    if !ours_64.is_nan() {
        println!("epoch_seconds_batch64 {ours_64:.4}");
    }
    let pytorch_64 = rounds::median_over_rounds(&results, 64, |r| &r.pytorch);
    if !pytorch_64.is_nan() {
        println!("pytorch_epoch_seconds_batch64 {pytorch_64:.4}");
    }
    Ok(())
}

/// What every round measures with.
struct Setting<'a> {
    args: &'a Args,
    test: &'a Dataset,
    train: &'a TrainData,
    test_labels: &'a [usize],
    mnist_dir: &'a std::path::Path,
    threads: usize,
    physical_cores: usize,
}

/// One round: the machine's FMA peak now, our engine (with the hypervisor's steal time
/// meanwhile), then the peers, then the ratios ours / theirs, all printed as measured.
fn run_round(setting: &Setting<'_>, pool: &rayon::ThreadPool) -> Result<RoundResult> {
    let Setting {
        args,
        test,
        train,
        test_labels,
        mnist_dir,
        threads,
        physical_cores: cores,
    } = *setting;
    let n = train.x.ncols();
    let peak_one = fma_peak::fma_peak_gflops(1);
    let peak = if threads > 1 {
        fma_peak::fma_peak_gflops(threads)
    } else {
        peak_one
    };
    println!(
        "f32 FMA peak measured now: {peak_one:.0} GFLOP/s on 1 thread, {peak:.0} on {threads} \
         (12 independent multiply-add chains per thread)"
    );
    println!();
    let cpu_before = cpu_steal::CpuTimes::now();
    let ours = pool.install(|| {
        nn_core::threads::keep_workers_spinning(|| {
            measure_ours(args, test, train, test_labels, peak)
        })
    })?;
    if let Some(steal) = cpu_before
        .zip(cpu_steal::CpuTimes::now())
        .and_then(|(before, after)| before.steal_percent_until(after))
    {
        println!(
            "hypervisor steal during our measurements: {steal:.1} % of the machine's CPU time \
             (time the virtual cores were taken away; above a few percent, expect slow epochs)"
        );
    }
    println!();

    let peers = if args.no_peers {
        println!("peers: skipped (--no-peers)");
        Vec::new()
    } else {
        peers::run_peers(&args.batches, args.peer_epochs, mnist_dir, cores)
    };
    for p in &peers {
        println!(
            "{:<7} {} thread(s) batch {:>3}: epoch {:.3} s (min {:.3}, max {:.3}, {} epochs{}), \
             {:.0} samples/s",
            p.peer,
            p.threads,
            p.batch,
            p.timing.median(),
            p.timing.min(),
            p.timing.max(),
            p.timing.seconds.len(),
            p.timing.cpu_note(),
            n as f64 / p.timing.median()
        );
    }
    if !peers.is_empty() {
        println!();
        for (batch, timing) in &ours.epochs {
            let ours_median = timing.median();
            // The peer targets are stated for the reference workload, batch 64.
            let target = |limit: &str| {
                if *batch == 64 {
                    format!(" (target: at most {limit})")
                } else {
                    String::new()
                }
            };
            if let Some(p) = peers::best_peer(&peers, "pytorch", *batch) {
                println!(
                    "ratio ours / pytorch (best: {} thread(s)) batch {batch:>3}: {:.3}{}",
                    p.threads,
                    ours_median / p.timing.median(),
                    target("0.333")
                );
            }
            if let Some(p) = peers::best_peer(&peers, "numpy", *batch) {
                println!(
                    "ratio ours / numpy ({} thread(s)) batch {batch:>3}: {:.3}{}",
                    p.threads,
                    ours_median / p.timing.median(),
                    target("0.167")
                );
            }
        }
    }
    let best = |peer: &str| -> Vec<(usize, f64)> {
        args.batches
            .iter()
            .filter_map(|&b| Some((b, peers::best_peer(&peers, peer, b)?.timing.median())))
            .collect()
    };
    Ok(RoundResult {
        ours: ours.epochs.iter().map(|(b, t)| (*b, t.median())).collect(),
        last_loss: ours.last_loss,
        predict_seconds: ours.predict_seconds,
        pytorch: best("pytorch"),
        numpy: best("numpy"),
    })
}

/// The summary over rounds: each figure's median and per-round values, whether its target is
/// met at the median and in how many rounds, and a warning if a seeded loss changed.
fn print_summary(results: &[RoundResult], batches: &[usize]) {
    println!(
        "summary over {} rounds (each figure: the median of the rounds' values):",
        results.len()
    );
    for row in rounds::summary_rows(results, batches) {
        println!("  {}", row.line());
    }
    let differing = rounds::differing_losses(results, batches);
    if differing.is_empty() {
        println!(
            "  mean loss of the last epoch: the same in every round for every batch size (seeded)"
        );
    } else {
        println!(
            "  WARNING: the mean loss of the last epoch differed between rounds at batch {differing:?}: \
             a seeded run was not reproducible"
        );
    }
    println!();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Multiply-adds of one training step per sample, counted from the layer sizes: every
    /// layer's forward and weight-gradient products, plus the input-gradient products of all
    /// layers but the first.
    fn macs_from_sizes(sizes: &[usize]) -> usize {
        let layer_macs: Vec<usize> = sizes.windows(2).map(|w| w[0] * w[1]).collect();
        let total: usize = layer_macs.iter().sum();
        2 * total + layer_macs[1..].iter().sum::<usize>()
    }

    #[test]
    fn analytic_work_matches_the_layer_sizes() {
        assert_eq!(macs_from_sizes(&SIZES) as f64, MACS_PER_SAMPLE);
    }

    #[test]
    fn median_of_odd_even_and_empty_lists() {
        assert_eq!(Timing::new(vec![3.0, 1.0, 2.0]).median(), 2.0);
        assert_eq!(Timing::new(vec![4.0, 1.0, 2.0, 3.0]).median(), 2.5);
        assert!(Timing::new(Vec::new()).median().is_nan());
        let t = Timing::new(vec![5.0, 1.0, 3.0]);
        assert_eq!((t.min(), t.max()), (1.0, 5.0));
    }

    #[test]
    fn argmax_picks_the_largest_row_of_each_column() {
        let m = Matrix::from_column_slice(3, 2, &[0.1, 0.7, 0.2, 0.5, 0.1, 0.9]);
        assert_eq!(argmax_columns(&m), vec![1, 2]);
    }
}
