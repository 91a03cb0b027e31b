//! Finite-difference checks of every activation, loss, L2 and dropout on random networks.
//!
//! Pre-activations are kept away from the ReLU kink by construction: after each dense layer the
//! bias of every unit is shifted so that zero lies in the middle of the widest gap between that
//! unit's pre-activations over the batch, so no finite-difference step can cross it.

use nn_core::{Activation, Dense, Init, Loss, Matrix, Mode, Sequential, gradcheck};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Normal, Uniform};

const TOLERANCE: f64 = 1e-6;
const ALL_LOSSES: [Loss; 4] = [
    Loss::Mse,
    Loss::Mae,
    Loss::BinaryCrossEntropy,
    Loss::CrossEntropy,
];

fn random_matrix(rows: usize, cols: usize, rng: &mut ChaCha8Rng) -> Matrix<f64> {
    let normal = Normal::new(0.0, 1.0).unwrap();
    Matrix::from_fn(rows, cols, |_, _| normal.sample(rng))
}

/// Bias shift placing zero in the widest gap of `values` (or below all of them).
fn kink_free_shift(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mut best = (f64::NEG_INFINITY, 0.0);
    for pair in values.windows(2) {
        let gap = pair[1] - pair[0];
        if gap > best.0 {
            best = (gap, -(pair[0] + pair[1]) / 2.0);
        }
    }
    if best.0 > 0.2 {
        best.1
    } else {
        // Everything positive, at least 0.5 above the kink.
        0.5 - values[0]
    }
}

/// Dense layers of the given sizes with `act` after every hidden one, biases shifted away from
/// the kink for the batch `x`.
fn network(
    sizes: &[usize],
    act: Activation,
    x: &Matrix<f64>,
    rng: &mut ChaCha8Rng,
) -> Sequential<f64> {
    let mut net = Sequential::<f64>::new(sizes[0]);
    for (i, window) in sizes.windows(2).enumerate() {
        let dense = Dense::<f64>::new(window[0], window[1], Init::XavierNormal, rng).unwrap();
        let w = dense.weight().value.clone();
        let mut bias = random_matrix(window[1], 1, rng) * 0.1;
        let hidden = i + 2 < sizes.len();
        if hidden {
            let h = net.forward(x, Mode::Eval).unwrap().clone();
            let z = &w * &h;
            for unit in 0..window[1] {
                let mut row: Vec<f64> = z.row(unit).iter().copied().collect();
                bias[unit] = kink_free_shift(&mut row);
            }
        }
        net = net.push(Dense::from_weights(w, bias).unwrap()).unwrap();
        if hidden {
            net = net.activation(act).unwrap();
        }
    }
    net
}

/// Targets suited to `loss` for the outputs `out` of the network.
fn targets(loss: Loss, out: &Matrix<f64>, rng: &mut ChaCha8Rng) -> Matrix<f64> {
    let (rows, cols) = out.shape();
    let unit = Uniform::new(0.0, 1.0).unwrap();
    match loss {
        Loss::Mse => random_matrix(rows, cols, rng),
        // |ŷ − y| ≥ 0.1 by construction: MAE's kink is never crossed.
        Loss::Mae => out.map(|o| {
            let u: f64 = unit.sample(rng);
            if u < 0.5 { o + 0.1 + u } else { o - 0.1 - u }
        }),
        Loss::BinaryCrossEntropy => Matrix::from_fn(rows, cols, |_, _| unit.sample(rng)),
        Loss::CrossEntropy => {
            let mut y = Matrix::zeros(rows, cols);
            for j in 0..cols {
                let class = (unit.sample(rng) * rows as f64) as usize;
                y[(class.min(rows - 1), j)] = 1.0;
            }
            y
        }
    }
}

fn check_all_losses(
    sizes: &[usize],
    batch: usize,
    act: Activation,
    seed: u64,
    l2: Option<f64>,
) -> Result<(), TestCaseError> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = random_matrix(sizes[0], batch, &mut rng);
    let mut net = network(sizes, act, &x, &mut rng);
    let out = net.forward(&x, Mode::Eval).unwrap().clone();
    for loss in ALL_LOSSES {
        let y = targets(loss, &out, &mut rng);
        let report = gradcheck(&net, &x, &y, loss, l2).unwrap();
        prop_assert_eq!(report.params.len(), 2 * (sizes.len() - 1));
        let worst = report.worst_relative_error();
        prop_assert!(
            worst < TOLERANCE,
            "{:?} with {:?}: worst relative error {:e}\n{:#?}",
            act,
            loss,
            worst,
            report
        );
    }
    Ok(())
}

