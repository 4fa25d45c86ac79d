//! The agreement coefficients themselves, on continua of characters: no project, no tags by
//! name, no I/O. Every quantity here is a sum over documents, so a study of several documents
//! (or a bootstrap sample of them) is the merge of its documents' parts.
//!
//! Sources, by measure:
//! - Cohen's κ: J. Cohen (1960), "A coefficient of agreement for nominal scales",
//!   *Educational and Psychological Measurement* 20(1), 37–46.
//! - Krippendorff's α (nominal, coincidence matrices, missing values allowed):
//!   K. Krippendorff, *Content Analysis*, 2nd ed. (2004), §11.3; and "Computing
//!   Krippendorff's Alpha-Reliability" (2011), section C (nominal data, any number of
//!   observers, missing values).
//! - Krippendorff's unitizing α (`α_U`): *Content Analysis*, 2nd ed. (2004), §11.6, in the form
//!   DKPro Statistics implements (`KrippendorffAlphaUnitizingAgreement`).
//! - The uα family (uα, |uα, cuα): K. Krippendorff, Y. Mathet, S. Bouvry & A. Widlöcher (2016),
//!   "On the reliability of unitizing textual continua: Further developments", *Quality &
//!   Quantity* 50(6), 2347–2364; *Content Analysis*, 4th ed. (2019), §12.6.

use std::collections::BTreeMap;

/// One coder's passage on a continuum: characters `start..end` (end exclusive) with a value
/// (for a single tag, always 0; for all tags, the tag's index).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unit {
    pub start: usize,
    pub end: usize,
    pub value: usize,
}

impl Unit {
    pub fn new(start: usize, end: usize, value: usize) -> Self {
        Self { start, end, value }
    }
}

/// Two passages of one coder that overlap where a unitizing measure needs them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overlap {
    /// The document (set by the caller; 0 from the measures themselves).
    pub document: u32,
    /// The coder's position in the list of coders compared.
    pub coder: usize,
    pub first: (usize, usize),
    pub second: (usize, usize),
}

/// A stretch of one coder's segmentation of a continuum: a unit with its value, or a gap
/// (`value: None`) between units.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    start: usize,
    end: usize,
    value: Option<usize>,
}

impl Segment {
    fn len(&self) -> usize {
        self.end - self.start
    }
}

/// One coder's units laid end to end with the gaps between them, covering `0..len`. Empty
/// units are dropped and identical ones kept once; overlapping ones are an [`Overlap`].
fn segmentation(units: &[Unit], len: usize, coder: usize) -> Result<Vec<Segment>, Overlap> {
    let mut sorted: Vec<Unit> = units
        .iter()
        .map(|u| Unit::new(u.start.min(len), u.end.min(len), u.value))
        .filter(|u| u.start < u.end)
        .collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut segments = Vec::with_capacity(sorted.len() * 2 + 1);
    let mut at = 0;
    let mut previous: Option<Unit> = None;
    for unit in sorted {
        if let Some(prev) = previous.filter(|p| unit.start < p.end) {
            return Err(Overlap {
                document: 0,
                coder,
                first: (prev.start, prev.end),
                second: (unit.start, unit.end),
            });
        }
        if unit.start > at {
            segments.push(Segment {
                start: at,
                end: unit.start,
                value: None,
            });
        }
        segments.push(Segment {
            start: unit.start,
            end: unit.end,
            value: Some(unit.value),
        });
        at = unit.end;
        previous = Some(unit);
    }
    if at < len {
        segments.push(Segment {
            start: at,
            end: len,
            value: None,
        });
    }
    Ok(segments)
}

