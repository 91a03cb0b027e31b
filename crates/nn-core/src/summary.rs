//! A Keras-like text table describing a network.

use std::fmt::Write;

use crate::{Float, Layer, Sequential};

/// Formats `n` with commas between groups of three digits (`109386` → `109,386`).
fn with_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl<T: Float> Sequential<T> {
    /// A table with one row per layer (index and kind, output shape, parameter count) and the
    /// totals, e.g.
    ///
    /// ```text
    /// Layer (type)          Output shape         Param #
    /// ==================================================
    /// 0 dense               (128, batch)         100,480
    /// 1 relu                (128, batch)               0
    /// 2 dense               (10, batch)            1,290
    /// ==================================================
    /// Input: (784, batch)
    /// Total params: 101,770
    /// ```
    pub fn summary(&self) -> String {
        const WIDTH: usize = 50;
        let mut s = String::new();
        let rule = "=".repeat(WIDTH);
        // Writing into a String cannot fail; the results are ignored for that reason.
        let _ = writeln!(
            s,
            "{:<22}{:<18}{:>10}",
            "Layer (type)", "Output shape", "Param #"
        );
        let _ = writeln!(s, "{rule}");
        let mut size = self.input_size();
        for (index, layer) in self.layers().iter().enumerate() {
            size = layer.output_size(size);
            let count: usize = layer.params().iter().map(|p| p.len()).sum();
            let _ = writeln!(
                s,
                "{:<22}{:<18}{:>10}",
                format!("{index} {}", layer.name()),
                format!("({size}, batch)"),
                with_thousands(count)
            );
        }
        let _ = writeln!(s, "{rule}");
        let _ = writeln!(s, "Input: ({}, batch)", self.input_size());
        let _ = writeln!(s, "Total params: {}", with_thousands(self.param_count()));
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Init;
    use rand::SeedableRng;

    #[test]
    fn thousands_separators() {
        assert_eq!(with_thousands(0), "0");
        assert_eq!(with_thousands(999), "999");
        assert_eq!(with_thousands(1000), "1,000");
        assert_eq!(with_thousands(109_386), "109,386");
        assert_eq!(with_thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn summary_lists_layers_shapes_and_totals() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
        let net = Sequential::<f32>::new(784)
            .dense(128, Init::HeNormal, &mut rng)
            .unwrap()
            .relu()
            .dropout(0.2, 1)
            .unwrap()
            .dense(10, Init::XavierUniform, &mut rng)
            .unwrap();
        let s = net.summary();
        let lines: Vec<&str> = s.lines().collect();
        assert!(lines[2].starts_with("0 dense") && lines[2].contains("(128, batch)"));
        assert!(lines[2].trim_end().ends_with("100,480"), "{}", lines[2]);
        assert!(lines[3].starts_with("1 relu") && lines[3].trim_end().ends_with(" 0"));
        assert!(lines[4].starts_with("2 dropout"));
        assert!(lines[5].contains("(10, batch)") && lines[5].trim_end().ends_with("1,290"));
        assert!(s.contains("Input: (784, batch)"));
        assert!(s.contains("Total params: 101,770"), "{s}");
    }
}
