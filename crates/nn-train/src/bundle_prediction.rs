//! Using a [`ModelBundle`] on raw CSV rows: reading them with the training layout, preparing
//! them as the training rows were, and predicting values, class probabilities or class names,
//! all through a shared reference.

use std::path::Path;

use nn_core::{Loss, Matrix};
use nn_data::{CsvTable, Dataset};

use crate::{BundleError, MetricKind, ModelBundle, loss_targets, metric_value};

impl ModelBundle {
    /// Reads a CSV file to predict on with the training file's format: every column as
    /// text, the target column optional (the preprocessing decides how each is used).
    ///
    /// # Errors
    /// [`BundleError::ReadData`], naming the file (and line) at fault.
    pub fn read_csv(&self, path: impl AsRef<Path>) -> Result<CsvTable, BundleError> {
        self.preprocessor()
            .read_csv(path)
            .map_err(|e| BundleError::ReadData {
                source: Box::new(e),
            })
    }

    /// [`ModelBundle::read_csv`] on CSV text already in memory; `source` names it in
    /// messages.
    ///
    /// # Errors
    /// As [`ModelBundle::read_csv`].
    pub fn read_csv_bytes(&self, source: &str, bytes: &[u8]) -> Result<CsvTable, BundleError> {
        self.preprocessor()
            .read_csv_bytes(source, bytes)
            .map_err(|e| BundleError::ReadData {
                source: Box::new(e),
            })
    }

    /// The network's inputs (features × rows) for every row of `table`, prepared exactly as
    /// the training rows were (encodings, fills, scaler).
    ///
    /// # Errors
    /// [`BundleError::Prepare`]: a missing column, a missing, non-numeric or unseen value
    /// (named by line and column).
    pub fn features(&self, table: &CsvTable) -> Result<Matrix<f32>, BundleError> {
        self.preprocessor()
            .transform_all_features(table)
            .map_err(|e| BundleError::Prepare {
                file: table.source().to_owned(),
                source: Box::new(e),
            })
    }

    /// Predictions for every row of `table`, one column per row: class probabilities (one
    /// row per class; a single row, the second class's probability, for binary
    /// cross-entropy) or values.
    ///
    /// # Errors
    /// As [`ModelBundle::features`], and [`BundleError::Predict`] when an output is not
    /// finite (a row far outside the training range overflows the network), naming the file
    /// and line of the first row that does it.
    pub fn predict(&self, table: &CsvTable) -> Result<Matrix<f32>, BundleError> {
        self.predict_table_features(&self.features(table)?, table)
    }

    /// [`ModelBundle::predict`] on the features of `table`'s rows already prepared (as
    /// [`ModelBundle::features`] or the preprocessor's `transform_all` gives them), for a
    /// caller that prepared them for something else too; `table` names the file and line of
    /// a row the network cannot predict.
    ///
    /// # Errors
    /// [`BundleError::Predict`] as for [`ModelBundle::predict`].
    pub fn predict_table_features(
        &self,
        x: &Matrix<f32>,
        table: &CsvTable,
    ) -> Result<Matrix<f32>, BundleError> {
        let error = match self.infer(x, table.source()) {
            Ok(predictions) => return Ok(predictions),
            Err(error) => error,
        };
        // Row by row only once something failed, to name the row that did.
        let culprit = (0..x.ncols()).find(|&j| {
            self.network()
                .infer(&x.columns(j, 1).into_owned(), self.link())
                .is_err()
        });
        Err(match (culprit, error) {
            (Some(j), BundleError::Predict { source, .. }) => BundleError::Predict {
                what: format!("{}, line {}", table.source(), table.line(j)),
                source,
            },
            (_, error) => error,
        })
    }

    /// [`ModelBundle::predict`] on rows already prepared (features × rows), e.g. the test
    /// part of the data the model was trained on.
    ///
    /// # Errors
    /// [`BundleError::Predict`] for a wrong number of features or non-finite values.
    pub fn predict_features(&self, x: &Matrix<f32>) -> Result<Matrix<f32>, BundleError> {
        self.infer(x, "the given features")
    }

