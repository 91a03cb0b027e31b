//! The first three steps of every optimizer, against values computed by hand from its
//! formulas.
//!
//! Every test uses the same tiny network: a weight `w = [1, −2]ᵀ` (2×1, `ParamKind::Weight`)
//! and a bias `b = [0.5]` (1×1, `ParamKind::Bias`), and the same three gradients
//!
//! ```text
//! step 1: ∇w = [ 0.5, −1.0], ∇b = [ 0.25]
//! step 2: ∇w = [−0.3,  0.2], ∇b = [ 0.1 ]
//! step 3: ∇w = [ 0.1,  0.4], ∇b = [−0.2 ]
//! ```
//!
//! Expected values are listed as `[w₀, w₁, b₀]` after each step. They were computed in f64
//! by evaluating the formulas written beside them element by element (a direct transcription
//! of each update rule, independent of the crate's code).

use nn_core::{Matrix, Param, ParamKind};
use nn_optim::{
    Adam, AdamConfig, AdamW, AdamWConfig, EpsilonPlacement, Momentum, MomentumConfig, MomentumForm,
    Optimizer, RmsProp, RmsPropConfig, Sgd, SgdConfig,
};

const GRADIENTS: [[f64; 3]; 3] = [[0.5, -1.0, 0.25], [-0.3, 0.2, 0.1], [0.1, 0.4, -0.2]];

/// Runs three steps and returns `[w₀, w₁, b₀]` after each.
fn three_steps(optimizer: &mut dyn Optimizer<f64>) -> Vec<[f64; 3]> {
    let mut w = Param::new(
        Matrix::from_column_slice(2, 1, &[1.0, -2.0]),
        ParamKind::Weight,
    );
    let mut b = Param::new(Matrix::from_column_slice(1, 1, &[0.5]), ParamKind::Bias);
    GRADIENTS
        .iter()
        .map(|g| {
            w.grad.copy_from_slice(&g[..2]);
            b.grad.copy_from_slice(&g[2..]);
            optimizer.step(&mut [&mut w, &mut b]).expect("valid step");
            [w.value[0], w.value[1], b.value[0]]
        })
        .collect()
}

fn assert_steps(actual: &[[f64; 3]], expected: &[[f64; 3]; 3]) {
    for (step, (a, e)) in actual.iter().zip(expected).enumerate() {
        for (i, (x, y)) in a.iter().zip(e).enumerate() {
            assert!(
                (x - y).abs() <= 1e-12,
                "step {}, element {i}: got {x:.17}, expected {y:.17}",
                step + 1
            );
        }
    }
}

#[test]
fn sgd_matches_hand_computation() {
    // W ← W − 0.1·∇
    // 1: [1, −2, 0.5] − 0.1·[0.5, −1, 0.25]      = [0.95, −1.9, 0.475]
    // 2: [0.95, −1.9, 0.475] − 0.1·[−0.3, 0.2, 0.1] = [0.98, −1.92, 0.465]
    // 3: [0.98, −1.92, 0.465] − 0.1·[0.1, 0.4, −0.2] = [0.97, −1.96, 0.485]
    let mut sgd = Sgd::new(SgdConfig { lr: 0.1 }).unwrap();
    assert_steps(
        &three_steps(&mut sgd),
        &[
            [0.95, -1.9, 0.475],
            [0.98, -1.92, 0.465],
            [0.97, -1.96, 0.485],
        ],
    );
}

#[test]
fn classic_momentum_matches_hand_computation() {
    // Study 001: v ← 0.9·v − 0.1·∇, W ← W + v
    // 1: v = [−0.05, 0.1, −0.025]      W = [0.95, −1.9, 0.475]
    // 2: v = [−0.015, 0.07, −0.0325]   W = [0.935, −1.83, 0.4425]
    // 3: v = [−0.0235, 0.023, −0.00925] W = [0.9115, −1.807, 0.43325]
    let mut opt = Momentum::new(MomentumConfig::classic(0.1, 0.9)).unwrap();
    assert_steps(
        &three_steps(&mut opt),
        &[
            [0.95, -1.9, 0.475],
            [0.935, -1.83, 0.4425],
            [0.9115, -1.807, 0.43325],
        ],
    );
}

#[test]
fn ema_momentum_matches_hand_computation() {
    // Study 003: v ← 0.9·v + 0.1·∇, W ← W − 0.1·v
    // 1: v = [0.05, −0.1, 0.025]          W = [0.995, −1.99, 0.4975]
    // 2: v = [0.015, −0.07, 0.0325]       W = [0.9935, −1.983, 0.49425]
    // 3: v = [0.0235, −0.023, 0.00925]    W = [0.99115, −1.9807, 0.493325]
    let mut opt = Momentum::new(MomentumConfig::ema(0.1, 0.9)).unwrap();
    assert_steps(
        &three_steps(&mut opt),
        &[
            [0.995, -1.99, 0.4975],
            [0.9935, -1.983, 0.49425],
            [0.99115, -1.9807, 0.493325],
        ],
    );
}

