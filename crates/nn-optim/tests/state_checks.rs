//! Optimizer state is checked against the parameters it is applied to: a different count or
//! shape on a later step, or a gradient whose shape differs from its value, is an error that
//! names the parameter, and no parameter is changed.

use nn_core::{Matrix, Param, ParamKind};
use nn_optim::{
    AdamConfig, AdamWConfig, MomentumConfig, OptimError, OptimizerConfig, RmsPropConfig, SgdConfig,
};

fn param(rows: usize, cols: usize, kind: ParamKind) -> Param<f64> {
    let mut p = Param::new(Matrix::from_element(rows, cols, 1.0), kind);
    p.grad.fill(0.5);
    p
}

fn stateful_configs() -> Vec<OptimizerConfig> {
    vec![
        OptimizerConfig::Momentum(MomentumConfig::default()),
        OptimizerConfig::Momentum(MomentumConfig::nesterov(0.1, 0.9)),
        OptimizerConfig::RmsProp(RmsPropConfig::default()),
        OptimizerConfig::Adam(AdamConfig::default()),
        OptimizerConfig::AdamW(AdamWConfig::default()),
    ]
}

#[test]
fn a_different_parameter_count_is_an_error() {
    for config in stateful_configs() {
        let mut opt = config.build::<f64>().unwrap();
        let (mut w, mut b) = (param(3, 2, ParamKind::Weight), param(3, 1, ParamKind::Bias));
        opt.step(&mut [&mut w, &mut b]).unwrap();
        let before = w.clone();
        let err = opt.step(&mut [&mut w]).unwrap_err();
        assert_eq!(
            err,
            OptimError::ParamCountMismatch {
                optimizer: config.name(),
                expected: 2,
                actual: 1
            },
            "{}",
            config.name()
        );
        assert_eq!(
            w,
            before,
            "{}: a refused step changed a parameter",
            config.name()
        );
        assert!(err.to_string().contains("got 1 parameters"), "{err}");
    }
}

#[test]
fn a_different_shape_is_an_error_naming_the_index_and_shapes() {
    for config in stateful_configs() {
        let mut opt = config.build::<f64>().unwrap();
        let (mut w, mut b) = (param(3, 2, ParamKind::Weight), param(3, 1, ParamKind::Bias));
        opt.step(&mut [&mut w, &mut b]).unwrap();
        let mut wrong = param(4, 1, ParamKind::Bias);
        let before = w.clone();
        let err = opt.step(&mut [&mut w, &mut wrong]).unwrap_err();
        assert_eq!(
            err,
            OptimError::ParamShapeMismatch {
                optimizer: config.name(),
                index: 1,
                expected: (3, 1),
                actual: (4, 1)
            }
        );
        assert_eq!(
            w,
            before,
            "{}: a refused step changed a parameter",
            config.name()
        );
        let message = err.to_string();
        assert!(
            message.contains("parameter 1") && message.contains("(4, 1)"),
            "{message}"
        );
    }
}

#[test]
fn swapped_parameters_of_different_shapes_are_an_error() {
    for config in stateful_configs() {
        let mut opt = config.build::<f64>().unwrap();
        let (mut w, mut b) = (param(3, 2, ParamKind::Weight), param(3, 1, ParamKind::Bias));
        opt.step(&mut [&mut w, &mut b]).unwrap();
        let err = opt.step(&mut [&mut b, &mut w]).unwrap_err();
        assert!(
            matches!(err, OptimError::ParamShapeMismatch { index: 0, .. }),
            "{err:?}"
        );
    }
}

#[test]
fn a_gradient_of_the_wrong_shape_is_an_error_for_every_optimizer() {
    let mut configs = stateful_configs();
    configs.push(OptimizerConfig::Sgd(SgdConfig::default()));
    for config in configs {
        let mut opt = config.build::<f64>().unwrap();
        let mut w = param(3, 2, ParamKind::Weight);
        w.grad = Matrix::zeros(2, 3);
        let before = w.value.clone();
        let err = opt.step(&mut [&mut w]).unwrap_err();
        assert_eq!(
            err,
            OptimError::GradShapeMismatch {
                optimizer: config.name(),
                index: 0,
                value: (3, 2),
                grad: (2, 3)
            }
        );
        assert_eq!(w.value, before);
        assert_eq!(opt.steps_taken(), 0);
    }
}

#[test]
fn reset_forgets_the_state_so_a_new_network_fits() {
    for config in stateful_configs() {
        let mut opt = config.build::<f64>().unwrap();
        let mut w = param(3, 2, ParamKind::Weight);
        opt.step(&mut [&mut w]).unwrap();
        assert_eq!(opt.steps_taken(), 1);
        opt.reset();
        assert_eq!(opt.steps_taken(), 0);
        let mut other = param(5, 5, ParamKind::Weight);
        opt.step(&mut [&mut other]).unwrap();
    }
}

#[test]
fn an_invalid_learning_rate_set_later_is_refused_at_the_next_step() {
    let mut configs = stateful_configs();
    configs.push(OptimizerConfig::Sgd(SgdConfig::default()));
    for config in configs {
        let mut opt = config.build::<f64>().unwrap();
        let mut w = param(2, 2, ParamKind::Weight);
        for bad in [-0.1, f64::NAN, f64::INFINITY] {
            opt.set_learning_rate(bad);
            let err = opt.step(&mut [&mut w]).unwrap_err();
            assert!(
                matches!(err, OptimError::InvalidHyperParameter { name: "lr", .. }),
                "{}: {err:?}",
                config.name()
            );
        }
        assert!(w.value.iter().all(|&x| x == 1.0));
    }
}