    /// Class probabilities for every row of `table`: classes × rows, each column summing to
    /// one. A binary model's single sigmoid output `p` gives the two rows `1 − p` and `p`.
    ///
    /// # Errors
    /// [`BundleError::NotClassifier`] for a regressor, else as [`ModelBundle::predict`].
    pub fn predict_proba(&self, table: &CsvTable) -> Result<Matrix<f32>, BundleError> {
        self.require_classifier("predict_proba")?;
        Ok(self.probabilities(self.predict(table)?))
    }

    /// The predicted class name of every row of `table`: the most probable class of
    /// [`ModelBundle::predict_proba`] (on a tie, the first in class order).
    ///
    /// # Errors
    /// As [`ModelBundle::predict_proba`].
    pub fn predict_classes(&self, table: &CsvTable) -> Result<Vec<String>, BundleError> {
        let proba = self.predict_proba(table)?;
        self.most_probable_classes(&proba)
    }

    /// The name of the most probable class of each column of `probabilities` (classes ×
    /// rows, as [`ModelBundle::predict_proba`] gives them; on a tie, the first in class
    /// order), for a caller that wants both without predicting twice.
    ///
    /// # Errors
    /// [`BundleError::NotClassifier`] for a regressor, [`BundleError::Mismatch`] when
    /// `probabilities` does not have one row per class.
    pub fn most_probable_classes(
        &self,
        probabilities: &Matrix<f32>,
    ) -> Result<Vec<String>, BundleError> {
        self.require_classifier("most_probable_classes")?;
        let names = self.class_names().unwrap_or_default();
        if probabilities.nrows() != names.len() {
            return Err(BundleError::Mismatch {
                reason: format!(
                    "{} probability rows for {} classes",
                    probabilities.nrows(),
                    names.len()
                ),
            });
        }
        Ok(probabilities
            .column_iter()
            .map(|column| {
                let mut best = 0;
                for (class, &p) in column.iter().enumerate() {
                    if p > column[best] {
                        best = class;
                    }
                }
                names[best].clone()
            })
            .collect())
    }

