//! Reverse lookup: places bucketed into 1°×1° cells, searched outward from the query's cell, so a
//! nearest-town query looks at a few dozen places instead of all 65,000.

use crate::coords::{Coordinates, EARTH_RADIUS_KM};

const ROWS: usize = 180;
const COLS: usize = 360;
/// Kilometres per degree along a meridian.
const KM_PER_DEGREE: f64 = EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;

/// Places by cell, as one id list and the start of each cell's run in it, with each place's position as
/// a unit vector stored in the same order: the straight-line (chord) distance between unit vectors
/// grows with the great-circle distance, so comparing candidates costs a few multiplications, no trig.
pub(crate) struct Grid {
    /// Cell `i`'s places are `ids[cell_starts[i]..cell_starts[i + 1]]`; cell `i` = row × COLS + col.
    cell_starts: Vec<u32>,
    ids: Vec<u32>,
    /// `points[k]` is the unit vector of place `ids[k]`.
    points: Vec<[f64; 3]>,
}

fn cell_of(lat: f64, lon: f64) -> (usize, usize) {
    // Clamped: lat 90 and lon 180 belong to the last row/column, not one past it.
    let row = ((lat + 90.0).floor().max(0.0) as usize).min(ROWS - 1);
    let col = ((lon + 180.0).floor().max(0.0) as usize).min(COLS - 1);
    (row, col)
}

