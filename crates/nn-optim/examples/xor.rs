//! XOR: the smallest complete training loop — a network, a loss on logits, an optimizer.
//!
//! ```text
//! cargo run --release -p nn-optim --example xor                 # seed 42
//! cargo run --release -p nn-optim --example xor -- --seed 7
//! cargo run --release -p nn-optim --example xor -- --study      # study 001's exact 2-4-1
//! cargo run --release -p nn-optim --example xor -- --sweep 1000 # convergence over seeds
//! ```
//!
//! Study 001 trains a 2-4-1 network (ReLU hidden layer, sigmoid output, He-normal weights)
//! with plain SGD, learning rate 0.1, for 100 epochs on the full batch of four points and
//! reports accuracy 1.00. **That setting does not converge for every seed.** Over seeds
//! 0–999 (`--sweep 1000`, with nn-core's He-normal initialisation as of this writing), 2-4-1
//! reaches accuracy 1.00 for 298 of the 1000 seeds with the study's 100 SGD epochs, and
//! training longer or switching optimizer does not fix it: 643 with 2000 SGD epochs, 605
//! with momentum 0.9 for 300 epochs, 509 with Adam (lr 0.1) for 300 epochs. With only four
//! ReLU units, many initialisations leave too few units active where they are needed, and a
//! unit inactive on all four points gets a zero gradient and never recovers: the failing
//! seeds are an initialisation and width problem, not an optimizer one.
//!
//! So by default this example keeps everything of the study except the width: **2-32-1**,
//! SGD, learning rate 0.1, 100 epochs, full batch — which reached accuracy 1.00 for all 1000
//! seeds 0–999 (its margins after 100 epochs are modest: probabilities around 0.2–0.8).
//! `--study` runs the study's exact 2-4-1 instead (seed 42 happens to converge with it;
//! seed 0 does not).

use anyhow::{Context, bail};
use nn_core::{Init, Loss, Matrix, Sequential};
use nn_optim::{AdamConfig, MomentumConfig, OptimizerConfig, SgdConfig};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// One training setting: hidden width, optimizer and number of full-batch epochs.
#[derive(Clone, Copy)]
struct Setting {
    name: &'static str,
    hidden: usize,
    optimizer: OptimizerConfig,
    epochs: usize,
}

const SGD: OptimizerConfig = OptimizerConfig::Sgd(SgdConfig { lr: 0.1 });

/// This example's default: the study's training setting with a wider hidden layer.
const DEFAULT: Setting = Setting {
    name: "2-32-1, SGD lr 0.1, 100 epochs",
    hidden: 32,
    optimizer: SGD,
    epochs: 100,
};

/// Study 001's setting exactly.
const STUDY: Setting = Setting {
    name: "2-4-1, SGD lr 0.1, 100 epochs (study 001)",
    hidden: 4,
    optimizer: SGD,
    epochs: 100,
};

/// The four XOR points, one per column, and their labels.
fn xor_data() -> (Matrix<f32>, Matrix<f32>) {
    let x = Matrix::from_column_slice(2, 4, &[0.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0]);
    let y = Matrix::from_row_slice(1, 4, &[0.0, 1.0, 1.0, 0.0]);
    (x, y)
}

/// Trains a fresh network with `setting` from `seed` and returns its probabilities for the
/// four points. `log` prints the loss every 20 epochs.
fn train(setting: Setting, seed: u64, log: bool) -> anyhow::Result<Matrix<f32>> {
    let (x, y) = xor_data();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Hidden layer with ReLU; the output layer stays linear: its logit goes to the loss,
    // which applies the sigmoid itself (stable binary cross-entropy on logits).
    let mut net = Sequential::<f32>::new(2)
        .dense(setting.hidden, Init::HeNormal, &mut rng)?
        .relu()
        .dense(1, Init::HeNormal, &mut rng)?;
    let loss = Loss::BinaryCrossEntropy;
    let mut optimizer = setting.optimizer.build::<f32>()?;

    for epoch in 0..setting.epochs {
        // Forward, loss and backward in one call: fills every parameter's gradient.
        let value = net.loss_and_backward(&x, &y, loss, None)?;
        // The optimizer updates the parameters, always passed in the same order.
        optimizer.step(&mut net.params_mut())?;
        if log && epoch % 20 == 0 {
            println!("epoch {epoch:>4}  loss {value:.4}");
        }
    }
    // Probabilities: the loss's link (sigmoid) applied to the output logits.
    Ok(net.predict(&x, loss.link())?)
}

/// Fraction of points whose probability, thresholded at 0.5, equals the label.
fn accuracy(probabilities: &Matrix<f32>, labels: &Matrix<f32>) -> f64 {
    let correct = probabilities
        .iter()
        .zip(labels.iter())
        .filter(|&(&p, &y)| (p >= 0.5) == (y == 1.0))
        .count();
    correct as f64 / labels.len() as f64
}

/// Counts, for several settings, the seeds in `0..seeds` that reach accuracy 1.00.
fn sweep(seeds: u64) -> anyhow::Result<()> {
    let adam = OptimizerConfig::Adam(AdamConfig {
        lr: 0.1,
        ..Default::default()
    });
    let momentum = OptimizerConfig::Momentum(MomentumConfig::classic(0.1, 0.9));
    let settings = [
        STUDY,
        Setting {
            name: "2-4-1, SGD lr 0.1, 2000 epochs",
            epochs: 2000,
            ..STUDY
        },
        Setting {
            name: "2-4-1, momentum 0.9 lr 0.1, 300 epochs",
            optimizer: momentum,
            epochs: 300,
            ..STUDY
        },
        Setting {
            name: "2-4-1, Adam lr 0.1, 300 epochs",
            optimizer: adam,
            epochs: 300,
            ..STUDY
        },
        DEFAULT,
    ];
    let (_, labels) = xor_data();
    for setting in settings {
        let mut failed = Vec::new();
        for seed in 0..seeds {
            if accuracy(&train(setting, seed, false)?, &labels) < 1.0 {
                failed.push(seed);
            }
        }
        let first: Vec<String> = failed.iter().take(8).map(u64::to_string).collect();
        println!(
            "{:<42} accuracy 1.00 for {:>5}/{seeds} seeds{}",
            setting.name,
            seeds - failed.len() as u64,
            if failed.is_empty() {
                String::new()
            } else {
                format!(" (fails e.g. seed {})", first.join(", "))
            }
        );
    }
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let mut seed = 42;
    let mut setting = DEFAULT;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => {
                let value = args.next().context("--seed needs a value")?;
                seed = value
                    .parse()
                    .with_context(|| format!("bad seed {value:?}"))?;
            }
            "--study" => setting = STUDY,
            "--sweep" => {
                let value = args.next().context("--sweep needs a number of seeds")?;
                let seeds = value
                    .parse()
                    .with_context(|| format!("bad count {value:?}"))?;
                return sweep(seeds);
            }
            other => bail!("unknown argument {other:?} (use --seed N, --study or --sweep N)"),
        }
    }

    println!("XOR: {}, full batch, seed {seed}", setting.name);
    let probabilities = train(setting, seed, true)?;
    let (x, labels) = xor_data();
    for (i, (p, y)) in probabilities.iter().zip(labels.iter()).enumerate() {
        println!(
            "({}, {}) -> {p:.3}  predicted {}  target {y}",
            x[(0, i)],
            x[(1, i)],
            u8::from(*p >= 0.5)
        );
    }
    let acc = accuracy(&probabilities, &labels);
    println!("accuracy: {acc:.2}");
    if acc < 1.0 {
        println!("(this seed did not converge with this setting; see the example's notes)");
    }
    Ok(())
}