    /// The name of [`ModelBundle::score`]'s metric: `accuracy` or `r2`.
    pub fn score_name(&self) -> &'static str {
        self.score_kind().name()
    }

    /// The model's accuracy on a prepared data set for a classifier, its R² for a regressor
    /// (e.g. on the test part of the data it was trained on).
    ///
    /// # Errors
    /// [`BundleError::Score`] when the data set's targets do not suit the model (classes for
    /// a regressor, another number of classes...) or R² is undefined (a single row), and
    /// [`BundleError::Predict`] as in [`ModelBundle::predict_features`].
    pub fn score(&self, data: &Dataset) -> Result<f64, BundleError> {
        let failed = |e| BundleError::Score {
            data: data.name().to_owned(),
            source: Box::new(e),
        };
        let y = loss_targets(data, self.loss()).map_err(failed)?;
        let predictions = self.infer(data.features(), data.name())?;
        let value = metric_value(self.score_kind(), &predictions, &y).map_err(failed)?;
        value.ok_or_else(|| {
            failed(crate::TrainError::Data(format!(
                "{} is undefined on {} row(s)",
                self.score_name(),
                data.n_samples()
            )))
        })
    }

    fn score_kind(&self) -> MetricKind {
        if self.is_classification() {
            MetricKind::Accuracy
        } else {
            MetricKind::R2
        }
    }

    /// The network's predictions through its link; `what` names the rows in errors.
    fn infer(&self, x: &Matrix<f32>, what: &str) -> Result<Matrix<f32>, BundleError> {
        self.network()
            .infer(x, self.link())
            .map_err(|source| BundleError::Predict {
                what: what.to_owned(),
                source,
            })
    }

    fn require_classifier(&self, operation: &'static str) -> Result<(), BundleError> {
        if self.is_classification() {
            Ok(())
        } else {
            Err(BundleError::NotClassifier {
                operation,
                loss: self.loss().name(),
            })
        }
    }

    /// One probability row per class from a classifier's predictions.
    fn probabilities(&self, predictions: Matrix<f32>) -> Matrix<f32> {
        if self.loss() != Loss::BinaryCrossEntropy {
            return predictions;
        }
        Matrix::from_fn(2, predictions.ncols(), |class, row| {
            let p = predictions[(0, row)];
            if class == 1 { p } else { 1.0 - p }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nn_core::{Init, Sequential};
    use nn_data::{CsvOptions, Preprocessor, Task};
    use rand::SeedableRng;

    fn bundle(text: &[u8], task: Task, outputs: usize, loss: Loss) -> ModelBundle {
        let table = CsvTable::from_bytes("t.csv", text, &CsvOptions::new("y", task)).unwrap();
        let rows: Vec<usize> = (0..table.n_rows()).collect();
        let pre = Preprocessor::fit(&table, &rows).unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
        let net = Sequential::new(pre.n_features())
            .dense(outputs, Init::HeNormal, &mut rng)
            .unwrap();
        ModelBundle::new(net, pre, loss).unwrap()
    }

    #[test]
    fn a_binary_model_gives_two_probability_rows_and_ties_go_to_the_first_class() {
        let model = bundle(
            b"x,y\n1,no\n-1,yes\n",
            Task::Classification,
            1,
            Loss::BinaryCrossEntropy,
        );
        let table = model.read_csv_bytes("new.csv", b"x\n2\n-3\n").unwrap();
        let p = model.predict(&table).unwrap();
        let proba = model.predict_proba(&table).unwrap();
        assert_eq!(proba.shape(), (2, 2));
        for row in 0..2 {
            assert_eq!(proba[(1, row)], p[(0, row)]);
            assert_eq!(proba[(0, row)], 1.0 - p[(0, row)]);
        }
        // x = 0 gives the logit 0 (zero bias): p = 0.5 for both classes.
        let tie = model.read_csv_bytes("tie.csv", b"x\n0\n").unwrap();
        assert_eq!(model.predict_proba(&tie).unwrap().as_slice(), [0.5, 0.5]);
        assert_eq!(model.predict_classes(&tie).unwrap(), ["no"]);
    }

    #[test]
    fn a_row_that_overflows_the_network_is_named_by_its_line() {
        let table = CsvTable::from_bytes(
            "t.csv",
            b"a,b,y\n1,2,0\n3,4,1\n",
            &CsvOptions::new("y", Task::Regression),
        )
        .unwrap();
        let pre = Preprocessor::fit(&table, &[0, 1]).unwrap();
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
        let mut net = Sequential::new(2).dense(1, Init::Zeros, &mut rng).unwrap();
        net.params_mut().into_iter().for_each(|p| p.value.fill(1.0));
        let model = ModelBundle::new(net, pre, Loss::Mse).unwrap();
        // 3e38 + 3e38 overflows f32 in the dense layer; the first row is fine.
        let new = model
            .read_csv_bytes("new.csv", b"a,b\n1,2\n3e38,3e38\n")
            .unwrap();
        let err = model.predict(&new).unwrap_err();
        assert!(matches!(err, BundleError::Predict { .. }), "{err:?}");
        assert!(err.to_string().contains("new.csv, line 3"), "{err}");
        let fine = model.read_csv_bytes("fine.csv", b"a,b\n1,2\n").unwrap();
        // Weights and bias all 1: 1 + 2 + 1.
        assert_eq!(model.predict(&fine).unwrap().as_slice(), [4.0]);
    }

    #[test]
    fn a_regressor_refuses_probabilities_and_names_what_it_cannot_read() {
        let model = bundle(b"x,y\n1,2.5\n2,4.5\n", Task::Regression, 1, Loss::Mse);
        let table = model.read_csv_bytes("new.csv", b"x\n3\n").unwrap();
        assert_eq!(model.predict(&table).unwrap().shape(), (1, 1));
        let err = model.predict_proba(&table).unwrap_err();
        assert!(matches!(err, BundleError::NotClassifier { .. }), "{err:?}");
        assert!(err.to_string().contains("`mse`"), "{err}");
        assert!(model.predict_classes(&table).is_err());
        let missing = model.read_csv_bytes("other.csv", b"z\n3\n").unwrap();
        let err = model.predict(&missing).unwrap_err();
        assert!(
            matches!(err, BundleError::Prepare { .. }) && err.to_string().contains("other.csv"),
            "{err}"
        );
        let wrong = Matrix::from_element(2, 1, 0.5);
        let err = model.predict_features(&wrong).unwrap_err();
        assert!(matches!(err, BundleError::Predict { .. }), "{err:?}");
        assert!(std::error::Error::source(&err).is_some());
    }
}