/// Calls `visit(a, b, overlap)` for every pair of segments of two segmentations of the same
/// continuum that share characters, each pair once.
fn for_each_overlap(
    first: &[Segment],
    second: &[Segment],
    mut visit: impl FnMut(usize, usize, usize),
) {
    let (mut p, mut q) = (0, 0);
    while p < first.len() && q < second.len() {
        let (a, b) = (first[p], second[q]);
        let overlap = a.end.min(b.end).saturating_sub(a.start.max(b.start));
        if overlap > 0 {
            visit(p, q, overlap);
        }
        if a.end <= b.end {
            p += 1;
        }
        if b.end <= a.end {
            q += 1;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Krippendorff's α from coincidences (nominal metric)
// ---------------------------------------------------------------------------------------------

/// The sums nominal Krippendorff's α needs from a coincidence matrix: the number of pairable
/// values `n..`, the matching coincidences `Σ_c o_cc`, and the marginals `n_c`.
///
/// Krippendorff, *Content Analysis* 2nd ed. (2004) §11.3, and "Computing Krippendorff's
/// Alpha-Reliability" (2011) §C: a unit with `m_u ≥ 2` values adds `1/(m_u − 1)` to `o_ck`
/// for every ordered pair of its values; `α = 1 − (n.. − 1) Σ_{c≠k} o_ck / Σ_{c≠k} n_c n_k`.
#[derive(Clone, Debug, PartialEq)]
pub struct Coincidences<K: Ord> {
    pub pairable: f64,
    pub matching: f64,
    pub marginals: BTreeMap<K, f64>,
}

impl<K: Ord> Default for Coincidences<K> {
    fn default() -> Self {
        Self {
            pairable: 0.0,
            matching: 0.0,
            marginals: BTreeMap::new(),
        }
    }
}

impl<K: Ord + Clone> Coincidences<K> {
    /// One unit of analysis (here: a run of characters, `weight` of them) with the values its
    /// coders gave it; missing values are left out. Units with fewer than two values are not
    /// pairable and add nothing.
    pub fn add_unit(&mut self, values: &[K], weight: f64) {
        let m = values.len();
        if m < 2 || weight <= 0.0 {
            return;
        }
        let mut counts: BTreeMap<&K, usize> = BTreeMap::new();
        for value in values {
            *counts.entry(value).or_default() += 1;
        }
        for (value, count) in counts {
            let count = count as f64;
            self.matching += weight * count * (count - 1.0) / (m as f64 - 1.0);
            *self.marginals.entry(value.clone()).or_default() += weight * count;
        }
        self.pairable += weight * m as f64;
    }

    pub fn merge(&mut self, other: &Self) {
        self.pairable += other.pairable;
        self.matching += other.matching;
        for (value, n) in &other.marginals {
            *self.marginals.entry(value.clone()).or_default() += n;
        }
    }

    /// Nominal α; `None` when nothing is pairable or every value is the same (no variation,
    /// so the expected disagreement is zero).
    pub fn alpha(&self) -> Option<f64> {
        let n = self.pairable;
        let squares: f64 = self.marginals.values().map(|c| c * c).sum();
        let expected = n * n - squares;
        if n <= 1.0 || expected <= 0.0 {
            return None;
        }
        finite(1.0 - (n - 1.0) * (n - self.matching) / expected)
    }
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

// ---------------------------------------------------------------------------------------------
// Two coders: percent agreement and Cohen's κ
// ---------------------------------------------------------------------------------------------

/// Characters of two coders for one tag: coded by both, by the first only, by the second
/// only, by neither.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Table2 {
    pub both: u64,
    pub first_only: u64,
    pub second_only: u64,
    pub neither: u64,
}

impl Table2 {
    pub fn add(&mut self, first: bool, second: bool, weight: u64) {
        match (first, second) {
            (true, true) => self.both += weight,
            (true, false) => self.first_only += weight,
            (false, true) => self.second_only += weight,
            (false, false) => self.neither += weight,
        }
    }

    pub fn merge(&mut self, other: &Self) {
        self.both += other.both;
        self.first_only += other.first_only;
        self.second_only += other.second_only;
        self.neither += other.neither;
    }

    fn total(&self) -> u64 {
        self.both + self.first_only + self.second_only + self.neither
    }

    /// (both + neither) / characters: NVivo's character-level "percentage agreement" of its
    /// coding comparison query. `None` without characters.
    pub fn percent(&self) -> Option<f64> {
        let n = self.total();
        (n > 0).then(|| (self.both + self.neither) as f64 / n as f64)
    }

    /// Cohen (1960): κ = (p_o − p_e) / (1 − p_e), with p_e from each coder's own marginals.
    /// `None` without characters or when p_e = 1 (both coders constant and equal).
    pub fn kappa(&self) -> Option<f64> {
        let n = self.total() as f64;
        if n == 0.0 {
            return None;
        }
        let observed = (self.both + self.neither) as f64 / n;
        let first = (self.both + self.first_only) as f64 / n;
        let second = (self.both + self.second_only) as f64 / n;
        let expected = first * second + (1.0 - first) * (1.0 - second);
        if (1.0 - expected).abs() < 1e-12 {
            return None;
        }
        finite((observed - expected) / (1.0 - expected))
    }
}

// ---------------------------------------------------------------------------------------------
// Krippendorff's unitizing α_U (2004)
// ---------------------------------------------------------------------------------------------

/// The additive parts of Krippendorff's α_U for one value (tag) on one or more documents.
///
/// *Content Analysis*, 2nd ed. (2004), §11.6, as DKPro Statistics computes it:
/// - observed: for every pair of coders and every pair of their segments that share
///   characters, δ² = (b − b')² + (e − e')² for two units, l² for a unit inside the other
///   coder's gap, 0 otherwise; D_o = 2 Σ δ² / (m (m − 1) L²);
/// - expected: D_e = (2/L) Σ_units [ (N − 1)(2l³ − 3l² + l)/3 + l² Σ_{gaps g ≥ l} (g − l + 1) ]
///   / [ mL(mL − 1) − Σ_units l(l − 1) ], over all coders' units and gaps.
///
/// Several documents are one continuum whose gaps end where a document ends (so the order
/// of the documents does not matter; with one document this is exactly DKPro's continuum).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UnitizingParts {
    pub coders: usize,
    pub length: u64,
    /// Σ δ² over unordered pairs of coders.
    pub observed: f64,
    pub units: Vec<u64>,
    pub gaps: Vec<u64>,
}

/// Observed and expected disagreement of a unitizing measure, and α from them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Disagreement {
    pub observed: f64,
    pub expected: f64,
}

impl Disagreement {
    /// 1 − D_o/D_e; `None` when D_e is 0 (nothing coded, or nothing that could disagree).
    pub fn alpha(&self) -> Option<f64> {
        if self.expected <= 0.0 {
            return None;
        }
        finite(1.0 - self.observed / self.expected)
    }
}

impl UnitizingParts {
    /// The parts of one document: `coders[i]` are coder i's units (of one value).
    pub fn of_document(coders: &[Vec<Unit>], len: usize) -> Result<Self, Overlap> {
        let segmentations = segmentations(coders, len)?;
        let mut parts = Self {
            coders: coders.len(),
            length: len as u64,
            ..Self::default()
        };
        for segments in &segmentations {
            for s in segments {
                match s.value {
                    Some(_) => parts.units.push(s.len() as u64),
                    None => parts.gaps.push(s.len() as u64),
                }
            }
        }
        for (i, first) in segmentations.iter().enumerate() {
            for second in &segmentations[i + 1..] {
                for_each_overlap(first, second, |p, q, _| {
                    parts.observed += unitizing_distance(first[p], second[q]);
                });
            }
        }
        Ok(parts)
    }

    pub fn merge(&mut self, other: &Self) {
        self.coders = self.coders.max(other.coders);
        self.length += other.length;
        self.observed += other.observed;
        self.units.extend_from_slice(&other.units);
        self.gaps.extend_from_slice(&other.gaps);
    }

    pub fn disagreement(&self) -> Disagreement {
        let m = self.coders as f64;
        let l = self.length as f64;
        if self.coders < 2 || self.length == 0 {
            return Disagreement {
                observed: 0.0,
                expected: 0.0,
            };
        }
        let observed = 2.0 * self.observed / (m * (m - 1.0) * l * l);
        Disagreement {
            observed,
            expected: self.expected(),
        }
    }

    fn expected(&self) -> f64 {
        let m = self.coders as f64;
        let l = self.length as f64;
        let n = self.units.len() as f64;
        let mut gaps: Vec<u64> = self.gaps.clone();
        gaps.sort_unstable();
        // suffix[i] = Σ gaps[i..]
        let mut suffix = vec![0.0; gaps.len() + 1];
        for i in (0..gaps.len()).rev() {
            suffix[i] = suffix[i + 1] + gaps[i] as f64;
        }
        let mut sum = 0.0;
        let mut self_pairs = 0.0;
        for &unit in &self.units {
            let u = unit as f64;
            let within = (n - 1.0) * (2.0 * u * u * u - 3.0 * u * u + u) / 3.0;
            let first = gaps.partition_point(|&g| g < unit);
            let count = (gaps.len() - first) as f64;
            // Σ_{g ≥ u} (g − u + 1)
            let fits = suffix[first] - (u - 1.0) * count;
            sum += within + u * u * fits;
            self_pairs += u * (u - 1.0);
        }
        let denominator = m * l * (m * l - 1.0) - self_pairs;
        if denominator <= 0.0 {
            return 0.0;
        }
        (2.0 / l) * sum / denominator
    }
}

fn segmentations(coders: &[Vec<Unit>], len: usize) -> Result<Vec<Vec<Segment>>, Overlap> {
    coders
        .iter()
        .enumerate()
        .map(|(i, units)| segmentation(units, len, i))
        .collect()
}

/// δ² of α_U (2004 §11.6) between two segments of different coders that share characters.
fn unitizing_distance(a: Segment, b: Segment) -> f64 {
    let square = |x: f64| x * x;
    match (a.value, b.value) {
        (Some(_), Some(_)) => {
            square(a.start as f64 - b.start as f64) + square(a.end as f64 - b.end as f64)
        }
        (Some(_), None) if b.start <= a.start && a.end <= b.end => square(a.len() as f64),
        (None, Some(_)) if a.start <= b.start && b.end <= a.end => square(b.len() as f64),
        _ => 0.0,
    }
}

/// α_U over several values (tags) at once, as DKPro combines them: 1 − mean D_o / mean D_e.
pub fn combined_alpha_u(parts: &[Disagreement]) -> Option<f64> {
    let observed: f64 = parts.iter().map(|d| d.observed).sum();
    let expected: f64 = parts.iter().map(|d| d.expected).sum();
    Disagreement { observed, expected }.alpha()
}

// ---------------------------------------------------------------------------------------------
// The uα family (Krippendorff, Mathet, Bouvry & Widlöcher 2016; Content Analysis 4th ed. §12.6)
// ---------------------------------------------------------------------------------------------

/// The additive parts of the 2016 uα family for `values` values on one or more documents.
///
/// Every coder's segmentation (units with their values, and gaps, value ∅) covers the whole
/// continuum. The observed coincidences are the lengths of the intersections of segments of
/// different coders, ℓ_ck = Σ_i Σ_{j≠i} Σ_g Σ_h |s_icg ∩ s_jkh| / (m − 1), so ℓ.. = mL. The
/// expected coincidences are ε_ck = (ℓ_c. ℓ_.k − [c = k] C_c) / (ℓ.. − Σ_c C_c / ℓ..), where the
/// correction C_c takes out the pairs a segment would make with itself: Σ l for gaps (their
/// characters pair freely) and Σ l² for units (a unit is one whole). With every segment one
/// character long this is the ordinary coincidence matrix of [`Coincidences`].
///
/// - uα compares all values: 1 − Σ_{c≠k} ℓ_ck / Σ_{c≠k} ε_ck (nominal δ).
/// - |uα collapses the values to coded vs ∅ (the same matrices, summed).
/// - cuα keeps only coincidences of coded with coded; a unit's correction is then the square
///   of its share of those coincidences (for two coders: its length the other coder coded too).
#[derive(Clone, Debug, PartialEq)]
pub struct UAlphaParts {
    pub coders: usize,
    /// Values besides ∅; index 0 of the matrices is ∅, value v is index v + 1.
    pub values: usize,
    /// Σ over ordered pairs of coders of intersection lengths, row-major (values+1)².
    pub intersections: Vec<f64>,
    /// C_c per index: Σ l of gaps for ∅, Σ l² of units for a value.
    pub correction: Vec<f64>,
    /// The correction among coded segments only (for cuα).
    pub coded_correction: Vec<f64>,
}

/// uα, |uα and cuα of one study; `None` where undefined.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct UAlphas {
    pub u_alpha: Option<f64>,
    pub binary_u_alpha: Option<f64>,
    pub cu_alpha: Option<f64>,
}

