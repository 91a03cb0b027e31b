//! Exporting a network's weights to safetensors in PyTorch's layout, so that a
//! `torch.nn.Sequential` of the same shape loads them with `load_state_dict`.
//!
//! Every layer of the [`Sequential`] takes an index, activations and dropout included, exactly
//! as `torch.nn.Sequential` numbers its modules; a dense layer `i` becomes `i.weight` of shape
//! `[out, in]` (row-major, i.e. the data of the transpose of nalgebra's column-major matrix) and
//! `i.bias` of shape `[out]`, as `f32` little-endian.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use nn_core::{LayerNode, Sequential};
use safetensors::tensor::{Dtype, TensorView};
use thiserror::Error;

/// An export that failed.
#[derive(Debug, Error)]
pub enum ExportError {
    /// safetensors refused the tensors.
    #[error("cannot encode safetensors for {path}: {reason}")]
    Encode {
        /// The output file.
        path: PathBuf,
        /// safetensors' message.
        reason: String,
    },
    /// The file could not be written.
    #[error("cannot write {path}")]
    Io {
        /// The file that could not be written.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// One exported tensor: its PyTorch name, shape and row-major values.
#[derive(Debug, Clone, PartialEq)]
pub struct TorchTensor {
    /// `"<layer index>.weight"` or `"<layer index>.bias"`.
    pub name: String,
    /// `[out, in]` for a weight, `[out]` for a bias.
    pub shape: Vec<usize>,
    /// Values in row-major order.
    pub values: Vec<f32>,
}

/// The state dict `torch.nn.Sequential` would have for `net`, in layer order.
///
/// ```
/// use nn_core::{Init, Sequential};
/// use nn_cli::export::torch_state_dict;
/// use rand::SeedableRng;
///
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
/// let net = Sequential::<f32>::new(4).dense(8, Init::HeNormal, &mut rng)?.relu()
///     .dense(3, Init::XavierUniform, &mut rng)?;
/// let names: Vec<String> = torch_state_dict(&net).into_iter().map(|t| t.name).collect();
/// assert_eq!(names, ["0.weight", "0.bias", "2.weight", "2.bias"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn torch_state_dict(net: &Sequential<f32>) -> Vec<TorchTensor> {
    let mut tensors = Vec::new();
    for (index, layer) in net.layers().iter().enumerate() {
        if let LayerNode::Dense(dense) = layer {
            let w = &dense.weight().value;
            tensors.push(TorchTensor {
                name: format!("{index}.weight"),
                shape: vec![w.nrows(), w.ncols()],
                // nalgebra is column-major: the transpose's column-major data is W row-major.
                values: w.transpose().as_slice().to_vec(),
            });
            let b = &dense.bias().value;
            tensors.push(TorchTensor {
                name: format!("{index}.bias"),
                shape: vec![b.nrows()],
                values: b.as_slice().to_vec(),
            });
        }
    }
    tensors
}

/// The PyTorch modules of `net`, one per layer, e.g. `["Linear(4, 8)", "ReLU()", …]` (for
/// messages and for building the matching `torch.nn.Sequential`).
pub fn torch_modules(net: &Sequential<f32>) -> Vec<String> {
    net.layers()
        .iter()
        .map(|layer| match layer {
            LayerNode::Dense(d) => format!("Linear({}, {})", d.inputs(), d.outputs()),
            LayerNode::Activation(a) => match a.kind() {
                nn_core::Activation::Identity => "Identity()".to_owned(),
                nn_core::Activation::Relu => "ReLU()".to_owned(),
                nn_core::Activation::LeakyRelu { alpha } => format!("LeakyReLU({alpha})"),
                nn_core::Activation::Sigmoid => "Sigmoid()".to_owned(),
                nn_core::Activation::Tanh => "Tanh()".to_owned(),
                nn_core::Activation::Softmax => "Softmax(dim=1)".to_owned(),
            },
            LayerNode::Dropout(d) => format!("Dropout({})", d.p()),
        })
        .collect()
}

/// The safetensors bytes of `net` (see the module docs for names and layout).
///
/// # Errors
/// [`ExportError::Encode`] if safetensors refuses a tensor (it does not for a valid network).
pub fn safetensors_bytes(net: &Sequential<f32>, path: &Path) -> Result<Vec<u8>, ExportError> {
    let tensors = torch_state_dict(net);
    let bytes: Vec<(String, Vec<u8>, Vec<usize>)> = tensors
        .into_iter()
        .map(|t| {
            let raw = t.values.iter().flat_map(|v| v.to_le_bytes()).collect();
            (t.name, raw, t.shape)
        })
        .collect();
    let encode = |reason: String| ExportError::Encode {
        path: path.to_path_buf(),
        reason,
    };
    let mut views = Vec::with_capacity(bytes.len());
    for (name, raw, shape) in &bytes {
        let view = TensorView::new(Dtype::F32, shape.clone(), raw)
            .map_err(|e| encode(format!("{name}: {e}")))?;
        views.push((name.clone(), view));
    }
    let mut metadata = HashMap::new();
    metadata.insert("format".to_owned(), "pt".to_owned());
    metadata.insert("modules".to_owned(), torch_modules(net).join(", "));
    safetensors::serialize(views, Some(metadata)).map_err(|e| encode(e.to_string()))
}

/// Writes `net` as safetensors to `path` atomically (a temporary file renamed into place).
///
/// # Errors
/// [`ExportError`] naming the file.
pub fn export_safetensors(net: &Sequential<f32>, path: &Path) -> Result<(), ExportError> {
    let bytes = safetensors_bytes(net, path)?;
    nn_core::atomic_write::write_atomically(path, &bytes).map_err(|source| ExportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Runs `nn export`: the model at `model` to safetensors at `out`, returning the line to print.
/// An output that is the model itself (under any name), a directory or a device is refused
/// before the model is read (see [`nn_core::output_path`]).
///
/// # Errors
/// A refused output or an unreadable model (named), or an [`ExportError`].
pub fn export_model(model: &Path, out: &Path) -> anyhow::Result<String> {
    use anyhow::Context;
    nn_core::output_path::protect_input(model, "the model")?;
    nn_core::output_path::writable_target(out)
        .with_context(|| format!("cannot write {}", out.display()))?;
    let bundle = nn_train::ModelBundle::load(model)?;
    let net = bundle.network();
    export_safetensors(net, out)?;
    Ok(format!(
        "wrote {} ({} tensors) for torch.nn.Sequential({})\n",
        out.display(),
        torch_state_dict(net).len(),
        torch_modules(net).join(", ")
    ))
}
