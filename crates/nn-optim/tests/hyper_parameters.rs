//! Construction refuses non-finite or out-of-range hyper-parameters, naming the field, and
//! [`OptimizerConfig`] reads specs by name with defaults for omitted fields.

use nn_optim::{
    Adam, AdamConfig, AdamW, AdamWConfig, EpsilonPlacement, Momentum, MomentumConfig, MomentumForm,
    OptimError, OptimizerConfig, RmsProp, RmsPropConfig, Sgd, SgdConfig,
};

fn refused_field(err: OptimError) -> &'static str {
    match err {
        OptimError::InvalidHyperParameter { name, .. } => name,
        other => panic!("expected InvalidHyperParameter, got {other:?}"),
    }
}

#[test]
fn invalid_hyper_parameters_are_refused_at_construction() {
    // 1e39 is finite in f64 but infinite once rounded to f32.
    for lr in [-1e-3, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e39] {
        assert_eq!(
            refused_field(Sgd::<f32>::new(SgdConfig { lr }).unwrap_err()),
            "lr"
        );
        let momentum = Momentum::<f32>::new(MomentumConfig {
            lr,
            ..Default::default()
        });
        assert_eq!(refused_field(momentum.unwrap_err()), "lr");
        let adam = Adam::<f32>::new(AdamConfig {
            lr,
            ..Default::default()
        });
        assert_eq!(refused_field(adam.unwrap_err()), "lr");
    }
    for bad in [-0.1, 1.0, 1.5, f64::NAN] {
        let m = Momentum::<f32>::new(MomentumConfig::classic(0.1, bad)).unwrap_err();
        assert_eq!(refused_field(m), "momentum");
        let r = RmsProp::<f32>::new(RmsPropConfig {
            rho: bad,
            ..Default::default()
        });
        assert_eq!(refused_field(r.unwrap_err()), "rho");
        let a1 = Adam::<f32>::new(AdamConfig {
            beta1: bad,
            ..Default::default()
        });
        assert_eq!(refused_field(a1.unwrap_err()), "beta1");
        let a2 = AdamW::<f32>::new(AdamWConfig {
            beta2: bad,
            ..Default::default()
        });
        assert_eq!(refused_field(a2.unwrap_err()), "beta2");
    }
    // 1e-46 is positive in f64 but 0 once rounded to f32 (and 1e-39 subnormal there).
    for eps in [0.0, -1e-8, f64::NAN, f64::INFINITY, 1e-46, 1e-39, 1e39] {
        let r = RmsProp::<f64>::new(RmsPropConfig {
            epsilon: eps,
            ..Default::default()
        });
        assert_eq!(refused_field(r.unwrap_err()), "epsilon");
        let a = Adam::<f64>::new(AdamConfig {
            epsilon: eps,
            ..Default::default()
        });
        assert_eq!(refused_field(a.unwrap_err()), "epsilon");
    }
    for wd in [-0.01, f64::NAN] {
        let a = AdamW::<f64>::new(AdamWConfig {
            weight_decay: wd,
            ..Default::default()
        });
        assert_eq!(refused_field(a.unwrap_err()), "weight_decay");
    }
    let message = Adam::<f64>::new(AdamConfig {
        beta2: 1.0,
        ..Default::default()
    })
    .unwrap_err()
    .to_string();
    assert!(message.contains("adam") && message.contains("beta2") && message.contains("[0, 1)"));
}

#[test]
fn zero_learning_rate_and_zero_momentum_are_allowed() {
    assert!(Sgd::<f64>::new(SgdConfig { lr: 0.0 }).is_ok());
    assert!(Momentum::<f64>::new(MomentumConfig::classic(0.1, 0.0)).is_ok());
}

#[test]
fn defaults_are_the_documented_ones() {
    let adam = AdamConfig::default();
    assert_eq!(
        (adam.lr, adam.beta1, adam.beta2, adam.epsilon),
        (1e-3, 0.9, 0.999, 1e-8)
    );
    assert_eq!(adam.epsilon_placement, EpsilonPlacement::OutsideSqrt);
    let m = MomentumConfig::default();
    assert_eq!(
        (m.momentum, m.form, m.nesterov),
        (0.9, MomentumForm::Classic, false)
    );
    assert_eq!(AdamWConfig::default().weight_decay, 0.01);
    assert_eq!(AdamWConfig::default().adam(), AdamConfig::default());
}

#[test]
fn specs_choose_an_optimizer_by_name() {
    let cases = [
        (r#"{ "kind": "sgd", "lr": 0.1 }"#, "sgd", 0.1),
        (
            r#"{ "kind": "momentum", "lr": 0.05, "momentum": 0.8, "form": "ema", "nesterov": true }"#,
            "momentum",
            0.05,
        ),
        (r#"{ "kind": "rmsprop", "rho": 0.95 }"#, "rmsprop", 1e-3),
        (
            r#"{ "kind": "adam", "lr": 0.002, "epsilon_placement": "inside_sqrt" }"#,
            "adam",
            0.002,
        ),
        (r#"{ "kind": "adamw", "weight_decay": 0.1 }"#, "adamw", 1e-3),
    ];
    for (json, name, lr) in cases {
        let config: OptimizerConfig = serde_json::from_str(json).unwrap();
        assert_eq!(config.name(), name);
        assert_eq!(config.lr(), lr);
        let boxed = config.build::<f32>().unwrap();
        assert_eq!(boxed.name(), name);
        assert_eq!(boxed.learning_rate(), lr);
        let any = config.build_any::<f64>().unwrap();
        assert_eq!(any.config(), config);
        let again: OptimizerConfig =
            serde_json::from_str(&serde_json::to_string(&config).unwrap()).unwrap();
        assert_eq!(again, config);
    }
    let parsed: OptimizerConfig =
        serde_json::from_str(r#"{ "kind": "momentum", "form": "ema", "nesterov": true }"#).unwrap();
    assert_eq!(
        parsed,
        OptimizerConfig::Momentum(MomentumConfig {
            form: MomentumForm::Ema,
            nesterov: true,
            ..Default::default()
        })
    );
}

#[test]
fn bad_specs_are_refused_with_a_clear_message() {
    let unknown_kind = serde_json::from_str::<OptimizerConfig>(r#"{ "kind": "adagrad" }"#);
    assert!(unknown_kind.unwrap_err().to_string().contains("adagrad"));
    let typo = serde_json::from_str::<OptimizerConfig>(r#"{ "kind": "adam", "beta_1": 0.8 }"#);
    assert!(typo.unwrap_err().to_string().contains("beta_1"));
    let invalid: OptimizerConfig =
        serde_json::from_str(r#"{ "kind": "rmsprop", "rho": 1.0 }"#).unwrap();
    assert_eq!(refused_field(invalid.build::<f32>().unwrap_err()), "rho");
    assert_eq!(refused_field(invalid.validate().unwrap_err()), "rho");
}
