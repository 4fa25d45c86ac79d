//! 95% intervals for the α coefficients by bootstrapping documents.
//!
//! Method: the documents used are resampled with replacement (as many as there are), every
//! coefficient is computed on each resample, and the interval is the 2.5th and 97.5th
//! percentile of the replicates where the coefficient is defined (B. Efron & R. Tibshirani,
//! *An Introduction to the Bootstrap*, 1993, ch. 13, the percentile interval; resampling whole
//! documents keeps the characters of a document together, since they are not independent).
//! This is not the bootstrap of A. F. Hayes & K. Krippendorff (2007), "Answering the call for
//! a standard reliability measure for coding data", *Communication Methods and Measures*
//! 1(1), which resamples pairs of values within the coincidence matrix.
//!
//! With one document every resample is that document, and the interval is the estimate
//! itself: it says nothing about sampling error. The generator is ChaCha8 seeded with the
//! given seed, so the same seed and data give the same interval.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use super::{OverallIntervals, Study, TagIntervals};

pub const METHOD: &str = "documents resampled with replacement; percentile interval";

pub(crate) struct Intervals {
    pub(crate) tags: Vec<TagIntervals>,
    pub(crate) overall: OverallIntervals,
}

#[derive(Default)]
struct Replicates {
    alpha: Vec<f64>,
    alpha_u: Vec<f64>,
    u_alpha: Vec<f64>,
    binary_u_alpha: Vec<f64>,
    cu_alpha: Vec<f64>,
}

pub(crate) fn intervals(study: &Study, replicates: usize, seed: u64) -> Intervals {
    let tags = study.tags.len();
    let mut per_tag: Vec<Replicates> = (0..tags).map(|_| Replicates::default()).collect();
    let mut overall = Replicates::default();
    let n = study.documents.len();
    if n > 0 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        for _ in 0..replicates {
            let sample: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
            let e = study.estimate(&sample);
            push(&mut overall.alpha, e.alpha);
            push(&mut overall.alpha_u, e.alpha_u.ok().flatten());
            if let Ok(u) = e.u {
                push(&mut overall.u_alpha, u.u_alpha);
                push(&mut overall.binary_u_alpha, u.binary_u_alpha);
                push(&mut overall.cu_alpha, u.cu_alpha);
            }
            for (r, t) in per_tag.iter_mut().zip(e.tags) {
                push(&mut r.alpha, t.alpha);
                push(&mut r.alpha_u, t.alpha_u.ok().flatten());
                push(&mut r.u_alpha, t.u_alpha.ok().flatten());
            }
        }
    }
    Intervals {
        tags: per_tag
            .into_iter()
            .map(|mut r| TagIntervals {
                alpha: percentile_interval(&mut r.alpha),
                alpha_u: percentile_interval(&mut r.alpha_u),
                u_alpha: percentile_interval(&mut r.u_alpha),
            })
            .collect(),
        overall: OverallIntervals {
            alpha: percentile_interval(&mut overall.alpha),
            alpha_u: percentile_interval(&mut overall.alpha_u),
            u_alpha: percentile_interval(&mut overall.u_alpha),
            binary_u_alpha: percentile_interval(&mut overall.binary_u_alpha),
            cu_alpha: percentile_interval(&mut overall.cu_alpha),
        },
    }
}

fn push(values: &mut Vec<f64>, value: Option<f64>) {
    if let Some(v) = value.filter(|v| v.is_finite()) {
        values.push(v);
    }
}

/// The 2.5th and 97.5th percentiles (nearest rank); `None` with fewer than two values.
pub fn percentile_interval(values: &mut [f64]) -> Option<[f64; 2]> {
    if values.len() < 2 {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let last = (values.len() - 1) as f64;
    let low = values[(0.025 * last).floor() as usize];
    let high = values[(0.975 * last).ceil() as usize];
    Some([low, high])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_percentile_interval_of_0_to_100_is_2_5_to_97_5() {
        let mut values: Vec<f64> = (0..=1000).map(|i| i as f64 / 10.0).collect();
        assert_eq!(percentile_interval(&mut values), Some([2.5, 97.5]));
        assert_eq!(percentile_interval(&mut [0.3]), None);
    }
}
