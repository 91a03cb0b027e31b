//! Every optimizer fits a small least-squares problem with a known exact solution.
//!
//! The model is one dense unit, `ŷ = W·x + b` with `W` 1×3 and `b` 1×1, on eight inputs
//! (columns of `X`, 3×8) whose targets come from `W* = [1, −2, 0.5]`, `b* = 0.3` exactly, so the
//! minimum of the mean squared error `L = Σ (ŷ − y)² / (2·8)` is 0 at `(W*, b*)`. The gradients
//! are written out by hand: with residuals `r = ŷ − y` (1×8), `∂L/∂W = r·Xᵀ / 8` and
//! `∂L/∂b = Σ r / 8`.

use nn_core::{Matrix, Param, ParamKind};
use nn_optim::{
    Adam, AdamConfig, AdamW, AdamWConfig, EpsilonPlacement, LrSchedule, Momentum, MomentumConfig,
    MomentumForm, Optimizer, RmsProp, RmsPropConfig, Sgd, SgdConfig,
};

const W_STAR: [f64; 3] = [1.0, -2.0, 0.5];
const B_STAR: f64 = 0.3;

fn inputs() -> Matrix<f64> {
    // Eight well-spread points (columns), so the problem is well conditioned.
    Matrix::from_column_slice(
        3,
        8,
        &[
            1.0, 0.0, 0.5, //
            0.0, 1.0, -0.5, //
            -1.0, 0.5, 1.0, //
            0.5, -1.0, 0.0, //
            1.0, 1.0, 1.0, //
            -0.5, -0.5, 0.5, //
            0.0, 0.0, -1.0, //
            0.8, -0.3, 0.2, //
        ],
    )
}

/// Trains for `epochs` full-batch steps, setting the learning rate from `schedule` each step,
/// and returns the final `[W₀, W₁, W₂, b]`.
fn fit(optimizer: &mut dyn Optimizer<f64>, schedule: LrSchedule, epochs: usize) -> [f64; 4] {
    let x = inputs();
    let w_star = Matrix::from_row_slice(1, 3, &W_STAR);
    let y = &w_star * &x + Matrix::from_element(1, 8, B_STAR);
    let mut w = Param::new(Matrix::zeros(1, 3), ParamKind::Weight);
    let mut b = Param::new(Matrix::zeros(1, 1), ParamKind::Bias);
    let base_lr = optimizer.learning_rate();
    let n = x.ncols() as f64;
    for epoch in 0..epochs {
        schedule.apply(optimizer, base_lr, epoch);
        let residual = &w.value * &x + Matrix::from_element(1, 8, b.value[0]) - &y;
        w.grad = &residual * x.transpose() / n;
        b.grad[0] = residual.sum() / n;
        optimizer.step(&mut [&mut w, &mut b]).unwrap();
    }
    [w.value[0], w.value[1], w.value[2], b.value[0]]
}

fn assert_solution(found: [f64; 4], tolerance: f64) {
    let expected = [W_STAR[0], W_STAR[1], W_STAR[2], B_STAR];
    let error = found
        .iter()
        .zip(&expected)
        .map(|(f, e)| (f - e).abs())
        .fold(0.0, f64::max);
    assert!(
        error <= tolerance,
        "found {found:?}, expected {expected:?} (max error {error:e} > {tolerance:e})"
    );
}

#[test]
fn sgd_converges() {
    let mut opt = Sgd::new(SgdConfig { lr: 0.5 }).unwrap();
    assert_solution(fit(&mut opt, LrSchedule::Constant, 2000), 1e-9);
}

#[test]
fn classic_momentum_converges() {
    let mut opt = Momentum::new(MomentumConfig::classic(0.1, 0.9)).unwrap();
    assert_solution(fit(&mut opt, LrSchedule::Constant, 1000), 1e-9);
}

