//! An optimizer serialised mid-training and restored continues exactly as an uninterrupted
//! run: same parameters bit for bit, through JSON and through bincode.

use nn_core::{Float, Matrix, Param, ParamKind};
use nn_optim::{AdamConfig, AnyOptimizer, MomentumConfig, Optimizer, OptimizerConfig, SgdConfig};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

mod common;
use common::all_configs;

const STEPS: usize = 12;
const INTERRUPT_AFTER: usize = 5;

/// A small two-layer parameter set (weights 4×3 and 2×4 with their biases).
fn network<T: Float>() -> Vec<Param<T>> {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    [
        (4, 3, ParamKind::Weight),
        (4, 1, ParamKind::Bias),
        (2, 4, ParamKind::Weight),
        (2, 1, ParamKind::Bias),
    ]
    .into_iter()
    .map(|(r, c, kind)| {
        Param::new(
            Matrix::from_fn(r, c, |_, _| T::cast(rng.random_range(-1.0..1.0))),
            kind,
        )
    })
    .collect()
}

/// A deterministic gradient for `step`: it depends on the current values, like a real
/// gradient, so any difference in state shows up in later steps.
fn fill_gradients<T: Float>(params: &mut [Param<T>], step: usize) {
    let phase = T::cast(step as f64 * 0.37);
    for p in params.iter_mut() {
        for (g, &w) in p.grad.iter_mut().zip(p.value.iter()) {
            *g = w * T::cast(0.5) + (w * T::cast(3.0) + phase).sin();
        }
    }
}

fn step_all<T: Float>(optimizer: &mut AnyOptimizer<T>, params: &mut [Param<T>], step: usize) {
    fill_gradients(params, step);
    let mut refs: Vec<&mut Param<T>> = params.iter_mut().collect();
    optimizer.step(&mut refs).unwrap();
}

fn uninterrupted<T: Float>(config: &OptimizerConfig) -> Vec<Param<T>> {
    let mut params = network::<T>();
    let mut opt = config.build_any::<T>().unwrap();
    for step in 0..STEPS {
        step_all(&mut opt, &mut params, step);
    }
    params
}

fn resumed<T: Float>(
    config: &OptimizerConfig,
    round_trip: impl Fn(&AnyOptimizer<T>, &[Param<T>]) -> (AnyOptimizer<T>, Vec<Param<T>>),
) -> Vec<Param<T>> {
    let mut params = network::<T>();
    let mut opt = config.build_any::<T>().unwrap();
    for step in 0..INTERRUPT_AFTER {
        step_all(&mut opt, &mut params, step);
    }
    let (mut opt, mut params) = round_trip(&opt, &params);
    assert_eq!(opt.steps_taken(), INTERRUPT_AFTER as u64);
    for step in INTERRUPT_AFTER..STEPS {
        step_all(&mut opt, &mut params, step);
    }
    params
}

fn via_json<T: Float>(
    opt: &AnyOptimizer<T>,
    params: &[Param<T>],
) -> (AnyOptimizer<T>, Vec<Param<T>>) {
    let text = serde_json::to_string(&(opt, params)).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn via_bincode<T: Float>(
    opt: &AnyOptimizer<T>,
    params: &[Param<T>],
) -> (AnyOptimizer<T>, Vec<Param<T>>) {
    let config = bincode::config::standard();
    let bytes = bincode::serde::encode_to_vec((opt, params), config).unwrap();
    let (decoded, read) = bincode::serde::decode_from_slice(&bytes, config).unwrap();
    assert_eq!(read, bytes.len());
    decoded
}

fn check<T: Float>() {
    for config in all_configs() {
        let expected = uninterrupted::<T>(&config);
        assert_ne!(
            expected,
            network::<T>(),
            "{}: training changed nothing",
            config.name()
        );
        for (format, got) in [
            ("json", resumed::<T>(&config, via_json)),
            ("bincode", resumed::<T>(&config, via_bincode)),
        ] {
            // Bit for bit: `Param`'s equality compares every element exactly.
            assert_eq!(got, expected, "{} resumed through {format}", config.name());
        }
    }
}

#[test]
fn resumed_training_is_bit_identical_in_f32() {
    check::<f32>();
}

#[test]
fn resumed_training_is_bit_identical_in_f64() {
    check::<f64>();
}

#[test]
fn a_restored_optimizer_without_its_state_would_differ() {
    // Guards the test above: losing the state (a fresh optimizer at the interruption) must
    // change the result, so bit-identity really comes from the saved state.
    for config in all_configs().into_iter().filter(|c| c.name() != "sgd") {
        let expected = uninterrupted::<f64>(&config);
        let fresh = resumed::<f64>(&config, |opt, params| {
            let mut fresh = opt.config().build_any::<f64>().unwrap();
            // Keep the step count right for the assertion inside `resumed`.
            let mut scratch = network::<f64>();
            for step in 0..INTERRUPT_AFTER {
                step_all(&mut fresh, &mut scratch, step + 100);
            }
            (fresh, params.to_vec())
        });
        assert_ne!(fresh, expected, "{}", config.name());
    }
}

/// An optimizer in a binary checkpoint, its state per parameter being `Some` list of buffers.
type Buffers = Option<Vec<Matrix<f64>>>;

fn bincode_after_steps(config: OptimizerConfig) -> Vec<u8> {
    let mut opt = config.build_any::<f64>().unwrap();
    let mut params = network::<f64>();
    for step in 0..3 {
        step_all(&mut opt, &mut params, step);
    }
    bincode::serde::encode_to_vec(&opt, bincode::config::standard()).unwrap()
}

fn decode_exactly<D: serde::de::DeserializeOwned>(bytes: &[u8]) -> D {
    let (decoded, read) =
        bincode::serde::decode_from_slice(bytes, bincode::config::standard()).unwrap();
    assert_eq!(read, bytes.len(), "bytes left over");
    decoded
}

#[test]
fn a_binary_checkpoint_holds_the_variant_config_buffers_and_step_count() {
    // The layout of the checkpoints already written: the variant's index, the configuration,
    // each state's buffers (none for SGD, a velocity, Adam's two moments) and the step count.
    let sgd = SgdConfig { lr: 0.05 };
    let (variant, config, steps): (u32, SgdConfig, u64) =
        decode_exactly(&bincode_after_steps(OptimizerConfig::Sgd(sgd)));
    assert_eq!((variant, config, steps), (0, sgd, 3));

    let momentum = MomentumConfig::nesterov(0.05, 0.8);
    let (variant, config, velocity, steps): (u32, MomentumConfig, Buffers, u64) =
        decode_exactly(&bincode_after_steps(OptimizerConfig::Momentum(momentum)));
    assert_eq!((variant, config, steps), (1, momentum, 3));
    let shapes: Vec<_> = velocity.unwrap().iter().map(|v| v.shape()).collect();
    assert_eq!(shapes, [(4, 3), (4, 1), (2, 4), (2, 1)]);

    let adam = AdamConfig::default();
    let (variant, config, first, second, steps): (u32, AdamConfig, Buffers, Buffers, u64) =
        decode_exactly(&bincode_after_steps(OptimizerConfig::Adam(adam)));
    assert_eq!((variant, config, steps), (3, adam, 3));
    let (first, second) = (first.unwrap(), second.unwrap());
    assert_eq!((first.len(), second.len()), (4, 4));
    // The second moment is a mean of squares, the first one of gradients of either sign.
    assert!(second.iter().flatten().all(|v| *v > 0.0));
    assert!(first.iter().flatten().any(|m| *m < 0.0));
}
