//! Inverted dropout with a seeded, restorable random stream.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::layer::ensure_shape;
use crate::{CoreError, Float, Layer, Matrix, Mode, Param};

/// The position of a dropout layer's random stream: enough to continue it bit-identically.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DropoutState {
    /// Seed the stream was created from (`ChaCha8Rng::seed_from_u64`).
    pub seed: u64,
    /// Number of 32-bit words consumed so far.
    pub word_pos: u128,
}

/// Inverted dropout: in [`Mode::Train`] each element is zeroed with probability `p` and the
/// survivors are scaled by `1 / (1 − p)`, so [`Mode::Eval`] is the identity.
///
/// Masks come from a `ChaCha8Rng` seeded at construction; [`Dropout::state`] and
/// [`Dropout::restore`] save and resume the stream so a resumed training run is bit-identical.
/// [`Dropout::fix_mask`] freezes the mask (for gradient checks).
#[derive(Clone, Debug)]
pub struct Dropout<T: Float> {
    p: f64,
    seed: u64,
    /// Boxed: the generator state is large and would bloat every [`crate::LayerNode`].
    rng: Box<ChaCha8Rng>,
    fixed: Option<Matrix<T>>,
    mask: Matrix<T>,
    /// The random bytes of one mask, drawn in one call (see [`Dropout::draw_mask`]).
    random_bytes: Vec<u8>,
    output: Matrix<T>,
    grad_input: Matrix<T>,
    masked: bool,
}

impl<T: Float> Dropout<T> {
    /// A dropout layer dropping each element with probability `p ∈ [0, 1)`, its masks drawn
    /// from a stream seeded with `seed`.
    ///
    /// # Errors
    /// [`CoreError::InvalidHyperparameter`] if `p` is not in `[0, 1)`.
    pub fn new(p: f64, seed: u64) -> Result<Self, CoreError> {
        if !(0.0..1.0).contains(&p) {
            return Err(CoreError::InvalidHyperparameter {
                name: "dropout p",
                value: p,
                reason: "must be in [0, 1)",
            });
        }
        Ok(Self {
            p,
            seed,
            rng: Box::new(ChaCha8Rng::seed_from_u64(seed)),
            fixed: None,
            mask: Matrix::zeros(0, 0),
            random_bytes: Vec::new(),
            output: Matrix::zeros(0, 0),
            grad_input: Matrix::zeros(0, 0),
            masked: false,
        })
    }

    /// The drop probability.
    pub fn p(&self) -> f64 {
        self.p
    }

    /// Where the random stream currently is.
    pub fn state(&self) -> DropoutState {
        DropoutState {
            seed: self.seed,
            word_pos: self.rng.get_word_pos(),
        }
    }

    /// Continues the random stream from a saved [`DropoutState`].
    pub fn restore(&mut self, state: DropoutState) {
        self.seed = state.seed;
        *self.rng = ChaCha8Rng::seed_from_u64(state.seed);
        self.rng.set_word_pos(state.word_pos);
    }

    /// Freezes the training mask: element `(i, j)` is kept where `keep[(i, j)] != 0` (and then
    /// scaled by `1 / (1 − p)`), dropped elsewhere. The mask is used only for inputs of the
    /// same shape; a network checks this where data enters it.
    pub fn fix_mask(&mut self, keep: &Matrix<T>) {
        let scale = T::cast(1.0 / (1.0 - self.p));
        self.fixed = Some(keep.map(|k| if k != T::zero() { scale } else { T::zero() }));
    }

    /// Returns to random masks.
    pub fn release_mask(&mut self) {
        self.fixed = None;
    }

    /// The fixed mask as multipliers (0 or `1 / (1 − p)`), if one is set.
    pub fn fixed_mask(&self) -> Option<&Matrix<T>> {
        self.fixed.as_ref()
    }

    /// The layer's output for `input` in [`Mode::Eval`], where dropout is the identity: a
    /// copy of `input`, as [`Layer::forward`] makes in that mode. The random stream is left
    /// where it is.
    pub(crate) fn infer(&self, input: &Matrix<T>) -> Matrix<T> {
        input.clone()
    }

    /// The shape of the fixed mask, if one is set.
    pub fn fixed_mask_shape(&self) -> Option<(usize, usize)> {
        self.fixed.as_ref().map(|m| m.shape())
    }

    /// Draws a `rows × cols` mask: element `k` (column-major) is dropped when the `k`-th
    /// uniform `u ∈ [0, 1)` of the stream is below `p`, where `u` is what `rng.random::<f64>()`
    /// would return: the 53 high bits of the next two 32-bit words (low word first) times
    /// 2⁻⁵³. The words of the whole mask are drawn in one call, which is 2–3 times faster
    /// than drawing the uniforms one by one and gives the same mask and the same stream
    /// position (tested against that one-by-one draw).
    fn draw_mask(&mut self, rows: usize, cols: usize) {
        ensure_shape(&mut self.mask, rows, cols);
        let p = self.p;
        let scale = T::cast(1.0 / (1.0 - p));
        self.random_bytes.resize(8 * self.mask.len(), 0);
        self.rng.fill_bytes(&mut self.random_bytes);
        let (words, _) = self.random_bytes.as_chunks::<8>();
        for (m, word) in self.mask.iter_mut().zip(words) {
            let u = unit_uniform(u64::from_le_bytes(*word));
            *m = if u < p { T::zero() } else { scale };
        }
    }
}

/// The uniform in `[0, 1)` that rand's `StandardUniform` makes of a 64-bit word: its 53 high
/// bits times 2⁻⁵³ (exact).
fn unit_uniform(word: u64) -> f64 {
    const SCALE: f64 = 1.0 / (1u64 << 53) as f64;
    (word >> 11) as f64 * SCALE
}

