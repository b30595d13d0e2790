//! The bundled offline gazetteer: 65,000 towns and cities (GeoNames, CC BY 4.0; see `data/README.md`)
//! for finding a place by the name a person types and the town nearest to a point, with no network.
//!
//! Loaded once per process ([`Gazetteer::global`]) from TSV files compiled into the binary. Names are
//! compared folded (case, accents, punctuation) and canonical (Mt = Mount, St = Saint, Pt = Port/Point),
//! misspellings are found through a symmetric-delete index, and reverse lookups use a 1° grid.

mod fuzzy;
mod grid;
mod load;
mod lookup;
mod names;
mod normalize;
mod place;
mod query;

use std::sync::OnceLock;

pub use lookup::MAX_SEARCH_RESULTS;
pub use place::{Admin1, Country, MatchQuality, NotFound, Place, PlaceMatch};

use crate::coords::Coordinates;
use fuzzy::DeleteIndex;
use grid::Grid;
use load::{Qualifier, Tables};
use names::{NameIndex, WordIndex};
use normalize::{canonical, fold};

const PLACES_TSV: &str = include_str!("../../data/places.tsv");
const EXTRAS_TSV: &str = include_str!("../../data/extras.tsv");
const ADMIN1_TSV: &str = include_str!("../../data/admin1.tsv");
const COUNTRIES_TSV: &str = include_str!("../../data/countries.tsv");

/// The attribution the GeoNames licence (CC BY 4.0) asks for; show it wherever gazetteer data is shown.
pub const ATTRIBUTION: &str =
    "Place names and locations © GeoNames (geonames.org), CC BY 4.0. Selected and reformatted by Wheels & Wins.";

/// The loaded gazetteer and its indexes. Immutable, so one instance is shared by every thread.
pub struct Gazetteer {
    tables: Tables,
    /// Ranking weight per place: population with the Australian preference (see `load`).
    ranks: Vec<u32>,
    names: NameIndex,
    deletes: DeleteIndex,
    words: WordIndex,
    grid: Grid,
}

static GLOBAL: OnceLock<Gazetteer> = OnceLock::new();