/// A case proptest found (in a CI run) where the three-point central difference's
/// truncation error, about `h²·f‴/6`, reached 3.8·10⁻⁶ of a small bias gradient: the check
/// now uses the five-point stencil, whose error is `O(h⁴)`.
#[test]
fn tanh_small_gradients_are_checked_to_the_tolerance() {
    let seed = 16_834_814_025_080_754_760;
    check_all_losses(&[3, 3, 4, 1], 1, Activation::Tanh, seed, None).unwrap();
}

fn sizes() -> impl Strategy<Value = Vec<usize>> {
    (1usize..6, 1usize..7, prop::option::of(1usize..6), 1usize..5).prop_map(
        |(input, hidden, second, output)| {
            let mut s = vec![input, hidden];
            s.extend(second);
            s.push(output);
            s
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn identity_all_losses(sizes in sizes(), batch in 1usize..6, seed in any::<u64>()) {
        check_all_losses(&sizes, batch, Activation::Identity, seed, None)?;
    }

    #[test]
    fn relu_all_losses(sizes in sizes(), batch in 1usize..6, seed in any::<u64>()) {
        check_all_losses(&sizes, batch, Activation::Relu, seed, None)?;
    }

    #[test]
    fn leaky_relu_all_losses(
        sizes in sizes(), batch in 1usize..6, seed in any::<u64>(), alpha in 0.0f64..0.5,
    ) {
        check_all_losses(&sizes, batch, Activation::LeakyRelu { alpha }, seed, None)?;
    }

    #[test]
    fn sigmoid_all_losses(sizes in sizes(), batch in 1usize..6, seed in any::<u64>()) {
        check_all_losses(&sizes, batch, Activation::Sigmoid, seed, None)?;
    }

    #[test]
    fn tanh_all_losses(sizes in sizes(), batch in 1usize..6, seed in any::<u64>()) {
        check_all_losses(&sizes, batch, Activation::Tanh, seed, None)?;
    }

    #[test]
    fn softmax_layer_all_losses(sizes in sizes(), batch in 1usize..6, seed in any::<u64>()) {
        check_all_losses(&sizes, batch, Activation::Softmax, seed, None)?;
    }

    #[test]
    fn l2_regularisation(
        sizes in sizes(), batch in 1usize..6, seed in any::<u64>(), lambda in 0.001f64..2.0,
    ) {
        check_all_losses(&sizes, batch, Activation::Tanh, seed, Some(lambda))?;
        check_all_losses(&sizes, batch, Activation::Relu, seed, Some(lambda))?;
    }

    #[test]
    fn dropout_with_fixed_mask(
        input in 1usize..5, hidden in 1usize..7, output in 1usize..4, batch in 1usize..6,
        p in 0.05f64..0.8, seed in any::<u64>(),
    ) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let x = random_matrix(input, batch, &mut rng);
        let net = network(&[input, hidden, output], Activation::Tanh, &x, &mut rng);
        // Insert dropout between the hidden activation and the output layer.
        let layers = net.layers().to_vec();
        let mut with_dropout = Sequential::<f64>::new(input);
        for (i, layer) in layers.into_iter().enumerate() {
            with_dropout.add(layer).unwrap();
            if i == 1 {
                with_dropout = with_dropout.dropout(p, seed).unwrap();
            }
        }
        let unit = Uniform::new(0.0, 1.0).unwrap();
        let keep = Matrix::from_fn(hidden, batch, |_, _| f64::from(u8::from(unit.sample(&mut rng) > p)));
        if let Some(nn_core::LayerMut::Dropout(d)) = with_dropout.layer_mut(2) {
            d.fix_mask(&keep);
        } else {
            prop_assert!(false, "layer 2 should be dropout");
        }
        let out = with_dropout.forward(&x, Mode::Train).unwrap().clone();
        for loss in ALL_LOSSES {
            let y = targets(loss, &out, &mut rng);
            let report = gradcheck(&with_dropout, &x, &y, loss, Some(0.1)).unwrap();
            prop_assert!(report.worst_relative_error() < TOLERANCE, "{:?}: {:#?}", loss, report);
        }
    }
}