impl UAlphaParts {
    pub fn empty(coders: usize, values: usize) -> Self {
        let k = values + 1;
        Self {
            coders,
            values,
            intersections: vec![0.0; k * k],
            correction: vec![0.0; k],
            coded_correction: vec![0.0; k],
        }
    }

    /// The parts of one document; `coders[i]` are coder i's units, values below `values`.
    pub fn of_document(coders: &[Vec<Unit>], len: usize, values: usize) -> Result<Self, Overlap> {
        let segmentations = segmentations(coders, len)?;
        let m = coders.len();
        let k = values + 1;
        let index = |s: &Segment| s.value.map_or(0, |v| (v + 1).min(values));
        let mut parts = Self::empty(m, values);
        // Per coder and segment: characters that other coders also coded (any value).
        let mut shared: Vec<Vec<f64>> = segmentations.iter().map(|s| vec![0.0; s.len()]).collect();
        for i in 0..m {
            for j in i + 1..m {
                let (first, second) = (&segmentations[i], &segmentations[j]);
                for_each_overlap(first, second, |p, q, overlap| {
                    let (a, b) = (index(&first[p]), index(&second[q]));
                    let overlap = overlap as f64;
                    parts.intersections[a * k + b] += overlap;
                    parts.intersections[b * k + a] += overlap;
                    if a > 0 && b > 0 {
                        shared[i][p] += overlap;
                        shared[j][q] += overlap;
                    }
                });
            }
        }
        for (segments, shared) in segmentations.iter().zip(&shared) {
            for (segment, &together) in segments.iter().zip(shared) {
                let c = index(segment);
                let l = segment.len() as f64;
                if c == 0 {
                    parts.correction[0] += l;
                } else {
                    parts.correction[c] += l * l;
                    let share = if m > 1 {
                        together / (m as f64 - 1.0)
                    } else {
                        0.0
                    };
                    parts.coded_correction[c] += share * share;
                }
            }
        }
        Ok(parts)
    }