impl Gazetteer {
    /// The process-wide gazetteer, loaded on first use (about 0.1 s in a release build).
    pub fn global() -> &'static Gazetteer {
        GLOBAL.get_or_init(Gazetteer::load)
    }

    /// Parses the bundled files and builds the indexes. Prefer [`Gazetteer::global`]; this is for
    /// measuring the load.
    pub fn load() -> Gazetteer {
        let tables = load::load(&[PLACES_TSV, EXTRAS_TSV], ADMIN1_TSV, COUNTRIES_TSV);
        if tables.skipped_rows > 0 {
            tracing::warn!(skipped = tables.skipped_rows, "gazetteer rows did not parse");
        }
        let ranks: Vec<u32> = tables.records.iter().map(|r| tables.rank(r)).collect();
        let keyed = tables.records.iter().zip(&ranks).enumerate().map(|(id, (record, &rank))| {
            (canonical(&fold(record.ascii_name)), rank, u32::try_from(id).unwrap_or(u32::MAX))
        });
        let names = NameIndex::build(keyed.collect());
        let deletes = DeleteIndex::build(names.keys());
        let key_ranks = (0..names.len()).map(|k| {
            let best = names.ids(k).first().and_then(|&id| ranks.get(id as usize)).copied().unwrap_or(0);
            (names.key(k), best)
        });
        let words = WordIndex::build(key_ranks);
        let positions: Vec<Coordinates> = tables.records.iter().map(|r| r.coordinates).collect();
        let grid = Grid::build(&positions);
        Gazetteer { tables, ranks, names, deletes, words, grid }
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.tables.records.len()
    }

    /// True when no place loaded (never, with the bundled data).
    pub fn is_empty(&self) -> bool {
        self.tables.records.is_empty()
    }

    /// Rows of the bundled files that did not parse and were left out (0 with the bundled data).
    pub fn skipped_rows(&self) -> usize {
        self.tables.skipped_rows
    }

    /// Approximate heap bytes held by the tables and indexes (the embedded text is not counted).
    pub fn heap_bytes(&self) -> usize {
        let tables = self.tables.records.capacity() * std::mem::size_of::<load::Record>()
            + self.tables.regions.capacity() * std::mem::size_of::<load::Region>()
            + self.tables.qualifiers.iter().map(|(k, v)| k.capacity() + v.capacity() * 4 + 48).sum::<usize>();
        tables
            + self.ranks.capacity() * 4
            + self.names.heap_bytes()
            + self.deletes.heap_bytes()
            + self.words.heap_bytes()
            + self.grid.heap_bytes()
    }

    /// The town nearest to a point, with its distance; `None` for an invalid latitude/longitude.
    pub fn nearest(&self, lat: f64, lon: f64) -> Option<PlaceMatch> {
        let at = Coordinates::new(lat, lon).ok()?;
        let (id, km) = self.grid.nearest(at)?;
        let distance_km = (km * 100.0).round() / 100.0;
        Some(PlaceMatch { place: self.place(id)?, quality: MatchQuality::Nearest { distance_km } })
    }

    fn place(&self, id: u32) -> Option<Place> {
        let record = self.tables.records.get(id as usize)?;
        let region = self.tables.regions.get(usize::from(record.region))?;
        let country = self.tables.countries.get(usize::from(region.country))?;
        Some(Place {
            name: record.name,
            admin1: Admin1 { code: region.code, name: region.name },
            country: Country { code: country.code, name: country.name },
            coordinates: record.coordinates,
            population: record.population,
        })
    }

    fn rank(&self, id: u32) -> u32 {
        self.ranks.get(id as usize).copied().unwrap_or(0)
    }

    /// Whether place `id` matches at least one meaning of every qualifier.
    fn satisfies(&self, id: u32, qualifiers: &[&[Qualifier]]) -> bool {
        let Some(record) = self.tables.records.get(id as usize) else {
            return false;
        };
        let country = self.tables.regions.get(usize::from(record.region)).map(|r| r.country);
        qualifiers.iter().all(|meanings| {
            meanings.iter().any(|meaning| match *meaning {
                Qualifier::Country(c) => Some(c) == country,
                Qualifier::Region(r) => r == record.region,
            })
        })
    }

    /// Whether place `id`'s name folds to exactly `folded` (no abbreviation involved).
    fn spelled_as(&self, id: u32, folded: &str) -> bool {
        self.tables.records.get(id as usize).is_some_and(|r| fold(r.ascii_name) == folded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_row_parses() {
        let gazetteer = Gazetteer::global();
        assert_eq!(gazetteer.skipped_rows(), 0);
        assert_eq!(gazetteer.len(), 65_571 + 3, "places.tsv rows plus extras.tsv rows");
    }

    #[test]
    fn nearest_agrees_with_a_scan_of_every_place() {
        let gazetteer = Gazetteer::global();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for i in 0..100 {
            // Half over Australia, half anywhere (oceans and poles included).
            let (lat, lon) = if i % 2 == 0 {
                (-10.0 - next() * 33.0, 113.0 + next() * 40.0)
            } else {
                (next() * 180.0 - 90.0, next() * 360.0 - 180.0)
            };
            let at = Coordinates::new(lat, lon).unwrap();
            let found = gazetteer.nearest(lat, lon).unwrap();
            let closest =
                gazetteer.tables.records.iter().map(|r| at.distance_km(r.coordinates)).fold(f64::MAX, f64::min);
            match found.quality {
                MatchQuality::Nearest { distance_km } => {
                    assert!((distance_km - closest).abs() < 0.01, "({lat}, {lon}): {distance_km} vs {closest}")
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn invalid_points_have_no_nearest_town() {
        let gazetteer = Gazetteer::global();
        assert_eq!(gazetteer.nearest(f64::NAN, 0.0), None);
        assert_eq!(gazetteer.nearest(0.0, 200.0), None);
    }
}
