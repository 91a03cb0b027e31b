//! Targets as a loss wants them: class labels become one-hot columns for cross-entropy or a
//! 0/1 row for binary cross-entropy, regression values a row of values; and training straight
//! from nn-data data sets, their target matrices built once per call.

use nn_core::{Float, Loss, Matrix};
use nn_data::{Dataset, Targets};

use crate::{History, TrainData, TrainError, Trainer};

/// The target matrix (outputs × samples) that `loss` trains against for class `labels` below
/// `n_classes`: one-hot columns (`n_classes` rows) for [`Loss::CrossEntropy`], one row of
/// 0/1 (class 1 is the positive class) for [`Loss::BinaryCrossEntropy`].
///
/// ```
/// use nn_core::Loss;
/// use nn_train::label_targets;
///
/// let y = label_targets::<f32>(&[2, 0, 1], 3, Loss::CrossEntropy)?;
/// assert_eq!(y.column(0).as_slice(), [0.0, 0.0, 1.0]);
/// let b = label_targets::<f32>(&[1, 0], 2, Loss::BinaryCrossEntropy)?;
/// assert_eq!(b.as_slice(), [1.0, 0.0]);
/// # Ok::<(), nn_train::TrainError>(())
/// ```
///
/// # Errors
/// [`TrainError::Data`] for a regression loss, fewer than two classes (exactly two for binary
/// cross-entropy), or a label of `n_classes` or more (named by its sample).
pub fn label_targets<T: Float>(
    labels: &[usize],
    n_classes: usize,
    loss: Loss,
) -> Result<Matrix<T>, TrainError> {
    check_classes(loss, n_classes, None)?;
    if let Some((sample, &label)) = labels.iter().enumerate().find(|&(_, &l)| l >= n_classes) {
        return Err(TrainError::Data(format!(
            "the label of sample {sample} is {label}, but there are {n_classes} classes \
             (labels 0 to {})",
            n_classes - 1
        )));
    }
    Ok(match loss {
        Loss::BinaryCrossEntropy => {
            Matrix::from_iterator(1, labels.len(), labels.iter().map(|&l| T::cast(l as f64)))
        }
        _ => {
            let mut y = Matrix::zeros(n_classes, labels.len());
            for (sample, &label) in labels.iter().enumerate() {
                y[(label, sample)] = T::one();
            }
            y
        }
    })
}

/// The target matrix (outputs × samples) that `loss` trains against for `dataset`: as
/// [`label_targets`] for class targets, one row of the values for a regression target and
/// [`Loss::Mse`] or [`Loss::Mae`].
///
/// # Errors
/// [`TrainError::Data`] when the loss does not suit the targets (a classification loss on
/// numbers, a regression loss on classes, binary cross-entropy on other than two classes),
/// naming the data set.
pub fn loss_targets(dataset: &Dataset, loss: Loss) -> Result<Matrix<f32>, TrainError> {
    let in_set = |e: TrainError| match e {
        TrainError::Data(reason) => TrainError::Data(format!("{}: {reason}", dataset.name())),
        other => other,
    };
    match dataset.targets() {
        Targets::Classes {
            labels,
            class_names,
        } => {
            check_classes(loss, class_names.len(), Some(class_names)).map_err(in_set)?;
            label_targets(labels, class_names.len(), loss).map_err(in_set)
        }
        Targets::Regression { values, name } => match loss {
            Loss::Mse | Loss::Mae => Ok(Matrix::from_row_slice(1, values.len(), values)),
            Loss::CrossEntropy | Loss::BinaryCrossEntropy => Err(TrainError::Data(format!(
                "{}: loss `{}` needs class targets, but the target `{name}` holds numbers \
                 (read it as a classification target, or train with `mse`)",
                dataset.name(),
                loss.name()
            ))),
        },
    }
}

