//! Learning-rate schedules give their documented values.

use nn_optim::{LrSchedule, OptimError, Optimizer, Sgd, SgdConfig};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1e-300)
}

#[test]
fn constant_keeps_the_base_rate() {
    for epoch in [0, 1, 10, 1_000_000] {
        assert_eq!(LrSchedule::Constant.learning_rate(0.03, epoch), 0.03);
    }
}

#[test]
fn step_decay_multiplies_by_gamma_every_k_epochs() {
    let s = LrSchedule::StepDecay {
        every: 3,
        gamma: 0.5,
    };
    // 0.1·0.5^⌊e/3⌋
    let expected = [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125];
    for (epoch, &lr) in expected.iter().enumerate() {
        assert!(close(s.learning_rate(0.1, epoch), lr), "epoch {epoch}");
    }
}

#[test]
fn exponential_is_gamma_to_the_epoch() {
    let s = LrSchedule::Exponential { gamma: 0.9 };
    // 0.1·0.9^e: 0.1, 0.09, 0.081, 0.0729, …, 0.1·0.9^10 = 0.034867844010
    assert!(close(s.learning_rate(0.1, 0), 0.1));
    assert!(close(s.learning_rate(0.1, 1), 0.09));
    assert!(close(s.learning_rate(0.1, 2), 0.081));
    assert!(close(s.learning_rate(0.1, 3), 0.0729));
    assert!(close(s.learning_rate(0.1, 10), 0.034_867_844_01));
}

#[test]
fn cosine_anneals_from_the_base_rate_to_the_minimum() {
    let s = LrSchedule::Cosine {
        min_lr: 0.01,
        epochs: 4,
    };
    // 0.01 + 0.09·(1 + cos(π·e/4))/2
    // e=0: 0.1; e=1: 0.01 + 0.045·(1 + √2/2); e=2: 0.055; e=3: 0.01 + 0.045·(1 − √2/2); e≥4: 0.01
    let half_sqrt2 = std::f64::consts::FRAC_1_SQRT_2;
    assert!(close(s.learning_rate(0.1, 0), 0.1));
    assert!(close(
        s.learning_rate(0.1, 1),
        0.01 + 0.045 * (1.0 + half_sqrt2)
    ));
    assert!(close(s.learning_rate(0.1, 2), 0.055));
    assert!(close(
        s.learning_rate(0.1, 3),
        0.01 + 0.045 * (1.0 - half_sqrt2)
    ));
    assert_eq!(s.learning_rate(0.1, 4), 0.01);
    assert_eq!(s.learning_rate(0.1, 400), 0.01);
}

#[test]
fn cosine_is_monotone_for_a_longer_run() {
    let s = LrSchedule::Cosine {
        min_lr: 0.0,
        epochs: 100,
    };
    let rates: Vec<f64> = (0..=100).map(|e| s.learning_rate(1.0, e)).collect();
    assert!(rates.windows(2).all(|w| w[1] <= w[0]));
    assert!(close(rates[50], 0.5));
}

#[test]
fn apply_sets_the_optimizer_rate() {
    let mut sgd = Sgd::new(SgdConfig { lr: 0.2 }).unwrap();
    let s = LrSchedule::StepDecay {
        every: 2,
        gamma: 0.1,
    };
    s.apply::<f32, _>(&mut sgd, 0.2, 5);
    assert!(close(Optimizer::<f32>::learning_rate(&sgd), 0.002));
}

#[test]
fn schedules_read_from_specs_and_are_validated() {
    let s: LrSchedule =
        serde_json::from_str(r#"{ "kind": "step_decay", "every": 10, "gamma": 0.5 }"#).unwrap();
    assert_eq!(
        s,
        LrSchedule::StepDecay {
            every: 10,
            gamma: 0.5
        }
    );
    let c: LrSchedule =
        serde_json::from_str(r#"{ "kind": "cosine", "min_lr": 0.0, "epochs": 50 }"#).unwrap();
    assert!(c.validate().is_ok());
    let k: LrSchedule = serde_json::from_str(r#"{ "kind": "constant" }"#).unwrap();
    assert_eq!(k, LrSchedule::Constant);
    assert!(
        serde_json::from_str::<LrSchedule>(r#"{ "kind": "exponential", "gama": 0.9 }"#).is_err()
    );

    let bad = [
        LrSchedule::StepDecay {
            every: 0,
            gamma: 0.5,
        },
        LrSchedule::StepDecay {
            every: 2,
            gamma: 0.0,
        },
        LrSchedule::Exponential { gamma: f64::NAN },
        LrSchedule::Cosine {
            min_lr: -1.0,
            epochs: 10,
        },
        LrSchedule::Cosine {
            min_lr: 0.0,
            epochs: 0,
        },
    ];
    for s in bad {
        assert!(
            matches!(s.validate(), Err(OptimError::InvalidHyperParameter { .. })),
            "{s:?} should be refused"
        );
        // Even unvalidated, computing a rate never panics.
        let _ = s.learning_rate(0.1, 7);
    }
}
