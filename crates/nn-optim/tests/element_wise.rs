//! Every optimizer updates each element from that element's value, gradient and state alone.
//! A tensor long enough to be split across threads and run in vectors must therefore come out
//! bit for bit as if each of its elements were a parameter of its own, on any thread count.

use nn_core::{Float, Matrix, Param, ParamKind, threads};
use nn_optim::OptimizerConfig;

mod common;
use common::all_configs;

/// Longer than the shortest tensor that is split across threads (8,192 values), with a tail
/// that fills no whole vector.
const LEN: usize = 10_007;
const STEPS: usize = 4;

/// Starting values: varied signs and magnitudes, some exactly zero.
fn start<T: Float>(i: usize) -> T {
    if i.is_multiple_of(97) {
        return T::zero();
    }
    T::cast((i as f64 * 0.618).sin() * 10f64.powi((i % 9) as i32 - 4))
}

/// The gradient of element `i` at `step`: it depends on the current value, like a real
/// gradient; some are zero, some tiny enough for the optimizers' subnormal floors.
fn gradient<T: Float>(i: usize, step: usize, value: T) -> T {
    match i % 13 {
        0 => T::zero(),
        1 => T::cast(1e-30 * (step as f64 + 1.0)),
        _ => value * T::cast(0.5) + T::cast((i as f64 * 0.37 + step as f64).cos()),
    }
}

/// `LEN` values updated as one `LEN × 1` weight on `threads` threads.
fn as_one_tensor<T: Float>(config: &OptimizerConfig, threads: usize) -> Vec<T> {
    let mut param = Param::new(Matrix::from_fn(LEN, 1, |i, _| start(i)), ParamKind::Weight);
    let mut optimizer = config.build::<T>().unwrap();
    threads::thread_pool(threads).unwrap().install(|| {
        for step in 0..STEPS {
            for (i, (g, &w)) in param.grad.iter_mut().zip(param.value.iter()).enumerate() {
                *g = gradient(i, step, w);
            }
            optimizer.step(&mut [&mut param]).unwrap();
        }
    });
    param.value.as_slice().to_vec()
}

/// The same values updated as `LEN` separate 1 × 1 weights, on one thread.
fn one_by_one<T: Float>(config: &OptimizerConfig) -> Vec<T> {
    let mut params: Vec<Param<T>> = (0..LEN)
        .map(|i| Param::new(Matrix::from_element(1, 1, start(i)), ParamKind::Weight))
        .collect();
    let mut optimizer = config.build::<T>().unwrap();
    threads::thread_pool(1).unwrap().install(|| {
        for step in 0..STEPS {
            for (i, p) in params.iter_mut().enumerate() {
                p.grad[0] = gradient(i, step, p.value[0]);
            }
            let mut refs: Vec<&mut Param<T>> = params.iter_mut().collect();
            optimizer.step(&mut refs).unwrap();
        }
    });
    params.iter().map(|p| p.value[0]).collect()
}

fn check<T: Float>() {
    for config in all_configs() {
        let expected = one_by_one::<T>(&config);
        for threads in [1, 2, 3] {
            let actual = as_one_tensor::<T>(&config, threads);
            let first_difference = actual
                .iter()
                .zip(&expected)
                .position(|(a, e)| a.as_f64().to_bits() != e.as_f64().to_bits());
            assert_eq!(
                first_difference, None,
                "{config:?} on {threads} thread(s): element {first_difference:?} differs"
            );
        }
    }
}

#[test]
fn a_long_tensor_is_updated_as_its_elements_would_be_alone_in_f32() {
    check::<f32>();
}

#[test]
fn a_long_tensor_is_updated_as_its_elements_would_be_alone_in_f64() {
    check::<f64>();
}