    pub fn merge(&mut self, other: &Self) {
        self.coders = self.coders.max(other.coders);
        for (a, b) in self.intersections.iter_mut().zip(&other.intersections) {
            *a += b;
        }
        for (a, b) in self.correction.iter_mut().zip(&other.correction) {
            *a += b;
        }
        for (a, b) in self
            .coded_correction
            .iter_mut()
            .zip(&other.coded_correction)
        {
            *a += b;
        }
    }

    /// ℓ_ck.
    fn coincidence(&self, c: usize, k: usize) -> f64 {
        self.intersections[c * (self.values + 1) + k] / (self.coders as f64 - 1.0)
    }

    pub fn alphas(&self) -> UAlphas {
        if self.coders < 2 {
            return UAlphas::default();
        }
        let k = self.values + 1;
        let all: Vec<usize> = (0..k).collect();
        let coded: Vec<usize> = (1..k).collect();
        let u_alpha = self.alpha_among(&all, &self.correction);
        let cu_alpha = self.alpha_among(&coded, &self.coded_correction);
        UAlphas {
            u_alpha,
            binary_u_alpha: self.binary_alpha(),
            cu_alpha,
        }
    }

    /// Nominal uα restricted to the coincidences among `indices`, with their corrections.
    fn alpha_among(&self, indices: &[usize], correction: &[f64]) -> Option<f64> {
        let marginal =
            |c: usize| -> f64 { indices.iter().map(|&k| self.coincidence(c, k)).sum::<f64>() };
        let total: f64 = indices.iter().map(|&c| marginal(c)).sum();
        if total <= 0.0 {
            return None;
        }
        let matching: f64 = indices.iter().map(|&c| self.coincidence(c, c)).sum();
        let corrections: f64 = indices.iter().map(|&c| correction[c]).sum();
        let denominator = total - corrections / total;
        if denominator <= 0.0 {
            return None;
        }
        let expected_matching: f64 = indices
            .iter()
            .map(|&c| (marginal(c).powi(2) - correction[c]) / denominator)
            .sum();
        Disagreement {
            observed: total - matching,
            expected: total - expected_matching,
        }
        .alpha()
    }