/// Whether `loss` can learn `n_classes` classes (named in messages when given).
fn check_classes(loss: Loss, n_classes: usize, names: Option<&[String]>) -> Result<(), TrainError> {
    let listed = match names {
        Some(names) if !names.is_empty() && names.len() <= 8 => {
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            format!(" ({})", quoted.join(", "))
        }
        _ => String::new(),
    };
    let problem = match loss {
        Loss::Mse | Loss::Mae => Some(format!(
            "loss `{}` needs numeric targets, but the targets are classes{listed}: train a \
             classifier with `cross_entropy`",
            loss.name()
        )),
        Loss::BinaryCrossEntropy if n_classes != 2 => Some(format!(
            "`binary_cross_entropy` needs exactly two classes, the target has {n_classes}\
             {listed}: use `cross_entropy`"
        )),
        Loss::CrossEntropy if n_classes < 2 => Some(format!(
            "a classifier needs at least two classes, the target has {n_classes}{listed}"
        )),
        _ => None,
    };
    problem.map_or(Ok(()), |reason| Err(TrainError::Data(reason)))
}

impl Trainer<f32> {
    /// [`Trainer::fit`] on nn-data data sets: builds the target matrices the trainer's loss
    /// wants ([`loss_targets`]: one-hot, 0/1 or values) once, then trains on the training
    /// set's features, validating on `validation` after every epoch when given.
    ///
    /// # Errors
    /// A loss that does not suit the targets ([`loss_targets`]), and everything
    /// [`Trainer::fit`] returns.
    pub fn fit_datasets(
        &mut self,
        train: &Dataset,
        validation: Option<&Dataset>,
    ) -> Result<&History, TrainError> {
        let y = loss_targets(train, self.loss)?;
        let val_y = validation.map(|v| loss_targets(v, self.loss)).transpose()?;
        let mut data = TrainData::new(train.features(), &y);
        if let (Some(v), Some(val_y)) = (validation, &val_y) {
            data = data.with_validation(v.features(), val_y);
        }
        self.fit(&data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(labels: Vec<usize>, names: &[&str]) -> Dataset {
        let n = labels.len();
        Dataset::new(
            "pets",
            Matrix::from_fn(2, n, |i, j| (i + j) as f32),
            vec!["a".into(), "b".into()],
            Targets::Classes {
                labels,
                class_names: names.iter().map(|n| n.to_string()).collect(),
            },
        )
        .unwrap()
    }

    #[test]
    fn each_loss_gets_its_encoding_of_the_classes() {
        let three = classes(vec![1, 0, 2, 1], &["cat", "dog", "eel"]);
        let y = loss_targets(&three, Loss::CrossEntropy).unwrap();
        assert_eq!(y, three.target_matrix());
        assert_eq!(y.shape(), (3, 4));
        let two = classes(vec![1, 0, 0], &["no", "yes"]);
        let b = loss_targets(&two, Loss::BinaryCrossEntropy).unwrap();
        assert_eq!(b.as_slice(), [1.0, 0.0, 0.0]);
        let err = loss_targets(&three, Loss::BinaryCrossEntropy).unwrap_err();
        let message = err.to_string();
        assert!(
            message.contains("pets") && message.contains("exactly two") && message.contains("3"),
            "{message}"
        );
        let err = loss_targets(&three, Loss::Mse).unwrap_err().to_string();
        assert!(
            err.contains("`cat`") && err.contains("cross_entropy"),
            "{err}"
        );
        let one = classes(vec![0, 0], &["only"]);
        assert!(loss_targets(&one, Loss::CrossEntropy).is_err());
    }

    #[test]
    fn regression_values_are_one_row_and_refuse_classification_losses() {
        let values = Dataset::new(
            "prices",
            Matrix::from_element(1, 3, 0.5),
            vec!["x".into()],
            Targets::Regression {
                values: vec![1.5, -2.0, 3.0],
                name: "price".into(),
            },
        )
        .unwrap();
        for loss in [Loss::Mse, Loss::Mae] {
            assert_eq!(
                loss_targets(&values, loss).unwrap().as_slice(),
                [1.5, -2.0, 3.0]
            );
        }
        let err = loss_targets(&values, Loss::CrossEntropy)
            .unwrap_err()
            .to_string();
        assert!(err.contains("`price`") && err.contains("numbers"), "{err}");
    }

    #[test]
    fn a_label_out_of_range_is_named_by_its_sample() {
        let err = label_targets::<f64>(&[0, 1, 3], 3, Loss::CrossEntropy).unwrap_err();
        assert!(err.to_string().contains("sample 2 is 3"), "{err}");
        let y = label_targets::<f64>(&[0, 1, 2], 3, Loss::CrossEntropy).unwrap();
        assert_eq!(y, Matrix::identity(3, 3));
    }
}