#[test]
fn nesterov_classic_matches_hand_computation() {
    // v ← 0.9·v − 0.1·∇, W ← W + 0.9·v − 0.1·∇
    // 1: v = [−0.05, 0.1, −0.025];     W += [−0.095, 0.19, −0.0475]   → [0.905, −1.81, 0.4525]
    // 2: v = [−0.015, 0.07, −0.0325];  W += [0.0165, 0.043, −0.03925] → [0.9215, −1.767, 0.41325]
    // 3: v = [−0.0235, 0.023, −0.00925]; W += [−0.03115, −0.0193, 0.011675]
    //                                                            → [0.89035, −1.7863, 0.424925]
    let mut opt = Momentum::new(MomentumConfig::nesterov(0.1, 0.9)).unwrap();
    assert_steps(
        &three_steps(&mut opt),
        &[
            [0.905, -1.81, 0.4525],
            [0.9215, -1.767, 0.41325],
            [0.89035, -1.7863, 0.424925],
        ],
    );
}

#[test]
fn nesterov_ema_matches_hand_computation() {
    // v ← 0.9·v + 0.1·∇, W ← W − 0.1·(0.9·v + 0.1·∇)
    // 1: v = [0.05, −0.1, 0.025];      W −= 0.1·[0.095, −0.19, 0.0475]   → [0.9905, −1.981, 0.49525]
    // 2: v = [0.015, −0.07, 0.0325];   W −= 0.1·[−0.0165, −0.043, 0.03925]
    //                                                          → [0.99215, −1.9767, 0.491325]
    // 3: v = [0.0235, −0.023, 0.00925]; W −= 0.1·[0.03115, 0.0193, −0.011675]
    //                                                          → [0.989035, −1.97863, 0.4924925]
    let mut opt = Momentum::new(MomentumConfig {
        lr: 0.1,
        momentum: 0.9,
        form: MomentumForm::Ema,
        nesterov: true,
    })
    .unwrap();
    assert_steps(
        &three_steps(&mut opt),
        &[
            [0.9905, -1.981, 0.49525],
            [0.99215, -1.9767, 0.491325],
            [0.989035, -1.97863, 0.4924925],
        ],
    );
}

#[test]
fn rmsprop_matches_hand_computation() {
    // s ← 0.9·s + 0.1·∇², W ← W − 0.01·∇/(√s + 1e-8)
    // 1: s = 0.1·[0.25, 1, 0.0625] = [0.025, 0.1, 0.00625]
    //    W = [1 − 0.005/√0.025, −2 + 0.01/√0.1, 0.5 − 0.0025/√0.00625] (each √s + 1e-8)
    // 2: s = [0.0225 + 0.009, 0.09 + 0.004, 0.005625 + 0.001] = [0.0315, 0.094, 0.006625]
    //    W −= 0.01·[−0.3/√0.0315, 0.2/√0.094, 0.1/√0.006625]
    // 3: s = [0.02835 + 0.001, 0.0846 + 0.016, 0.0059625 + 0.004]
    //    W −= 0.01·[0.1/√0.02935, 0.4/√0.1006, −0.2/√0.0099625]
    let mut opt = RmsProp::new(RmsPropConfig {
        lr: 0.01,
        rho: 0.9,
        epsilon: 1e-8,
        epsilon_placement: EpsilonPlacement::OutsideSqrt,
    })
    .unwrap();
    assert_steps(
        &three_steps(&mut opt),
        &[
            [0.968377225398316, -1.9683772243983162, 0.46837722739831567],
            [0.9852803095405055, -1.9749005049160846, 0.45609132657107043],
            [0.9794432258270432, -1.987511837740859, 0.4761289303629674],
        ],
    );
}

#[test]
fn rmsprop_with_epsilon_inside_sqrt_matches_hand_computation() {
    // Study 001's equation 20 with a large ε to make the placement visible:
    // s as in `rmsprop_matches_hand_computation`, W ← W − 0.01·∇/√(s + 1e-3)
    // 1: W = [1 − 0.005/√0.026, −2 + 0.01/√0.101, 0.5 − 0.0025/√0.00725]
    // 2: W −= 0.01·[−0.3/√0.0325, 0.2/√0.095, 0.1/√0.007625]
    // 3: W −= 0.01·[0.1/√0.03035, 0.4/√0.1016, −0.2/√0.0109625]
    let mut opt = RmsProp::new(RmsPropConfig {
        lr: 0.01,
        rho: 0.9,
        epsilon: 1e-3,
        epsilon_placement: EpsilonPlacement::InsideSqrt,
    })
    .unwrap();
    assert_steps(
        &three_steps(&mut opt),
        &[
            [0.9689913163526979, -1.9685341612236225, 0.4706389890242648],
            [0.9856323222394547, -1.975023018068853, 0.45918702233798747],
            [0.9798922064601518, -1.9875721341716162, 0.4782888618740166],
        ],
    );
}

