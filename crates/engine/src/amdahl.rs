//! Amdahl's law, fitted to a measured speedup curve: with a serial fraction
//! f, n workers can at best give S(n) = 1 / (f + (1 − f) / n).

/// The speedup Amdahl's law predicts for `n` workers and serial fraction `f`.
pub fn speedup(f: f64, n: f64) -> f64 {
    1.0 / (f + (1.0 - f) / n)
}

/// The serial fraction in [0, 1] that best fits `(workers, speedup)` points
/// (least squares). A fine grid, then a local refinement: the error is
/// smooth and the interval small, so this is exact to about 1e-6.
pub fn fit_serial_fraction(points: &[(f64, f64)]) -> f64 {
    let error = |f: f64| points.iter().map(|&(n, s)| (speedup(f, n) - s).powi(2)).sum::<f64>();
    let best_on = |lo: f64, hi: f64, steps: usize| {
        (0..=steps).map(|i| lo + (hi - lo) * i as f64 / steps as f64).min_by(|a, b| error(*a).total_cmp(&error(*b))).unwrap_or(lo)
    };
    let coarse = best_on(0.0, 1.0, 1000);
    best_on((coarse - 0.001).max(0.0), (coarse + 0.001).min(1.0), 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_the_fraction_that_made_the_curve() {
        for f in [0.0, 0.05, 0.3, 1.0] {
            let points: Vec<(f64, f64)> = (1..=8).map(|n| (n as f64, speedup(f, n as f64))).collect();
            assert!((fit_serial_fraction(&points) - f).abs() < 1e-5, "f = {f}");
        }
    }

    #[test]
    fn a_flat_curve_is_all_serial_and_a_perfect_one_has_none() {
        assert!(fit_serial_fraction(&[(1.0, 1.0), (2.0, 1.0), (4.0, 1.0)]) > 0.99);
        assert!(fit_serial_fraction(&[(1.0, 1.0), (2.0, 2.0), (4.0, 4.0)]) < 0.01);
    }
}
