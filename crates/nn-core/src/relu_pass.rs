//! ReLU's forward and backward passes over whole buffers, in the machine's widest vectors.

use pulp::{Arch, Simd, WithSimd};

use crate::Float;
use crate::product::Element;

/// `out[i] = +0` where `test[i] ≤ 0`, else `values[i]`: ReLU's forward pass with
/// `test = values = x`, its backward pass with `test` the cached output and `values` the
/// output gradient. Exactly the scalar `if t <= 0 { 0 } else { v }`, lane by lane, so a NaN
/// goes through (as in PyTorch): a NaN input then makes the loss NaN, which is an error,
/// instead of a finite loss over NaN weight gradients.
pub(crate) fn zero_where_nonpositive<T: Float>(test: &[T], values: &[T], out: &mut [T]) {
    debug_assert!(test.len() == out.len() && values.len() == out.len());
    Arch::new().dispatch(ZeroWhereNonpositive { test, values, out });
}

struct ZeroWhereNonpositive<'a, T> {
    test: &'a [T],
    values: &'a [T],
    out: &'a mut [T],
}

impl<T: Element + PartialOrd> WithSimd for ZeroWhereNonpositive<'_, T> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: Simd>(self, s: S) {
        let Self { test, values, out } = self;
        let lanes = T::lanes::<S>();
        let whole = out.len() - out.len() % lanes;
        let (out, out_tail) = out.split_at_mut(whole);
        for ((o, t), v) in out
            .chunks_exact_mut(lanes)
            .zip(test.chunks_exact(lanes))
            .zip(values.chunks_exact(lanes))
        {
            T::store(
                s,
                o,
                T::zero_where_nonpositive(s, T::load(s, t), T::load(s, v)),
            );
        }
        for ((o, &t), &v) in out_tail
            .iter_mut()
            .zip(&test[whole..])
            .zip(&values[whole..])
        {
            *o = if t <= T::ZERO { T::ZERO } else { v };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equals_the_scalar_rule_bit_for_bit_on_every_length() {
        let special = [
            0.0,
            -0.0,
            1.5,
            -2.0,
            f32::NAN,
            f32::INFINITY,
            f32::NEG_INFINITY,
            1e-40,
        ];
        for len in [0, 1, 7, 15, 16, 17, 33, 100] {
            let test: Vec<f32> = (0..len).map(|i| special[i % special.len()]).collect();
            let values: Vec<f32> = (0..len).map(|i| (i as f32 - 3.0) * 0.7).collect();
            let mut out = vec![9.0; len];
            zero_where_nonpositive(&test, &values, &mut out);
            for i in 0..len {
                let expected = if test[i] <= 0.0 { 0.0 } else { values[i] };
                assert_eq!(out[i].to_bits(), expected.to_bits(), "{len} {i}");
            }
            let test64: Vec<f64> = test.iter().map(|&x| f64::from(x)).collect();
            let values64: Vec<f64> = values.iter().map(|&x| f64::from(x)).collect();
            let mut out64 = vec![9.0; len];
            zero_where_nonpositive(&test64, &values64, &mut out64);
            for i in 0..len {
                let expected = if test64[i] <= 0.0 { 0.0 } else { values64[i] };
                assert_eq!(out64[i].to_bits(), expected.to_bits(), "f64 {len} {i}");
            }
        }
    }
}
