//! The typed errors of the crate.

use std::path::PathBuf;

/// Everything that can go wrong in `nn-core`: bad shapes, non-finite numbers, invalid
/// hyper-parameters and unreadable model files. Each message names the culprit.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// A layer added to a network does not accept the size the previous layer produces.
    #[error(
        "layer {index} ({layer}) expects {expected} inputs but the previous layer produces {got}"
    )]
    LayerDimension {
        /// Position of the offending layer (0-based).
        index: usize,
        /// Name of the offending layer, e.g. `dense`.
        layer: String,
        /// Input size the layer expects.
        expected: usize,
        /// Size the network produces at that point.
        got: usize,
    },
    /// Data entering a network does not have one row per input feature.
    #[error("network expects {expected} input features (rows) but the input is {rows}×{cols}")]
    InputShape {
        /// Number of input features of the network.
        expected: usize,
        /// Rows of the supplied input.
        rows: usize,
        /// Columns (samples) of the supplied input.
        cols: usize,
    },
    /// Targets do not have the shape of the network output.
    #[error("targets are {target_rows}×{target_cols} but the network output is {rows}×{cols}")]
    TargetShape {
        /// Rows of the network output.
        rows: usize,
        /// Columns of the network output.
        cols: usize,
        /// Rows of the targets.
        target_rows: usize,
        /// Columns of the targets.
        target_cols: usize,
    },
    /// A batch with no samples was given where at least one is needed.
    #[error("empty batch: {context} needs at least one sample (column)")]
    EmptyBatch {
        /// What needed the samples.
        context: &'static str,
    },
    /// A target outside the range its loss is defined on.
    #[error(
        "target at row {row}, sample {sample} is {value}, but {loss} needs targets {requirement}"
    )]
    InvalidTarget {
        /// The loss, e.g. `binary_cross_entropy`.
        loss: &'static str,
        /// Row (output) of the target.
        row: usize,
        /// Column (sample) of the target.
        sample: usize,
        /// The rejected value.
        value: f64,
        /// Which values are valid, e.g. `in [0, 1]`.
        requirement: &'static str,
    },
    /// A value that must be finite is NaN or infinite.
    #[error("non-finite value in {what}")]
    NonFinite {
        /// What contained the value, e.g. `loss` or `input column 3`.
        what: String,
    },
    /// A thread count (from `NN_THREADS` or a setting) is not a positive integer.
    #[error("invalid {origin} = {value:?}: a thread count must be a positive integer")]
    InvalidThreads {
        /// Where the count came from (`NN_THREADS`, a config field).
        origin: &'static str,
        /// The rejected text.
        value: String,
    },
    /// The operating system refused to start the worker threads.
    #[error(
        "cannot start {threads} worker threads; ask for fewer (NN_THREADS or the thread setting)"
    )]
    ThreadPool {
        /// The requested count.
        threads: usize,
        /// Why the pool could not be built.
        #[source]
        source: rayon::ThreadPoolBuildError,
    },
    /// A dense layer would take the network past
    /// [`MAX_PARAMETERS`](crate::network_size::MAX_PARAMETERS); refused before anything is
    /// allocated.
    #[error(
        "layer {index} (dense {inputs} → {outputs}) would bring the network to {parameters} \
         parameters, {}: use fewer units",
        crate::network_size::memory_needed_text(*parameters)
    )]
    NetworkTooLarge {
        /// Position the dense layer would take in the network (0-based, activations counted).
        index: usize,
        /// Its inputs.
        inputs: usize,
        /// Its outputs (units).
        outputs: usize,
        /// The network's parameters with this layer.
        parameters: u128,
    },
    /// A dense layer would take the network past the memory this process can still allocate
    /// ([`memory_budget`](crate::network_size::memory_budget)); refused before anything is
    /// allocated.
    #[error(
        "layer {index} (dense {inputs} → {outputs}) would bring the network to {parameters} \
         parameters, about {} to hold (and about twice that to train), but this process can \
         allocate about {} more: use fewer units",
        crate::network_size::memory_text(*needed),
        crate::network_size::memory_text(*available)
    )]
    NotEnoughMemory {
        /// Position the dense layer would take in the network (0-based, activations counted).
        index: usize,
        /// Its inputs.
        inputs: usize,
        /// Its outputs (units).
        outputs: usize,
        /// The network's parameters with this layer.
        parameters: u128,
        /// Bytes the built network would hold (values and gradients).
        needed: u128,
        /// Bytes the process can still allocate.
        available: u128,
    },
    /// One batch's activations through the network would exceed
    /// [`MAX_BATCH_VALUES`](crate::network_size::MAX_BATCH_VALUES); refused before training.
    #[error(
        "a batch of {batch} samples would hold {values} activation values through this network \
         ({}): use a smaller batch size or fewer units",
        crate::network_size::batch_memory_text(*values)
    )]
    BatchTooLarge {
        /// Samples in the batch.
        batch: usize,
        /// Activation values the batch would hold.
        values: u128,
    },
    /// A hyper-parameter is outside its valid range.
    #[error("invalid {name} = {value:?}: {reason}")]
    InvalidHyperparameter {
        /// Name of the hyper-parameter.
        name: &'static str,
        /// The rejected value.
        value: f64,
        /// Which values are valid.
        reason: &'static str,
    },
    /// A shape given to a layer helper (e.g. a fixed dropout mask) is wrong.
    #[error("{what}: expected shape {expected:?}, got {got:?}")]
    ShapeMismatch {
        /// What was being set.
        what: String,
        /// Expected `(rows, cols)`.
        expected: (usize, usize),
        /// Supplied `(rows, cols)`.
        got: (usize, usize),
    },
    /// A gradient check was asked of a network whose forward pass is random.
    #[error(
        "layer {index} ({layer}) is stochastic in training mode; fix its mask before a gradient check"
    )]
    StochasticLayer {
        /// Position of the layer.
        index: usize,
        /// Name of the layer.
        layer: String,
    },
    /// `backward` was called without a preceding training-mode `forward` of the network.
    #[error("backward needs a preceding forward pass in training mode (Mode::Train)")]
    BackwardWithoutForward,
    /// Reading or writing a file failed.
    #[error("cannot {operation} {path}")]
    Io {
        /// What was being done with the file: `read` or `write`.
        operation: &'static str,
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A model file does not start with the expected magic bytes: it is not a model file.
    #[error("not a model file: the first bytes are not the nn-core magic")]
    ModelMagic,
    /// A model file was written by a newer (or unknown) format version.
    #[error("unsupported model file version {found} (this build reads version {supported})")]
    ModelVersion {
        /// Version found in the file.
        found: u32,
        /// Version this build reads.
        supported: u32,
    },
    /// A model file is shorter (or longer) than its header says.
    #[error("model file is truncated or has trailing bytes: expected {expected} bytes, got {got}")]
    ModelLength {
        /// Total length announced by the header.
        expected: u64,
        /// Actual length.
        got: u64,
    },
    /// The payload of a model file does not match its checksum: the file is corrupted.
    #[error("model file is corrupted: checksum {found:#018x} does not match {expected:#018x}")]
    ModelChecksum {
        /// Checksum stored in the header.
        expected: u64,
        /// Checksum of the payload as read.
        found: u64,
    },
    /// A model file stores a different scalar type than the one requested.
    #[error("model file stores {found} parameters but {expected} was requested")]
    ModelScalar {
        /// Scalar type in the file.
        found: &'static str,
        /// Scalar type requested.
        expected: &'static str,
    },
    /// The payload of a model file describes an invalid network (a matrix of the wrong
    /// length, a non-finite weight, bytes after the network...).
    #[error("invalid model file contents: {0}")]
    ModelContents(String),
    /// The payload of a model file passed its checksum but does not decode as a network.
    #[error("the payload of the model file is not an encoded network")]
    ModelDecode(#[source] bincode::error::DecodeError),
    /// A layer stored in a model file cannot be rebuilt (e.g. a dropout rate out of range).
    #[error("layer {index} stored in the model file is invalid")]
    ModelLayer {
        /// Position of the layer (0-based).
        index: usize,
        /// Why the layer was refused.
        #[source]
        source: Box<CoreError>,
    },
    /// The layers stored in a model file do not fit together (the error says which layer).
    #[error("the layers stored in the model file do not fit together")]
    ModelNetwork(#[source] Box<CoreError>),
    /// A network could not be encoded.
    #[error("cannot encode model: {0}")]
    ModelEncode(String),
}
