//! Converting a network between scalar types (e.g. an `f32` network to `f64` for a gradient
//! check).

use crate::{ActivationLayer, Dense, Dropout, Float, LayerNode, Matrix, Sequential};

fn cast_matrix<T: Float, U: Float>(m: &Matrix<T>) -> Matrix<U> {
    m.map(|v| U::cast(v.as_f64()))
}

impl<T: Float> Sequential<T> {
    /// The same network with parameters rounded to scalar type `U` (dropout streams, fixed
    /// masks and activation settings are kept; gradients and buffers start empty).
    pub fn cast<U: Float>(&self) -> Sequential<U> {
        let layers = self.layers().iter().map(|layer| -> LayerNode<U> {
            match layer {
                LayerNode::Dense(d) => {
                    let w = cast_matrix(&d.weight().value);
                    let b = cast_matrix(&d.bias().value);
                    // Invariant: the shapes come from a valid layer, so they are still valid.
                    LayerNode::Dense(Dense::from_weights(w, b).expect("valid dense shapes"))
                }
                LayerNode::Activation(a) => LayerNode::Activation(
                    // Invariant: the activation was validated when the layer was built.
                    ActivationLayer::new(a.kind()).expect("validated activation"),
                ),
                LayerNode::Dropout(d) => {
                    // Invariant: p was validated when the layer was built.
                    let mut out = Dropout::new(d.p(), d.state().seed).expect("validated p");
                    out.restore(d.state());
                    if let Some(mask) = d.fixed_mask() {
                        out.fix_mask(&cast_matrix(mask));
                    }
                    LayerNode::Dropout(out)
                }
            }
        });
        // Invariant: the layers chain exactly as in `self`, which was checked when built.
        Sequential::from_layers(self.input_size(), layers).expect("sizes already checked")
    }
}

#[cfg(test)]
mod tests {
    use crate::{Init, Matrix, Mode, Sequential};
    use rand::SeedableRng;

    #[test]
    fn cast_to_f64_and_back_keeps_predictions() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let mut net = Sequential::<f32>::new(3)
            .dense(7, Init::HeNormal, &mut rng)
            .unwrap()
            .tanh()
            .dense(2, Init::XavierNormal, &mut rng)
            .unwrap();
        let x = Matrix::from_fn(3, 4, |i, j| (i as f32 - j as f32) * 0.25);
        let a = net.forward(&x, Mode::Eval).unwrap().clone();
        let mut wide: Sequential<f64> = net.cast();
        let b = wide.forward(&x.map(f64::from), Mode::Eval).unwrap().clone();
        assert!(
            a.iter()
                .zip(b.iter())
                .all(|(&a, &b)| (f64::from(a) - b).abs() < 1e-5)
        );
        let mut back: Sequential<f32> = wide.cast();
        assert_eq!(back.forward(&x, Mode::Eval).unwrap(), &a);
    }
}
