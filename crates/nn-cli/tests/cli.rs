//! End-to-end tests of the `nn` binary on small CSV files written to a temporary directory:
//! train → summary → evaluate → predict → export, resume equals an uninterrupted run, and every
//! kind of bad input gives a clear error naming the culprit and a non-zero exit code.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NN: &str = env!("CARGO_BIN_EXE_nn");

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("nn-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).expect("write fixture");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn nn(args: &[&str]) -> Output {
    Command::new(NN)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("run nn")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `nn` and asserts success.
fn ok(args: &[&str]) -> String {
    let o = nn(args);
    assert!(
        o.status.success(),
        "nn {args:?} failed:\n{}\n{}",
        stdout(&o),
        stderr(&o)
    );
    stdout(&o)
}

/// Runs `nn`, asserts a clean failure (non-zero exit, no panic) and returns stderr.
fn fails(args: &[&str]) -> String {
    let o = nn(args);
    let err = stderr(&o);
    assert!(
        !o.status.success(),
        "nn {args:?} should fail:\n{}",
        stdout(&o)
    );
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("panicked"), "nn {args:?} panicked:\n{err}");
    assert!(err.starts_with("error: "), "{err}");
    err
}

/// Three separable classes in two numeric features plus a colour category, 60 rows.
fn classification_csv() -> String {
    let mut s = String::from("x1,x2,colour,label\n");
    let colours = ["red", "green", "blue"];
    for i in 0..60 {
        let class = i % 3;
        let jitter = ((i * 37) % 11) as f64 / 20.0;
        let (x1, x2) = match class {
            0 => (0.0 + jitter, 0.0 + jitter / 2.0),
            1 => (3.0 + jitter, 0.5 - jitter),
            _ => (1.5 - jitter, 3.0 + jitter),
        };
        let name = ["cat", "dog", "fox"][class];
        s.push_str(&format!("{x1},{x2},{},{name}\n", colours[(i / 3) % 3]));
    }
    s
}

fn classification_spec(extra_training: &str) -> String {
    format!(
        r#"name = "toy"
seed = 3

[data]
csv = "train.csv"
target = "label"
task = "classification"

[split]
test_ratio = 0.25
validation_ratio = 0.2

[preprocessing]
scaler = "standard"

[model]
hidden = [8]
activation = "tanh"
init = "xavier_uniform"
loss = "cross_entropy"

[training]
epochs = 6
batch_size = 8
optimizer = {{ kind = "adam", lr = 0.05 }}
{extra_training}
"#
    )
}