impl<T: Float> Layer<T> for Dropout<T> {
    fn name(&self) -> &'static str {
        "dropout"
    }

    fn required_input_size(&self) -> Option<usize> {
        None
    }

    fn output_size(&self, input_size: usize) -> usize {
        input_size
    }

    fn forward(&mut self, input: &Matrix<T>, mode: Mode) -> &Matrix<T> {
        let (rows, cols) = input.shape();
        ensure_shape(&mut self.output, rows, cols);
        let use_fixed = self
            .fixed
            .as_ref()
            .is_some_and(|m| m.shape() == (rows, cols));
        self.masked = mode == Mode::Train && (self.p > 0.0 || use_fixed);
        if !self.masked {
            self.output.copy_from(input);
            return &self.output;
        }
        if use_fixed {
            debug_assert!(self.fixed.is_some());
            if let Some(fixed) = &self.fixed {
                ensure_shape(&mut self.mask, rows, cols);
                self.mask.copy_from(fixed);
            }
        } else {
            self.draw_mask(rows, cols);
        }
        self.output
            .as_mut_slice()
            .iter_mut()
            .zip(input.as_slice())
            .zip(self.mask.as_slice())
            .for_each(|((y, &x), &m)| *y = x * m);
        &self.output
    }

    fn output(&self) -> &Matrix<T> {
        &self.output
    }

    fn backward(&mut self, _input: &Matrix<T>, grad_output: &Matrix<T>) -> &Matrix<T> {
        let (rows, cols) = grad_output.shape();
        ensure_shape(&mut self.grad_input, rows, cols);
        if self.masked {
            debug_assert_eq!(self.mask.shape(), (rows, cols));
            self.grad_input
                .as_mut_slice()
                .iter_mut()
                .zip(grad_output.as_slice())
                .zip(self.mask.as_slice())
                .for_each(|((d, &g), &m)| *d = g * m);
        } else {
            self.grad_input.copy_from(grad_output);
        }
        &self.grad_input
    }

    fn params(&self) -> &[Param<T>] {
        &[]
    }

    fn params_mut(&mut self) -> &mut [Param<T>] {
        &mut []
    }

    fn is_stochastic(&self) -> bool {
        self.p > 0.0 && self.fixed.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eval_is_identity_and_train_scales_survivors() {
        let mut d = Dropout::<f64>::new(0.5, 7).unwrap();
        let x = Matrix::from_element(20, 50, 1.0);
        assert_eq!(d.forward(&x, Mode::Eval), &x);
        let y = d.forward(&x, Mode::Train).clone();
        assert!(y.iter().all(|&v| v == 0.0 || v == 2.0));
        let kept = y.iter().filter(|&&v| v == 2.0).count();
        assert!((400..600).contains(&kept), "kept {kept} of 1000");
    }

    #[test]
    fn restored_state_continues_the_stream() {
        let x = Matrix::from_element(8, 8, 1.0f32);
        let mut a = Dropout::<f32>::new(0.3, 11).unwrap();
        a.forward(&x, Mode::Train);
        let saved = a.state();
        let next = a.forward(&x, Mode::Train).clone();
        let mut b = Dropout::<f32>::new(0.3, 999).unwrap();
        b.restore(saved);
        assert_eq!(b.forward(&x, Mode::Train), &next);
    }

    /// The mask drawn in one call is the one drawing `rng.random::<f64>()` element by element
    /// gives, and leaves the stream at the same position, from any position (odd ones too)
    /// and for sizes that end inside a 64-word block or on its edge.
    #[test]
    fn masks_are_those_of_drawing_one_uniform_per_element() {
        use rand::RngExt;
        for (rows, cols, start) in [
            (1, 1, 0),
            (3, 7, 1),
            (64, 32, 5),
            (128, 33, 63),
            (32, 2, 64),
        ] {
            let mut d = Dropout::<f32>::new(0.3, 5).unwrap();
            d.restore(DropoutState {
                seed: 5,
                word_pos: start,
            });
            let mut reference = ChaCha8Rng::seed_from_u64(5);
            reference.set_word_pos(start);
            let x = Matrix::from_element(rows, cols, 1.0f32);
            for _ in 0..3 {
                let y = d.forward(&x, Mode::Train).clone();
                let expected = Matrix::<f32>::from_fn(rows, cols, |_, _| {
                    let u: f64 = reference.random();
                    if u < 0.3 { 0.0 } else { (1.0 / 0.7) as f32 }
                });
                assert_eq!(y, expected, "{rows}×{cols} from word {start}");
                assert_eq!(d.state().word_pos, reference.get_word_pos());
            }
        }
    }

    #[test]
    fn invalid_p_is_rejected() {
        assert!(Dropout::<f32>::new(1.0, 0).is_err());
        assert!(Dropout::<f32>::new(-0.1, 0).is_err());
        assert!(Dropout::<f32>::new(f64::NAN, 0).is_err());
    }

    #[test]
    fn fixed_mask_is_used_and_backward_applies_it() {
        let mut d = Dropout::<f64>::new(0.25, 1).unwrap();
        let keep = Matrix::from_column_slice(2, 1, &[1.0, 0.0]);
        d.fix_mask(&keep);
        assert!(!d.is_stochastic());
        let x = Matrix::from_column_slice(2, 1, &[3.0, 4.0]);
        assert_eq!(d.forward(&x, Mode::Train).as_slice(), &[4.0, 0.0]);
        let g = Matrix::from_column_slice(2, 1, &[1.0, 1.0]);
        assert_eq!(d.backward(&x, &g).as_slice(), &[4.0 / 3.0, 0.0]);
    }
}