#[test]
fn adam_matches_hand_computation() {
    // m ← 0.9·m + 0.1·∇, v ← 0.999·v + 0.001·∇², m̂ = m/(1 − 0.9ᵗ), v̂ = v/(1 − 0.999ᵗ),
    // W ← W − 0.01·m̂/(√v̂ + 1e-8)
    // 1: m̂ = ∇, v̂ = ∇² → W −= 0.01·∇/(|∇| + 1e-8)
    //    = [1 − 0.01·0.5/0.50000001, −2 + 0.01·1/1.00000001, 0.5 − 0.01·0.25/0.25000001]
    // 2: m = [0.045 − 0.03, −0.09 + 0.02, 0.0225 + 0.01],      m̂ = m/0.19
    //    v = [0.00024975 + 0.00009, 0.000999 + 0.00004, 0.0000624375 + 0.00001], v̂ = v/0.001999
    // 3: m = 0.9·m + 0.1·[0.1, 0.4, −0.2], m̂ = m/0.271
    //    v = 0.999·v + 0.001·[0.01, 0.16, 0.04], v̂ = v/0.002997001
    let mut opt = Adam::new(AdamConfig {
        lr: 0.01,
        ..Default::default()
    })
    .unwrap();
    assert_steps(
        &three_steps(&mut opt),
        &[
            [0.9900000002, -1.9900000001, 0.49000000039999997],
            [0.9880850198941775, -1.9848897393990494, 0.48101424882631294],
            [0.9855453680616368, -1.9835473434208155, 0.4792514603023602],
        ],
    );
}

#[test]
fn adam_with_epsilon_inside_sqrt_matches_hand_computation() {
    // Studies 001 (eq. 25) and 003: W ← W − 0.01·m̂/√(v̂ + ε), here with ε = 1e-3.
    // m̂, v̂ as in `adam_matches_hand_computation`.
    // 1: W −= 0.01·∇/√(∇² + 1e-3) = 0.01·[0.5/√0.251, −1/√1.001, 0.25/√0.0635]
    // 2: W −= 0.01·m̂/√(v̂ + 1e-3), 3: likewise.
    let mut opt = Adam::new(AdamConfig {
        lr: 0.01,
        epsilon: 1e-3,
        epsilon_placement: EpsilonPlacement::InsideSqrt,
        ..Default::default()
    })
    .unwrap();
    assert_steps(
        &three_steps(&mut opt),
        &[
            [0.9900199401993025, -1.9900049962531223, 0.49007905262334317],
            [0.9881105687296076, -1.9848996443813387, 0.48121477835855153],
            [0.9855817389480407, -1.9835589244085299, 0.4794750382421163],
        ],
    );
}

#[test]
fn adamw_matches_hand_computation_and_leaves_biases_undecayed() {
    // W ← W − 0.01·(m̂/(√v̂ + 1e-8) + 0.1·W) for the weight, Adam's update for the bias.
    // 1: w = [1 − 0.01·(0.5/0.50000001 + 0.1), −2 − 0.01·(−1/1.00000001 − 0.2)]
    //      = [0.9890000002, −1.9880000001]; b as Adam: 0.49000000039999997
    // 2, 3: the Adam step of `adam_matches_hand_computation` minus 0.001·w (w before the step);
    //      the bias equals Adam's exactly.
    let mut opt = AdamW::new(AdamWConfig {
        lr: 0.01,
        weight_decay: 0.1,
        ..Default::default()
    })
    .unwrap();
    assert_steps(
        &three_steps(&mut opt),
        &[
            [0.9890000002, -1.9880000001, 0.49000000039999997],
            [0.9860960198939775, -1.9809017393989494, 0.48101424882631294],
            [0.9825702720415429, -1.9775784416813167, 0.4792514603023602],
        ],
    );
}

#[test]
fn adamw_without_decay_is_bit_identical_to_adam() {
    let mut adam = Adam::new(AdamConfig::default()).unwrap();
    let mut adamw = AdamW::new(AdamWConfig {
        weight_decay: 0.0,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(three_steps(&mut adam), three_steps(&mut adamw));
}

#[test]
fn f32_steps_agree_with_f64_to_single_precision() {
    let mut w32 = Param::new(
        Matrix::from_column_slice(2, 1, &[1.0_f32, -2.0]),
        ParamKind::Weight,
    );
    let mut opt32 = Adam::<f32>::new(AdamConfig {
        lr: 0.01,
        ..Default::default()
    })
    .unwrap();
    let mut opt64 = Adam::<f64>::new(AdamConfig {
        lr: 0.01,
        ..Default::default()
    })
    .unwrap();
    let expected = three_steps(&mut opt64);
    for (g, e) in GRADIENTS.iter().zip(&expected) {
        w32.grad.copy_from_slice(&[g[0] as f32, g[1] as f32]);
        opt32.step(&mut [&mut w32]).unwrap();
        assert!((f64::from(w32.value[0]) - e[0]).abs() < 1e-6);
        assert!((f64::from(w32.value[1]) - e[1]).abs() < 1e-6);
    }
}
