//! Saving and loading networks: identical predictions after a round trip, and a typed error
//! (never a panic) for truncated, corrupted, foreign and future-version files.

use nn_core::model_file::{FORMAT_VERSION, decode_model, encode_model, load_model, save_model};
use nn_core::{Activation, CoreError, Init, Link, Matrix, Mode, Sequential};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn network(seed: u64, sizes: &[usize], act: Activation) -> Sequential<f32> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut net = Sequential::new(sizes[0]);
    for (i, &s) in sizes[1..].iter().enumerate() {
        net = net.dense(s, Init::XavierNormal, &mut rng).unwrap();
        if i + 2 < sizes.len() {
            net = net.activation(act).unwrap().dropout(0.3, seed).unwrap();
        }
    }
    net
}

fn inputs(rows: usize, cols: usize, seed: u64) -> Matrix<f32> {
    Matrix::from_fn(rows, cols, |i, j| {
        ((i * 31 + j * 17) as f32 + seed as f32).sin()
    })
}

fn sample_bytes() -> Vec<u8> {
    network(3, &[4, 6, 3], Activation::Relu).to_bytes().unwrap()
}

fn activation() -> impl Strategy<Value = Activation> {
    prop_oneof![
        Just(Activation::Identity),
        Just(Activation::Relu),
        (0.0f64..0.5).prop_map(|alpha| Activation::LeakyRelu { alpha }),
        Just(Activation::Sigmoid),
        Just(Activation::Tanh),
        Just(Activation::Softmax),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn save_then_load_gives_identical_predictions(
        seed in any::<u64>(),
        sizes in prop::collection::vec(1usize..12, 2..5),
        act in activation(),
        batch in 1usize..9,
        extra in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut net = network(seed, &sizes, act);
        let x = inputs(sizes[0], batch, seed);
        let bytes = encode_model(&net, &extra).unwrap();
        let (mut loaded, extra_back): (Sequential<f32>, _) = decode_model(&bytes).unwrap();
        prop_assert_eq!(&extra_back, &extra);
        prop_assert_eq!(loaded.param_count(), net.param_count());
        for link in [Link::Identity, Link::Sigmoid, Link::Softmax] {
            prop_assert_eq!(net.predict(&x, link).unwrap(), loaded.predict(&x, link).unwrap());
        }
        // The dropout streams continue identically, so resumed training is bit-identical.
        let a = net.forward(&x, Mode::Train).unwrap().clone();
        let b = loaded.forward(&x, Mode::Train).unwrap().clone();
        prop_assert_eq!(a, b);
    }

    #[test]
    fn any_single_flipped_byte_is_an_error_not_a_panic(position in any::<prop::sample::Index>(), bit in 0u8..8) {
        let mut bytes = sample_bytes();
        let i = position.index(bytes.len());
        bytes[i] ^= 1 << bit;
        prop_assert!(Sequential::<f32>::from_bytes(&bytes).is_err());
    }

    #[test]
    fn any_truncation_is_an_error(keep in any::<prop::sample::Index>()) {
        let bytes = sample_bytes();
        let n = keep.index(bytes.len());
        prop_assert!(Sequential::<f32>::from_bytes(&bytes[..n]).is_err());
    }

    #[test]
    fn random_bytes_are_not_a_model(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        prop_assert!(Sequential::<f32>::from_bytes(&bytes).is_err());
    }
}

#[test]
fn file_round_trip_with_extra_payload() {
    let dir = std::env::temp_dir().join(format!("nn-core-model-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("net.model");
    let mut net = network(7, &[5, 8, 2], Activation::Tanh);
    save_model(&path, &net, b"{\"scaler\":[1,2]}").unwrap();
    let (mut loaded, extra) = load_model::<f32>(&path).unwrap();
    assert_eq!(extra, b"{\"scaler\":[1,2]}");
    let x = inputs(5, 4, 1);
    assert_eq!(
        net.predict(&x, Link::Softmax).unwrap(),
        loaded.predict(&x, Link::Softmax).unwrap()
    );
    net.save(&path).unwrap();
    let mut again = Sequential::<f32>::load(&path).unwrap();
    assert_eq!(
        net.forward(&x, Mode::Eval).unwrap(),
        again.forward(&x, Mode::Eval).unwrap()
    );
    // A write that fails (here: the path is a directory) names it and leaves no partial file.
    let taken = dir.join("taken.model");
    std::fs::create_dir_all(&taken).unwrap();
    let err = save_model(&taken, &net, b"").unwrap_err();
    assert!(err.to_string().contains("taken.model"), "{err}");
    assert!(!dir.join("taken.model.partial").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn truncated_file_reports_lengths() {
    let bytes = sample_bytes();
    let err = Sequential::<f32>::from_bytes(&bytes[..bytes.len() - 10]).unwrap_err();
    match err {
        CoreError::ModelLength { expected, got } => {
            assert_eq!(expected, bytes.len() as u64);
            assert_eq!(got, bytes.len() as u64 - 10);
        }
        other => panic!("unexpected {other:?}"),
    }
    // Shorter than the header.
    assert!(matches!(
        Sequential::<f32>::from_bytes(&bytes[..20]),
        Err(CoreError::ModelLength {
            expected: 32,
            got: 20
        })
    ));
}

#[test]
fn flipped_payload_byte_fails_the_checksum() {
    let mut bytes = sample_bytes();
    let i = bytes.len() - 5;
    bytes[i] ^= 0x40;
    let err = Sequential::<f32>::from_bytes(&bytes).unwrap_err();
    assert!(matches!(err, CoreError::ModelChecksum { .. }), "{err}");
    assert!(err.to_string().contains("corrupted"));
}

#[test]
fn foreign_files_are_recognised() {
    let err = Sequential::<f32>::from_bytes(b"PK\x03\x04 definitely a zip file").unwrap_err();
    assert!(matches!(err, CoreError::ModelMagic));
    assert!(err.to_string().contains("not a model file"));
    let mut other_magic = sample_bytes();
    other_magic[..8].copy_from_slice(b"GGUF\0\0\0\x03");
    assert!(matches!(
        Sequential::<f32>::from_bytes(&other_magic),
        Err(CoreError::ModelMagic)
    ));
    assert!(matches!(
        Sequential::<f32>::from_bytes(&[]),
        Err(CoreError::ModelMagic) | Err(CoreError::ModelLength { .. })
    ));
}

#[test]
fn future_version_is_refused_by_number() {
    let mut bytes = sample_bytes();
    bytes[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    let err = Sequential::<f32>::from_bytes(&bytes).unwrap_err();
    assert!(
        matches!(err, CoreError::ModelVersion { found, supported } if found == FORMAT_VERSION + 1 && supported == FORMAT_VERSION),
        "{err}"
    );
}

#[test]
fn scalar_type_mismatch_is_refused() {
    let bytes = sample_bytes();
    let err = Sequential::<f64>::from_bytes(&bytes).unwrap_err();
    assert!(matches!(
        err,
        CoreError::ModelScalar {
            found: "f32",
            expected: "f64"
        }
    ));
}

#[test]
fn missing_file_names_the_path() {
    let err = Sequential::<f32>::load("/nonexistent/dir/net.model").unwrap_err();
    assert!(
        err.to_string().contains("/nonexistent/dir/net.model"),
        "{err}"
    );
}