fn unit_vector(at: Coordinates) -> [f64; 3] {
    let (lat, lon) = (at.lat().to_radians(), at.lon().to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

fn chord_squared(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let (dx, dy, dz) = (a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    dx * dx + dy * dy + dz * dz
}

fn chord_to_km(chord_squared: f64) -> f64 {
    2.0 * EARTH_RADIUS_KM * (chord_squared.sqrt() / 2.0).min(1.0).asin()
}

impl Grid {
    /// `positions[i]` is place `i`'s position.
    pub(crate) fn build(positions: &[Coordinates]) -> Grid {
        let cells: Vec<usize> = positions
            .iter()
            .map(|p| {
                let (row, col) = cell_of(p.lat(), p.lon());
                row * COLS + col
            })
            .collect();
        // Counting sort: count per cell, prefix sums, then place each id.
        let mut cell_starts = vec![0u32; ROWS * COLS + 1];
        for &cell in &cells {
            cell_starts[cell + 1] += 1;
        }
        for i in 1..cell_starts.len() {
            cell_starts[i] += cell_starts[i - 1];
        }
        let mut next = cell_starts.clone();
        let mut ids = vec![0u32; positions.len()];
        let mut points = vec![[0.0; 3]; positions.len()];
        for (id, (&cell, &position)) in cells.iter().zip(positions).enumerate() {
            let slot = next[cell] as usize;
            ids[slot] = u32::try_from(id).unwrap_or(u32::MAX);
            points[slot] = unit_vector(position);
            next[cell] += 1;
        }
        Grid { cell_starts, ids, points }
    }

    fn scan(&self, row: usize, col: usize, target: &[f64; 3], best: &mut Option<(u32, f64)>) {
        let cell = row * COLS + col;
        let (Some(&start), Some(&end)) = (self.cell_starts.get(cell), self.cell_starts.get(cell + 1)) else {
            return;
        };
        let range = start as usize..end as usize;
        let (Some(ids), Some(points)) = (self.ids.get(range.clone()), self.points.get(range)) else {
            return;
        };
        for (&id, point) in ids.iter().zip(points) {
            let distance = chord_squared(target, point);
            if best.is_none_or(|(_, d)| distance < d) {
                *best = Some((id, distance));
            }
        }
    }

    /// The place nearest to `at` and its great-circle distance in km.
    pub(crate) fn nearest(&self, at: Coordinates) -> Option<(u32, f64)> {
        let target = unit_vector(at);
        let (row0, col0) = cell_of(at.lat(), at.lon());
        let mut best: Option<(u32, f64)> = None;
        // 1. Rings of cells around the query's cell until one holds a place.
        for ring in 0..=ROWS.max(COLS) / 2 {
            for (row, col) in ring_cells(row0, col0, ring) {
                self.scan(row, col, &target, &mut best);
            }
            if best.is_some() {
                break;
            }
        }
        // 2. Every cell overlapping the box that holds all points closer than the best so far: the first
        //    ring with a place need not hold the nearest one (a place in a ring's far corner can be
        //    farther than one just across the next ring's edge).
        let (_, found) = best?;
        let found_km = chord_to_km(found);
        let d_lat = found_km / KM_PER_DEGREE;
        let rows = cell_of(at.lat() - d_lat, 0.0).0..=cell_of(at.lat() + d_lat, 0.0).0;
        let extreme_lat = (at.lat().abs() + d_lat).min(90.0);
        // Haversine: sin(d/2R) ≥ cos φ · sin(Δλ/2) at the most poleward latitude φ a match could have.
        let ratio = (found_km / (2.0 * EARTH_RADIUS_KM)).sin() / extreme_lat.to_radians().cos();
        let d_lon = if ratio.is_finite() && ratio < 1.0 { (2.0 * ratio.asin()).to_degrees() } else { 180.0 };
        let (first_col, last_col) =
            ((at.lon() - d_lon + 180.0).floor() as i64, (at.lon() + d_lon + 180.0).floor() as i64);
        let cols: Vec<usize> = if last_col - first_col + 1 >= COLS as i64 {
            (0..COLS).collect()
        } else {
            (first_col..=last_col).map(|c| c.rem_euclid(COLS as i64) as usize).collect()
        };
        for row in rows {
            for &col in &cols {
                self.scan(row, col, &target, &mut best);
            }
        }
        best.map(|(id, chord)| (id, chord_to_km(chord)))
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        (self.cell_starts.capacity() + self.ids.capacity()) * 4 + self.points.capacity() * 24
    }
}

/// Cells at Chebyshev distance exactly `ring` from (row0, col0); columns wrap around the date line.
fn ring_cells(row0: usize, col0: usize, ring: usize) -> impl Iterator<Item = (usize, usize)> {
    let ring_i = ring as isize;
    (-ring_i..=ring_i).flat_map(move |dr| {
        let on_edge_row = dr.abs() == ring_i;
        let step = if on_edge_row || ring == 0 { 1 } else { (2 * ring).max(1) };
        (-ring_i..=ring_i).step_by(step).filter_map(move |dc| {
            let row = row0 as isize + dr;
            if !(0..ROWS as isize).contains(&row) {
                return None;
            }
            let col = (col0 as isize + dc).rem_euclid(COLS as isize);
            Some((row as usize, col as usize))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(lat: f64, lon: f64) -> Coordinates {
        Coordinates::new(lat, lon).unwrap()
    }

    #[test]
    fn nearest_matches_a_linear_scan() {
        let points = vec![at(-32.2430, 148.6048), at(-33.8678, 151.2073), at(51.5, -0.12), at(-31.95, 115.86)];
        let grid = Grid::build(&points);
        for query in [at(-32.3, 148.5), at(-34.0, 151.0), at(0.0, 0.0), at(-31.0, 179.9), at(89.9, 10.0)] {
            let (id, km) = grid.nearest(query).unwrap();
            let expected = (0..points.len())
                .min_by(|&a, &b| query.distance_km(points[a]).total_cmp(&query.distance_km(points[b])))
                .unwrap();
            assert_eq!(id as usize, expected, "query {query:?}");
            assert!((km - query.distance_km(points[expected])).abs() < 1e-6, "{km}");
        }
    }

    #[test]
    fn the_date_line_is_not_a_wall() {
        let points = vec![at(-17.0, 179.9), at(-17.0, 170.0)];
        let grid = Grid::build(&points);
        let (id, _) = grid.nearest(at(-17.0, -179.9)).unwrap();
        assert_eq!(id, 0);
    }

    #[test]
    fn ring_cells_are_the_border_of_the_square() {
        assert_eq!(ring_cells(50, 50, 0).count(), 1);
        assert_eq!(ring_cells(50, 50, 1).count(), 8);
        assert_eq!(ring_cells(50, 50, 2).count(), 16);
        assert_eq!(ring_cells(0, 50, 1).count(), 5, "rows off the grid are skipped");
    }

    #[test]
    fn an_empty_grid_has_no_nearest_place() {
        let grid = Grid::build(&[]);
        assert_eq!(grid.nearest(at(0.0, 0.0)), None);
    }
}