/// A trained classifier in `dir/run`.
fn trained(dir: &TempDir) -> PathBuf {
    dir.write("train.csv", &classification_csv());
    let spec = dir.write("spec.toml", &classification_spec(""));
    let out = dir.path("run");
    ok(&[
        "train",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    out.join("model.nn")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 temp path")
}

#[test]
fn train_summary_evaluate_predict_export() {
    let dir = TempDir::new("e2e");
    let model = trained(&dir);
    let run = dir.path("run");
    for f in ["model.nn", "history.json", "history.csv"] {
        assert!(run.join(f).exists(), "{f} missing");
    }
    let history = std::fs::read_to_string(run.join("history.csv")).unwrap();
    assert_eq!(history.lines().count(), 7, "header + 6 epochs:\n{history}");
    assert!(!run.join("checkpoints").exists(), "the spec asked for none");

    let summary = ok(&["summary", s(&model)]);
    assert!(summary.contains("classes: cat, dog, fox"), "{summary}");
    assert!(
        summary.contains("colour: one-hot over blue, green, red"),
        "{summary}"
    );
    assert!(summary.contains("Total params: 75"), "{summary}"); // (5·8+8) + (8·3+3)

    let report = ok(&["evaluate", s(&model), s(&dir.path("train.csv"))]);
    assert!(report.contains("60 rows"), "{report}");
    assert!(report.contains("precision"), "{report}");
    assert!(report.contains("true \\ pred"), "{report}");

    // Raw features only (no target column), columns in another order.
    let new = dir.write("new.csv", "colour,x2,x1\nred,0.1,0.2\nblue,3.2,1.4\n");
    let printed = ok(&["predict", s(&model), s(&new)]);
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(
        lines[0],
        "prediction,probability_cat,probability_dog,probability_fox"
    );
    assert_eq!(lines.len(), 3, "{printed}");
    for line in &lines[1..] {
        let cells: Vec<&str> = line.split(',').collect();
        let p: Vec<f64> = cells[1..].iter().map(|c| c.parse().unwrap()).collect();
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-5, "{line}");
        let best = p.iter().cloned().fold(f64::MIN, f64::max);
        let name = ["cat", "dog", "fox"][p.iter().position(|&v| v == best).unwrap()];
        assert_eq!(cells[0], name, "{line}");
    }
    // `-` reads the CSV from standard input.
    let mut child = Command::new(NN)
        .args(["predict", s(&model), "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run nn");
    let mut stdin = child.stdin.take().expect("piped");
    std::io::Write::write_all(&mut stdin, &std::fs::read(&new).unwrap()).unwrap();
    drop(stdin);
    let piped = child.wait_with_output().expect("nn ends");
    assert!(piped.status.success());
    assert_eq!(stdout(&piped), printed);
    let out = dir.path("pred.csv");
    let o = nn(&["predict", s(&model), s(&new), "--output", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), printed);
    assert!(!dir.path("pred.csv.partial").exists());

    let st = dir.path("model.safetensors");
    let exported = ok(&["export", s(&model), "--safetensors", s(&st)]);
    assert!(
        exported.contains("Linear(5, 8), Tanh(), Linear(8, 3)"),
        "{exported}"
    );
    let bytes = std::fs::read(&st).unwrap();
    let header_len = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let header = std::str::from_utf8(&bytes[8..8 + header_len]).unwrap();
    for name in ["\"0.weight\"", "\"0.bias\"", "\"2.weight\"", "\"2.bias\""] {
        assert!(header.contains(name), "{header}");
    }
    assert!(
        header.contains("[8,5]") && header.contains("[3,8]"),
        "{header}"
    );
}

#[test]
fn regression_evaluate_reports_r2_mse_mae() {
    let dir = TempDir::new("regression");
    let mut csv = String::from("a,b,y\n");
    for i in 0..40 {
        let (a, b) = (i as f64 / 10.0, ((i * 7) % 13) as f64 / 13.0);
        csv.push_str(&format!("{a},{b},{}\n", 2.0 * a - b + 1.0));
    }
    dir.write("data.csv", &csv);
    let spec = dir.write(
        "spec.toml",
        r#"name = "line"
[data]
csv = "data.csv"
target = "y"
task = "regression"
[split]
test_ratio = 0.25
[preprocessing]
scaler = "min_max"
[model]
hidden = [4]
activation = "relu"
init = "he_uniform"
loss = "mse"
[training]
epochs = 40
batch_size = 4
optimizer = { kind = "adam", lr = 0.03 }
"#,
    );
    let out = dir.path("run");
    let report = ok(&["train", s(&spec), "--out", s(&out), "--quiet"]);
    assert!(
        report.contains("test set:") && report.contains("R² "),
        "{report}"
    );
    let model = out.join("model.nn");
    let eval = ok(&["evaluate", s(&model), s(&dir.path("data.csv"))]);
    assert!(
        eval.contains("R² ") && eval.contains("MSE") && eval.contains("MAE"),
        "{eval}"
    );
    let r2: f64 = eval
        .split("R² ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .and_then(|t| t.parse().ok())
        .expect("an R² value");
    assert!(r2 > 0.8, "a linear target should be learnt: {eval}");
    let new = dir.write("new.csv", "a,b\n1.0,0.5\n");
    let pred = ok(&["predict", s(&model), s(&new)]);
    assert_eq!(pred.lines().next(), Some("y"));
    let value: f64 = pred.lines().nth(1).unwrap().parse().unwrap();
    assert!((value - 2.5).abs() < 1.0, "{pred}");
    // A test part of one row gets its errors, without the R² that needs two.
    let one = dir.write("one.csv", "a,b,y\n1.0,0.5,2.5\n");
    let eval = ok(&["evaluate", s(&model), s(&one)]);
    assert!(
        eval.contains("R² undefined (one sample)") && eval.contains("MAE"),
        "{eval}"
    );
}

#[test]
fn resume_equals_an_uninterrupted_run() {
    let dir = TempDir::new("resume");
    dir.write("train.csv", &classification_csv());
    let spec = dir.write("spec.toml", &classification_spec("checkpoint_every = 2"));
    let full = dir.path("full");
    ok(&[
        "train",
        s(&spec),
        "--out",
        s(&full),
        "--seed",
        "11",
        "--quiet",
    ]);
    let ckpt = full.join("checkpoints/epoch-0002.ckpt");
    assert!(ckpt.exists() && full.join("checkpoints/last.ckpt").exists());
    // Removed so that a resumed run writing into the first run's directory would show.
    std::fs::remove_file(full.join("checkpoints/epoch-0004.ckpt")).unwrap();
    let resumed = dir.path("resumed");
    let report = ok(&[
        "train",
        s(&spec),
        "--out",
        s(&resumed),
        "--seed",
        "11",
        "--resume",
        s(&ckpt),
        "--quiet",
    ]);
    assert!(
        report.contains("resumed from ") && report.contains(" after epoch 2\n"),
        "{report}"
    );
    let a = std::fs::read(full.join("model.nn")).unwrap();
    let b = std::fs::read(resumed.join("model.nn")).unwrap();
    assert!(
        a == b,
        "the resumed model differs from the uninterrupted one"
    );
    let losses = |dir: &Path| -> Vec<String> {
        std::fs::read_to_string(dir.join("history.csv"))
            .unwrap()
            .lines()
            .map(|l| l.rsplit_once(',').unwrap().0.to_owned()) // drop the seconds
            .collect()
    };
    assert_eq!(losses(&full), losses(&resumed));
    // The resumed run writes its checkpoints under its own --out, not over the first run's.
    assert!(resumed.join("checkpoints/epoch-0004.ckpt").exists());
    assert!(!full.join("checkpoints/epoch-0004.ckpt").exists());
    // A new run into a directory with checkpoints says so before it starts (the same run:
    // its checkpoints come out the same, for the checks below).
    let o = nn(&[
        "train",
        s(&spec),
        "--out",
        s(&full),
        "--seed",
        "11",
        "--quiet",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let warning = stderr(&o);
    assert!(
        warning.contains("already holds checkpoints of an earlier run (epoch-0002.ckpt"),
        "{warning}"
    );

    // Another seed than the checkpoint's is refused, naming both.
    let resume_with = |spec: &Path, seed: &str| {
        fails(&[
            "train",
            s(spec),
            "--out",
            s(&dir.path("other")),
            "--seed",
            seed,
            "--resume",
            s(&ckpt),
        ])
    };
    let err = resume_with(&spec, "12");
    assert!(err.contains("seed (11 there, 12 here)"), "{err}");
    // So is any change to the spec that shapes the numbers, each key named with both values.
    let other = classification_spec("checkpoint_every = 2")
        .replace("hidden = [8]", "hidden = [16, 4]")
        .replace("scaler = \"standard\"", "scaler = \"min_max\"")
        .replace("lr = 0.05", "lr = 0.5");
    let other = dir.write("other.toml", &other);
    let err = resume_with(&other, "11");
    for key in [
        "model.hidden ([8] there, [16,4] here)",
        "preprocessing.scaler",
        "training.optimizer.lr (0.05 there, 0.5 here)",
    ] {
        assert!(err.contains(key), "expected {key:?} in: {err}");
    }
    // So is a data file whose contents changed under the same name.
    let csv = dir.path("train.csv");
    let original = std::fs::read_to_string(&csv).unwrap();
    let mut edited: Vec<String> = original.lines().map(str::to_owned).collect();
    edited.swap(1, 2);
    std::fs::write(&csv, edited.join("\n") + "\n").unwrap();
    let err = resume_with(&spec, "11");
    assert!(err.contains("data_file_sha256"), "{err}");
    std::fs::write(&csv, original).unwrap();
    // Checkpoint settings change no number and may differ.
    let less_often = dir.write(
        "less-often.toml",
        &classification_spec("checkpoint_every = 3"),
    );
    ok(&[
        "train",
        s(&less_often),
        "--out",
        s(&dir.path("less-often")),
        "--seed",
        "11",
        "--resume",
        s(&ckpt),
        "--quiet",
    ]);
}

#[test]
fn spec_errors_name_the_key_and_suggest_the_nearest() {
    let dir = TempDir::new("spec-errors");
    dir.write("train.csv", &classification_csv());
    let text = classification_spec("").replace("epochs = 6", "epoch = 6");
    let spec = dir.write("spec.toml", &text);
    let err = fails(&["train", s(&spec)]);
    assert!(
        err.contains("unknown key `epoch` in [training]; did you mean `epochs`?"),
        "{err}"
    );
    let text = classification_spec("").replace("target = \"label\"", "target = \"labl\"");
    let spec = dir.write("spec.toml", &text);
    let err = fails(&["train", s(&spec), "--out", s(&dir.path("run"))]);
    assert!(
        err.contains("labl") && err.contains("x1, x2, colour, label"),
        "{err}"
    );
    let text = classification_spec("").replace("target = \"label\"\n", "");
    let spec = dir.write("spec.toml", &text);
    let err = fails(&["train", s(&spec)]);
    assert!(err.contains("`data` needs `target`"), "{err}");
    let err = fails(&["train", s(&dir.path("absent.toml"))]);
    assert!(err.contains("absent.toml"), "{err}");
    // A loss of the other task names the loss as a spec writes it, and the task key.
    let text = classification_spec("").replace("\"cross_entropy\"", "\"mse\"");
    let spec = dir.write("spec.toml", &text);
    let err = fails(&["train", s(&spec)]);
    assert!(
        err.contains(
            "`model.loss` is \"mse\", a regression loss, but `data.task` is \"classification\""
        ),
        "{err}"
    );
}

#[test]
fn a_target_with_too_few_classes_is_named_before_training() {
    let dir = TempDir::new("one-class");
    let rows: String = (0..20).map(|i| format!("{i},{},0,cat\n", i % 3)).collect();
    dir.write("train.csv", &format!("x1,x2,colour,label\n{rows}"));
    let spec = dir.write("spec.toml", &classification_spec(""));
    let err = fails(&["train", s(&spec), "--out", s(&dir.path("run"))]);
    assert!(
        err.contains("a classifier needs at least two classes, the target has 1 (`cat`)"),
        "{err}"
    );
    let text = classification_spec("").replace("\"cross_entropy\"", "\"binary_cross_entropy\"");
    let spec = dir.write("spec.toml", &text);
    let err = fails(&["train", s(&spec), "--out", s(&dir.path("run"))]);
    assert!(
        err.contains("`binary_cross_entropy` needs exactly two classes, the target has 1 (`cat`)"),
        "{err}"
    );
    assert!(!err.contains("expected 2, found 1"), "said twice: {err}");
}

#[test]
fn a_lone_class_and_a_learning_rate_of_zero_are_warned_of() {
    let dir = TempDir::new("warnings");
    let csv = classification_csv().replacen(",fox\n", ",foxx\n", 1);
    dir.write("train.csv", &csv);
    let text = classification_spec("").replace("lr = 0.05", "lr = 0.0");
    let spec = dir.write("spec.toml", &text);
    let o = nn(&["train", s(&spec), "--out", s(&dir.path("run")), "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let warnings = stderr(&o);
    assert!(
        warnings.contains("class `foxx` appears in one row only"),
        "{warnings}"
    );
    assert!(
        warnings.contains("`training.optimizer.lr` is 0"),
        "{warnings}"
    );
    // The unchanged data and rate give neither warning.
    dir.write("train.csv", &classification_csv());
    let spec = dir.write("spec.toml", &classification_spec(""));
    let o = nn(&["train", s(&spec), "--out", s(&dir.path("run2")), "--quiet"]);
    assert!(!stderr(&o).contains("WARN"), "{}", stderr(&o));
}

#[test]
fn a_run_that_diverges_leaves_the_history_of_its_completed_epochs() {
    let dir = TempDir::new("diverges");
    dir.write("train.csv", &classification_csv());
    // ReLU with plain SGD at a huge rate: the weights overflow within a few batches.
    let text = classification_spec("")
        .replace("activation = \"tanh\"", "activation = \"relu\"")
        .replace("epochs = 6", "epochs = 30")
        .replace(
            "{ kind = \"adam\", lr = 0.05 }",
            "{ kind = \"sgd\", lr = LR }",
        );
    let diverge = |lr: &str| {
        let spec = dir.write("spec.toml", &text.replace("LR", lr));
        let out = dir.path(&format!("run-{lr}"));
        let err = fails(&["train", s(&spec), "--out", s(&out), "--quiet"]);
        assert!(err.contains("NaN or infinite"), "{err}");
        (err, out.join("history.csv"))
    };
    // After some epochs (two here): their history is written, and the error says where.
    let (err, history) = diverge("1e2");
    let completed: usize = err
        .split("the history of the ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no history named: {err}"));
    assert!(
        err.contains(&format!("at epoch {},", completed + 1)),
        "{err}"
    );
    let csv = std::fs::read_to_string(&history).unwrap();
    assert_eq!(
        csv.lines().count(),
        completed + 1,
        "header and epochs:\n{csv}"
    );
    // In the first epoch: no history to write.
    let (err, history) = diverge("1e6");
    assert!(err.contains("at epoch 1,"), "{err}");
    assert!(!err.contains("history"), "{err}");
    assert!(!history.exists());
}

#[test]
fn the_report_names_the_seed_and_the_restored_epoch() {
    let dir = TempDir::new("restored");
    dir.write("train.csv", &classification_csv());
    // A learning rate that overshoots after a few epochs, so the best epoch is not the last.
    let text = classification_spec("early_stopping = { patience = 3, restore_best = true }")
        .replace("epochs = 6", "epochs = 40")
        .replace("lr = 0.05", "lr = 1.0");
    let spec = dir.write("spec.toml", &text);
    let report = ok(&["train", s(&spec), "--out", s(&dir.path("run")), "--quiet"]);
    assert!(report.contains("; seed 3\n"), "{report}");
    let history = std::fs::read_to_string(dir.path("run").join("history.json")).unwrap();
    let history: serde_json::Value = serde_json::from_str(&history).unwrap();
    let best = history["best_epoch"].as_u64().expect("early stopping ran");
    let last = history["epochs"].as_array().unwrap().len() as u64;
    assert!(
        best < last,
        "the spec should stop past its best epoch: {best} of {last}"
    );
    let line = format!("the model holds the weights of epoch {best} (early stopping's best");
    assert!(report.contains(&line), "{report}");
    let report = ok(&[
        "train",
        s(&spec),
        "--out",
        s(&dir.path("run")),
        "--quiet",
        "--seed",
        "11",
    ]);
    assert!(report.contains("; seed 11\n"), "{report}");
}

#[test]
fn bad_prediction_inputs_are_clear_errors() {
    let dir = TempDir::new("bad-input");
    let model = trained(&dir);
    let m = s(&model);
    let case = |name: &str, text: &str| -> String {
        let path = dir.write(name, text);
        fails(&["predict", m, s(&path)])
    };
    let err = case("missing.csv", "x1,colour\n1,red\n");
    assert!(err.contains("x2"), "missing column not named: {err}");
    let err = case("ragged.csv", "x1,x2,colour\n1,2,red\n1,2\n");
    assert!(
        err.contains("ragged.csv") && err.contains("line 3"),
        "{err}"
    );
    let err = case("text.csv", "x1,x2,colour\n1,abc,red\n");
    assert!(
        err.contains("x2") && err.contains("abc") && err.contains("line 2"),
        "{err}"
    );
    let err = case("unseen.csv", "x1,x2,colour\n1,2,purple\n");
    assert!(err.contains("colour") && err.contains("purple"), "{err}");
    assert!(err.contains("blue, green, red"), "{err}");
    // Evaluate needs the target column, and an unknown class in it is named.
    let no_target = dir.write("no-target.csv", "x1,x2,colour\n1,2,red\n");
    let err = fails(&["evaluate", m, s(&no_target)]);
    assert!(err.contains("label"), "{err}");
    let unknown_class = dir.write("bad-class.csv", "x1,x2,colour,label\n1,2,red,wolf\n");
    let err = fails(&["evaluate", m, s(&unknown_class)]);
    assert!(err.contains("wolf"), "{err}");
    // An output that cannot be written names it and leaves nothing behind.
    let ok_csv = dir.write("ok.csv", "x1,x2,colour\n1,2,red\n");
    let target = dir.path("no-such-dir/out.csv");
    let err = fails(&["predict", m, s(&ok_csv), "--output", s(&target)]);
    assert!(err.contains("no-such-dir/out.csv"), "{err}");
    assert!(!dir.path("no-such-dir").exists());
    let err = fails(&["predict", m, s(&dir.path("absent.csv"))]);
    assert!(err.contains("absent.csv does not exist"), "{err}");
    let err = fails(&["summary", s(&dir.path("nothing.nn"))]);
    assert!(err.contains("nothing.nn"), "{err}");
}

#[test]
fn unseen_categories_follow_the_documented_all_zeros_policy() {
    let dir = TempDir::new("all-zeros");
    dir.write("train.csv", &classification_csv());
    let text = classification_spec("").replace(
        "task = \"classification\"",
        "task = \"classification\"\nunknown_category = \"all_zeros\"",
    );
    let spec = dir.write("spec.toml", &text);
    let out = dir.path("run");
    ok(&["train", s(&spec), "--out", s(&out), "--quiet"]);
    let new = dir.write("new.csv", "x1,x2,colour\n0.1,0.1,purple\n");
    let pred = ok(&["predict", s(&out.join("model.nn")), s(&new)]);
    assert_eq!(pred.lines().count(), 2, "{pred}");
}

#[test]
fn model_files_of_other_versions_are_refused() {
    let dir = TempDir::new("versions");
    let model = trained(&dir);
    // nn-core's format version lives in bytes 8..12.
    let mut bytes = std::fs::read(&model).unwrap();
    bytes[8..12].copy_from_slice(&7u32.to_le_bytes());
    let future = dir.path("future.nn");
    std::fs::write(&future, &bytes).unwrap();
    let err = fails(&["summary", s(&future)]);
    assert!(
        err.contains("future.nn") && err.contains("version 7"),
        "{err}"
    );
    // The same network with metadata of another bundle version.
    let (net, extra) = nn_core::model_file::load_model::<f32>(&model).unwrap();
    let mut meta: serde_json::Value = serde_json::from_slice(&extra).unwrap();
    meta["bundle_version"] = serde_json::json!(99);
    let other = dir.path("other.nn");
    nn_core::model_file::save_model(&other, &net, &serde_json::to_vec(&meta).unwrap()).unwrap();
    let err = fails(&["predict", s(&other), s(&dir.path("train.csv"))]);
    assert!(err.contains("bundle version 99"), "{err}");
    // A bare network without metadata.
    let bare = dir.path("bare.nn");
    nn_core::model_file::save_model(&bare, &net, &[]).unwrap();
    let err = fails(&["evaluate", s(&bare), s(&dir.path("train.csv"))]);
    assert!(err.contains("saved as a bare network"), "{err}");
    // Not a model at all.
    let err = fails(&["summary", s(&dir.path("train.csv"))]);
    assert!(err.contains("train.csv"), "{err}");
    // A checkpoint is named as one.
    let spec = dir.write("ckpt.toml", &classification_spec("checkpoint_every = 2"));
    ok(&["train", s(&spec), "--out", s(&dir.path("ckpt")), "--quiet"]);
    let checkpoint = dir.path("ckpt").join("checkpoints").join("last.ckpt");
    let err = fails(&["summary", s(&checkpoint)]);
    assert!(
        err.contains("is a training checkpoint, not a model file"),
        "{err}"
    );
}

fn peers_python() -> Option<PathBuf> {
    let python = std::env::var_os("NN_PEERS_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/opt/peers/bin/python"));
    let has_torch = Command::new(&python)
        .args(["-c", "import torch"])
        .output()
        .is_ok_and(|o| o.status.success());
    has_torch.then_some(python)
}

/// Loads the exported file into `torch.nn.Sequential` with `load_state_dict` (the file parsed
/// by hand: the peers' environment need not have the safetensors package) and prints its
/// outputs for the inputs given as JSON.
const TORCH_SNIPPET: &str = r#"
import json, struct, sys, torch
from torch.nn import *
path, modules, inputs = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
raw = open(path, "rb").read()
n = struct.unpack("<Q", raw[:8])[0]
header = json.loads(raw[8:8 + n])
state = {}
for name, info in header.items():
    if name == "__metadata__":
        continue
    assert info["dtype"] == "F32", info
    a, b = info["data_offsets"]
    t = torch.frombuffer(bytearray(raw[8 + n + a:8 + n + b]), dtype=torch.float32)
    state[name] = t.reshape(info["shape"])
net = eval("Sequential(" + modules + ")")
net.load_state_dict(state, strict=True)
net.eval()
with torch.no_grad():
    out = net(torch.tensor(inputs, dtype=torch.float32))
print(json.dumps(out.tolist()))
"#;

#[test]
fn safetensors_export_loads_into_torch_sequential() {
    let Some(python) = peers_python() else {
        println!("skipped: no Python with torch (set NN_PEERS_PYTHON)");
        return;
    };
    let dir = TempDir::new("torch");
    let model = trained(&dir);
    let st = dir.path("model.safetensors");
    ok(&["export", s(&model), "--safetensors", s(&st)]);
    let (mut net, _) = nn_core::model_file::load_model::<f32>(&model).unwrap();
    let modules = nn_cli::export::torch_modules(&net).join(", ");
    let inputs: Vec<Vec<f32>> = (0..4)
        .map(|i| {
            (0..5)
                .map(|j| ((i * 5 + j) as f32 * 0.37).sin() * 2.0)
                .collect()
        })
        .collect();
    let x = nalgebra::DMatrix::from_fn(5, inputs.len(), |r, c| inputs[c][r]);
    let ours = net.predict(&x, nn_core::Link::Identity).unwrap();
    let o = Command::new(&python)
        .args([
            "-c",
            TORCH_SNIPPET,
            s(&st),
            &modules,
            &serde_json::to_string(&inputs).unwrap(),
        ])
        .output()
        .expect("run python");
    assert!(o.status.success(), "python failed: {}", stderr(&o));
    let theirs: Vec<Vec<f64>> = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(theirs.len(), inputs.len());
    for (c, row) in theirs.iter().enumerate() {
        assert_eq!(row.len(), ours.nrows());
        for (r, &v) in row.iter().enumerate() {
            let mine = f64::from(ours[(r, c)]);
            assert!(
                (mine - v).abs() <= 1e-5,
                "sample {c} output {r}: ours {mine}, torch {v}"
            );
        }
    }
}

#[test]
fn every_command_has_help_with_an_example() {
    for command in ["train", "evaluate", "predict", "summary", "export"] {
        let help = ok(&[command, "--help"]);
        assert!(help.contains("Example"), "nn {command} --help:\n{help}");
        assert!(help.contains("Usage: nn "), "{help}");
    }
    let top = ok(&["--help"]);
    assert!(top.contains("docs/experiment-spec.md"), "{top}");
}

#[test]
fn the_worked_example_spec_trains() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let spec = root.join("examples/iris-csv/spec.toml");
    let dir = TempDir::new("example");
    let out = dir.path("run");
    let report = ok(&["train", s(&spec), "--out", s(&out), "--quiet"]);
    let accuracy: f64 = report
        .split("accuracy ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .and_then(|t| t.parse().ok())
        .expect("a test accuracy");
    assert!(accuracy >= 0.9, "{report}");
    assert!(out.join("checkpoints/last.ckpt").exists());
}

#[test]
fn a_model_trained_by_nn_loads_in_the_library_with_its_spec_and_predicts_the_same() {
    let dir = TempDir::new("library");
    let model = trained(&dir);
    let bundle = nn_train::ModelBundle::load(&model).unwrap();
    let record = bundle.training().expect("nn train records how it trained");
    assert_eq!(record.seed, 3);
    assert_eq!(record.spec_name.as_deref(), Some("toy"));
    assert!(record.epochs_run.is_some_and(|n| n >= 1));
    // The stored spec is TOML that reads back as the spec that trained the model.
    let text = record.spec.as_deref().expect("the spec is stored");
    let stored = nn_experiments::spec_suggest::parse_spec("stored", text).unwrap();
    let original = nn_experiments::spec_suggest::parse_spec(
        "original",
        &std::fs::read_to_string(dir.path("spec.toml")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        serde_json::to_value(&stored).unwrap(),
        serde_json::to_value(&original).unwrap()
    );
    // The library's classes are the tool's `prediction` column.
    let data = dir.path("train.csv");
    let classes = bundle
        .predict_classes(&bundle.read_csv(&data).unwrap())
        .unwrap();
    let predicted = ok(&["predict", s(&model), s(&data)]);
    let column: Vec<&str> = predicted
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap())
        .collect();
    assert_eq!(classes, column);
}
