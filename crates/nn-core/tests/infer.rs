//! `Sequential::infer` (through a shared reference) against the buffered `predict`, bit for
//! bit, on random networks: every activation, dropout, narrow and wide (two-halves) dense
//! layers, one to three threads, and inputs with non-finite values.

use nn_core::{Activation, Init, Link, Matrix, Mode, Sequential, threads};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal};

const ACTIVATIONS: [Activation; 6] = [
    Activation::Identity,
    Activation::Relu,
    Activation::LeakyRelu { alpha: 0.1 },
    Activation::Sigmoid,
    Activation::Tanh,
    Activation::Softmax,
];

/// One hidden stage of a random network: its width, activation and dropout probability.
#[derive(Clone, Debug)]
struct Stage {
    width: usize,
    activation: Activation,
    dropout: Option<f64>,
}

fn stage() -> impl Strategy<Value = Stage> {
    (
        1usize..40,
        0..ACTIVATIONS.len(),
        prop::option::of(0.0f64..0.9),
    )
        .prop_map(|(width, activation, dropout)| Stage {
            width,
            activation: ACTIVATIONS[activation],
            dropout,
        })
}

/// A network on `inputs` features: the stages, then a dense output layer of `outputs`.
fn network(inputs: usize, stages: &[Stage], outputs: usize, seed: u64) -> Sequential<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut net = Sequential::<f32>::new(inputs);
    for (i, stage) in stages.iter().enumerate() {
        net = net.dense(stage.width, Init::HeNormal, &mut rng).unwrap();
        net = net.activation(stage.activation).unwrap();
        if let Some(p) = stage.dropout {
            net = net.dropout(p, seed + i as u64).unwrap();
        }
    }
    net.dense(outputs, Init::XavierUniform, &mut rng).unwrap()
}

fn random_input(rows: usize, cols: usize, seed: u64) -> Matrix<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed);
    let normal = Normal::new(0.0f32, 1.5).unwrap();
    Matrix::from_fn(rows, cols, |_, _| normal.sample(&mut rng))
}

fn bits(m: &Matrix<f32>) -> Vec<u32> {
    m.iter().map(|v| v.to_bits()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn infer_is_predict_bit_for_bit(
        wide in any::<bool>(),
        narrow_inputs in 1usize..40,
        stages in prop::collection::vec(stage(), 0..4),
        outputs in 1usize..6,
        batch in 1usize..70,
        threads in 1usize..4,
        seed in any::<u64>(),
        poison in prop::option::of((0usize..1000, 0usize..3)),
    ) {
        // From 256 inputs the first layer sums over two halves of them.
        let inputs = if wide { 256 + narrow_inputs * 3 } else { narrow_inputs };
        let mut net = network(inputs, &stages, outputs, seed);
        let mut x = random_input(inputs, batch, seed);
        if let Some((at, kind)) = poison {
            let value = [f32::NAN, f32::INFINITY, f32::NEG_INFINITY][kind];
            let len = x.len();
            x.as_mut_slice()[at % len] = value;
        }
        // The buffered path's layers hold a training pass of another batch: `infer` must not
        // depend on them, nor change them.
        let other = random_input(inputs, batch + 3, seed.wrapping_add(1));
        net.forward(&other, Mode::Train).unwrap();
        let shared = net.clone();
        let pool = threads::thread_pool(threads).unwrap();
        for link in [Link::Identity, Link::Sigmoid, Link::Softmax] {
            let (inferred, predicted) =
                pool.install(|| (shared.infer(&x, link), net.predict(&x, link)));
            match (inferred, predicted) {
                (Ok(a), Ok(b)) => {
                    prop_assert_eq!(a.shape(), b.shape());
                    prop_assert!(bits(&a) == bits(&b), "{:?} on {} thread(s)", link, threads);
                }
                (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
                (a, b) => prop_assert!(false, "infer {:?} but predict {:?}", a, b),
            }
        }
        // Inference left every dropout stream where it was.
        let states = |n: &Sequential<f32>| -> Vec<_> {
            n.layers().iter().filter_map(|l| match l {
                nn_core::LayerNode::Dropout(d) => Some(d.state()),
                _ => None,
            }).collect()
        };
        prop_assert_eq!(states(&shared), states(&net));
    }
}

#[test]
fn infer_checks_the_input_as_predict_does() {
    let mut net = network(
        3,
        &[Stage {
            width: 4,
            activation: Activation::Relu,
            dropout: None,
        }],
        2,
        1,
    );
    let wrong = Matrix::<f32>::zeros(5, 2);
    let a = net.infer(&wrong, Link::Identity).unwrap_err();
    let b = net.predict(&wrong, Link::Identity).unwrap_err();
    assert_eq!(a.to_string(), b.to_string());
    assert!(a.to_string().contains('5'), "{a}");
    // A network with no layers passes its input through the link.
    let empty = Sequential::<f32>::new(2);
    let x = Matrix::from_column_slice(2, 1, &[1.0f32, 3.0]);
    assert_eq!(
        empty.infer(&x, Link::Softmax).unwrap(),
        Link::Softmax.apply(&x)
    );
}