    /// |uα: the coincidence matrices collapsed to ∅ vs coded.
    fn binary_alpha(&self) -> Option<f64> {
        let k = self.values + 1;
        let total: f64 = (0..k)
            .flat_map(|c| (0..k).map(move |d| (c, d)))
            .map(|(c, d)| self.coincidence(c, d))
            .sum();
        if total <= 0.0 {
            return None;
        }
        let gap: f64 = (0..k).map(|d| self.coincidence(0, d)).sum();
        let corrections: f64 = self.correction.iter().sum();
        let denominator = total - corrections / total;
        if denominator <= 0.0 {
            return None;
        }
        let observed: f64 = 2.0 * (1..k).map(|d| self.coincidence(0, d)).sum::<f64>();
        let expected = 2.0 * gap * (total - gap) / denominator;
        Disagreement { observed, expected }.alpha()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(spans: &[(usize, usize)]) -> Vec<Unit> {
        spans.iter().map(|&(s, e)| Unit::new(s, e, 0)).collect()
    }

    #[test]
    fn a_segmentation_fills_the_gaps_and_keeps_identical_units_once() {
        let s = segmentation(&units(&[(2, 4), (2, 4), (6, 10)]), 12, 0).unwrap();
        let spans: Vec<_> = s.iter().map(|s| (s.start, s.end, s.value)).collect();
        assert_eq!(
            spans,
            [
                (0, 2, None),
                (2, 4, Some(0)),
                (4, 6, None),
                (6, 10, Some(0)),
                (10, 12, None)
            ]
        );
    }

    #[test]
    fn overlapping_units_of_one_coder_are_reported() {
        let error = segmentation(&units(&[(2, 6), (4, 8)]), 12, 1).unwrap_err();
        assert_eq!(
            error,
            Overlap {
                document: 0,
                coder: 1,
                first: (2, 6),
                second: (4, 8)
            }
        );
    }

    /// DKPro Statistics' unit tests of the distance (Krippendorff2004Test, testDistanceMetric2):
    /// units at 225+70 and 220+80 → 50; 370+30 and 355+20 → 850; a gap 400+50 holding a unit
    /// 400+20 → 400.
    #[test]
    fn the_unitizing_distance_matches_dkpro_worked_values() {
        let unit = |s, l| Segment {
            start: s,
            end: s + l,
            value: Some(0),
        };
        let gap = |s, l| Segment {
            start: s,
            end: s + l,
            value: None,
        };
        assert_eq!(unitizing_distance(unit(225, 70), unit(220, 80)), 50.0);
        assert_eq!(unitizing_distance(unit(370, 30), unit(355, 20)), 850.0);
        assert_eq!(unitizing_distance(gap(400, 50), unit(400, 20)), 400.0);
        assert_eq!(unitizing_distance(unit(1, 8), gap(0, 2)), 0.0);
    }

    /// With every segment one character long, uα's expected coincidences are the ordinary
    /// ones, so per-character uα equals nominal α over characters.
    #[test]
    fn u_alpha_of_one_character_units_is_alpha_over_characters() {
        let first: Vec<Unit> = [0, 1, 2, 5, 7]
            .iter()
            .map(|&s| Unit::new(s, s + 1, 0))
            .collect();
        let second: Vec<Unit> = [1, 2, 3, 7, 8]
            .iter()
            .map(|&s| Unit::new(s, s + 1, 0))
            .collect();
        // Gaps are corrected by Σ l (character by character) whatever their length; units of
        // one character by l² = l: the corrections are those of ordinary α.
        let parts = UAlphaParts::of_document(&[first.clone(), second.clone()], 10, 1).unwrap();
        let mut chars = Coincidences::default();
        for x in 0..10 {
            let coded = |us: &[Unit]| us.iter().any(|u| u.start <= x && x < u.end);
            chars.add_unit(&[coded(&first), coded(&second)], 1.0);
        }
        let u = parts.alphas().u_alpha.unwrap();
        let a = chars.alpha().unwrap();
        assert!((u - a).abs() < 1e-12, "{u} vs {a}");
    }
}