#[test]
fn ema_momentum_converges() {
    let mut opt = Momentum::new(MomentumConfig::ema(0.5, 0.9)).unwrap();
    assert_solution(fit(&mut opt, LrSchedule::Constant, 1000), 1e-9);
}

#[test]
fn nesterov_momentum_converges_in_both_forms() {
    let mut classic = Momentum::new(MomentumConfig::nesterov(0.1, 0.9)).unwrap();
    assert_solution(fit(&mut classic, LrSchedule::Constant, 1000), 1e-9);
    let mut ema = Momentum::new(MomentumConfig {
        lr: 0.5,
        momentum: 0.9,
        form: MomentumForm::Ema,
        nesterov: true,
    })
    .unwrap();
    assert_solution(fit(&mut ema, LrSchedule::Constant, 1000), 1e-9);
}

#[test]
fn rmsprop_converges() {
    let mut opt = RmsProp::new(RmsPropConfig {
        lr: 0.01,
        ..Default::default()
    })
    .unwrap();
    let schedule = LrSchedule::Cosine {
        min_lr: 0.0,
        epochs: 3000,
    };
    assert_solution(fit(&mut opt, schedule, 3000), 1e-9);
}

#[test]
fn rmsprop_with_epsilon_inside_sqrt_converges() {
    let mut opt = RmsProp::new(RmsPropConfig {
        lr: 0.01,
        epsilon_placement: EpsilonPlacement::InsideSqrt,
        ..Default::default()
    })
    .unwrap();
    let schedule = LrSchedule::Cosine {
        min_lr: 0.0,
        epochs: 3000,
    };
    assert_solution(fit(&mut opt, schedule, 3000), 1e-9);
}

#[test]
fn adam_converges() {
    let mut opt = Adam::new(AdamConfig {
        lr: 0.05,
        ..Default::default()
    })
    .unwrap();
    assert_solution(fit(&mut opt, LrSchedule::Constant, 3000), 1e-9);
}

#[test]
fn adam_with_epsilon_inside_sqrt_converges() {
    let mut opt = Adam::new(AdamConfig {
        lr: 0.05,
        epsilon_placement: EpsilonPlacement::InsideSqrt,
        ..Default::default()
    })
    .unwrap();
    assert_solution(fit(&mut opt, LrSchedule::Constant, 3000), 1e-9);
}

#[test]
fn rmsprop_with_a_constant_learning_rate_ends_within_one_step_of_the_solution() {
    // With a fixed η, ∇/√s stays of order 1 near the minimum, so RMSprop keeps hopping around
    // it with steps of size about η: it reaches the solution to O(η), not exactly (hence the
    // annealed schedule in the tests above).
    let mut opt = RmsProp::new(RmsPropConfig {
        lr: 0.001,
        ..Default::default()
    })
    .unwrap();
    assert_solution(fit(&mut opt, LrSchedule::Constant, 5000), 1e-3);
}

#[test]
fn adamw_converges_near_the_solution_with_weights_shrunk() {
    // Decoupled decay moves the minimiser towards 0 by O(λ): with λ = 1e-4 the weights end
    // within 1e-4 of W* but strictly inside its norm, while the undecayed bias is exact.
    let mut opt = AdamW::new(AdamWConfig {
        lr: 0.05,
        weight_decay: 1e-4,
        ..Default::default()
    })
    .unwrap();
    let found = fit(&mut opt, LrSchedule::Constant, 3000);
    assert_solution(found, 1e-4);
    let norm = |w: &[f64]| w.iter().map(|x| x * x).sum::<f64>().sqrt();
    assert!(
        norm(&found[..3]) < norm(&W_STAR),
        "decay did not shrink {found:?}"
    );
}

#[test]
fn adamw_without_decay_converges_exactly() {
    let mut opt = AdamW::new(AdamWConfig {
        lr: 0.05,
        weight_decay: 0.0,
        ..Default::default()
    })
    .unwrap();
    assert_solution(fit(&mut opt, LrSchedule::Constant, 3000), 1e-9);
}
