//! `nn`: train a feedforward network on your own CSV from a TOML spec, then evaluate it,
//! predict with it, summarise it or export it to safetensors, without writing Rust.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use nn_train::ProgressMode;

/// Large buffers start on a cache line, so the SIMD kernels never split a load across two.
#[global_allocator]
static ALLOCATOR: nn_alloc::CacheLineAllocator = nn_alloc::CacheLineAllocator;

/// Train, evaluate and use feedforward neural networks on CSV data.
///
/// A run starts from a TOML experiment spec (see docs/experiment-spec.md): the data (a CSV
/// file with a target column, or a built-in data set), the split, the preprocessing, the
/// layers, the loss, the optimizer and the training schedule. `nn train` writes a model file
/// that carries the network, the fitted preprocessing and the spec, so `nn predict` applies
/// exactly the training transformations to a raw CSV.
///
/// Outputs never destroy what you have: a file is written whole (a `.partial` file renamed
/// into place); an output that is one of the command's inputs (under any name), a directory
/// or a device (`/dev/null` too) is refused before any work; a symbolic link is written
/// through (the file it points to is replaced, the link stays).
///
/// Exit status: 0 on success, 1 on any error (one message on standard error, starting with
/// `error:`), 2 for a command line that does not parse (unknown option, missing argument).
#[derive(Parser, Debug)]
#[command(
    name = "nn",
    version,
    after_help = "Example session:\n  nn train examples/iris-csv/spec.toml --out runs/iris\n  nn summary runs/iris/model.nn\n  nn evaluate runs/iris/model.nn examples/iris-csv/iris.csv\n  nn predict runs/iris/model.nn new-flowers.csv --output predictions.csv\n  nn export runs/iris/model.nn --safetensors iris.safetensors"
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Train a network as a TOML spec describes.
    ///
    /// Writes DIR/model.nn (network + preprocessing + spec), DIR/history.json and
    /// DIR/history.csv (one row per epoch) and, when the spec sets
    /// `training.checkpoint_every`, DIR/checkpoints/epoch-NNNN.ckpt and last.ckpt. Prints the
    /// network and its report on the test part (or the training data when the spec has none).
    ///
    /// One run at a time writes DIR: while it runs it holds DIR/.nn-train.lock (which names
    /// its process), and a second `nn train` into the same DIR is refused at its start. The
    /// lock ends with the run however it ends; the file a killed run leaves is taken over
    /// with a note. The checkpoint given to --resume may be replaced by later checkpoints of
    /// the same run (last.ckpt is meant to be); the spec and the data file never are.
    #[command(
        after_help = "Examples:\n  nn train examples/iris-csv/spec.toml --out runs/iris\n  nn train spec.toml --seed 7 --out runs/seed7\n  nn train spec.toml --out runs/iris --resume runs/iris/checkpoints/epoch-0020.ckpt"
    )]
    Train {
        /// The experiment spec (TOML); a CSV path in it is relative to the spec file.
        #[arg(value_name = "SPEC.toml")]
        spec: PathBuf,
        /// Seed for the split, the initial weights, the shuffles and dropout (overrides the
        /// spec's `seed`).
        #[arg(long, value_name = "S")]
        seed: Option<u64>,
        /// Output directory, created if needed.
        #[arg(long, value_name = "DIR", default_value = "nn-run")]
        out: PathBuf,
        /// Continue the run saved in this checkpoint (same spec and seed: a changed key is
        /// refused by name); the result equals an uninterrupted run. Later checkpoints, the
        /// model and the history go to --out.
        #[arg(long, value_name = "CHECKPOINT")]
        resume: Option<PathBuf>,
        /// No per-epoch progress while training; the report at the end is still printed.
        #[arg(long)]
        quiet: bool,
    },
    /// Report a trained model's quality on a labelled CSV.
    ///
    /// The CSV needs the training's input columns and its target column (extra columns are
    /// ignored). Classifiers get accuracy, a per-class precision/recall/F1 report and the
    /// confusion matrix; regressors R², MSE, RMSE and MAE.
    #[command(after_help = "Example:\n  nn evaluate runs/iris/model.nn examples/iris-csv/iris.csv")]
    Evaluate {
        /// A model file written by `nn train`.
        #[arg(value_name = "MODEL")]
        model: PathBuf,
        /// A CSV with the input columns and the target column, same delimiter as in training
        /// (`-` reads it from standard input).
        #[arg(value_name = "DATA.csv")]
        data: PathBuf,
    },
    /// Predict every row of a raw CSV.
    ///
    /// The CSV needs the training's input columns (the target column may be absent); the
    /// training preprocessing (imputation, encoding, scaling) is applied as saved. Classifiers
    /// write `prediction` (the class name) and `probability_<class>` per class; regressors one
    /// column named after the target. One output row per input row, in order.
    #[command(
        after_help = "Examples:\n  nn predict runs/iris/model.nn new-flowers.csv\n  nn predict runs/iris/model.nn new-flowers.csv --output predictions.csv"
    )]
    Predict {
        /// A model file written by `nn train`.
        #[arg(value_name = "MODEL")]
        model: PathBuf,
        /// A CSV with the input columns (`-` reads it from standard input).
        #[arg(value_name = "DATA.csv")]
        data: PathBuf,
        /// Write the predictions to this file (atomically) instead of standard output. The
        /// model, the data file, a directory or a device is refused; a symbolic link is
        /// written through to its file.
        #[arg(long, value_name = "OUT.csv")]
        output: Option<PathBuf>,
    },
    /// Show what a model file holds: layers and parameter counts, loss, input columns and their
    /// encoding, classes or target, scaling and training settings.
    #[command(after_help = "Example:\n  nn summary runs/iris/model.nn")]
    Summary {
        /// A model file written by `nn train`.
        #[arg(value_name = "MODEL")]
        model: PathBuf,
    },
    /// Export a model's weights to safetensors in PyTorch's layout.
    ///
    /// Tensors are named `<index>.weight` (shape `[out, in]`) and `<index>.bias` (shape
    /// `[out]`), the index being the layer's position in the network with activations counted, as
    /// `torch.nn.Sequential` numbers them; so a `torch.nn.Sequential` of the same layers loads
    /// the file with `load_state_dict(safetensors.torch.load_file(OUT))`. The output link
    /// (softmax or sigmoid of the loss) is not a layer: apply it to the logits yourself. The
    /// preprocessing is not exported.
    #[command(
        after_help = "Example:\n  nn export runs/iris/model.nn --safetensors iris.safetensors"
    )]
    Export {
        /// A model file written by `nn train` (or any nn-core model file).
        #[arg(value_name = "MODEL")]
        model: PathBuf,
        /// The safetensors file to write (atomically; the model itself, a directory or a
        /// device is refused, a symbolic link written through to its file).
        #[arg(long, value_name = "OUT")]
        safetensors: PathBuf,
    },
}

fn run(args: Args) -> Result<()> {
    match args.command {
        Command::Train {
            spec,
            seed,
            out,
            resume,
            quiet,
        } => {
            let request = nn_cli::train::TrainRequest {
                spec,
                seed,
                out,
                resume,
                progress: if quiet {
                    ProgressMode::Silent
                } else {
                    ProgressMode::Auto
                },
            };
            let outcome = nn_cli::train::train(&request)?;
            print!("{}", outcome.report);
        }
        Command::Evaluate { model, data } => {
            print!("{}", nn_cli::evaluate::evaluate(&model, &data)?)
        }
        Command::Predict {
            model,
            data,
            output,
        } => {
            if let Some(text) = nn_cli::predict::predict(&model, &data, output.as_deref())? {
                print!("{text}");
            } else if let Some(path) = output {
                eprintln!("wrote {}", path.display());
            }
        }
        Command::Summary { model } => print!("{}", nn_cli::inspect::summary(&model)?),
        Command::Export { model, safetensors } => {
            print!("{}", nn_cli::export::export_model(&model, &safetensors)?);
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info"))
        .format_timestamp(None)
        .format_target(false)
        .init();
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Each error of the chain says only what it adds: its cause follows it.
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
