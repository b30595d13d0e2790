//! Reading the bundled TSV files (format in `data/README.md`) into compact rows. Strings are slices of
//! the embedded text, so loading allocates no per-place strings.

use std::collections::HashMap;

use super::normalize::fold;
use crate::coords::Coordinates;

/// Ranking multiplier for Australian places: the app's home market, so an ambiguous name leans to the
/// Australian town. Mild on purpose — a foreign place four times bigger still wins ("Portland" is
/// Portland, Oregon, not Portland, Victoria), and any qualifier overrides it.
pub(crate) const AUSTRALIA_PREFERENCE: u32 = 4;

/// One gazetteer row, 56 bytes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Record {
    pub(crate) name: &'static str,
    pub(crate) ascii_name: &'static str,
    /// Parsed from the file's 4-decimal text, so it prints back as written ("151.2073").
    pub(crate) coordinates: Coordinates,
    /// Index into `Tables::regions`.
    pub(crate) region: u16,
    pub(crate) population: u32,
}

/// A first-level division (state, province, region) of one country.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Region {
    /// Index into `Tables::countries`.
    pub(crate) country: u16,
    pub(crate) code: &'static str,
    pub(crate) name: &'static str,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct CountryRow {
    pub(crate) code: &'static str,
    pub(crate) name: &'static str,
}

/// What a qualifier word ("WA", "Scotland", "UK") can mean; a place matches it if it matches any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Qualifier {
    Country(u16),
    Region(u16),
}

pub(crate) struct Tables {
    pub(crate) records: Vec<Record>,
    pub(crate) regions: Vec<Region>,
    pub(crate) countries: Vec<CountryRow>,
    /// Folded qualifier text → its meanings.
    pub(crate) qualifiers: HashMap<String, Vec<Qualifier>>,
    /// Rows that did not parse (the tests require none).
    pub(crate) skipped_rows: usize,
}

impl Tables {
    pub(crate) fn rank(&self, record: &Record) -> u32 {
        let base = record.population.max(1);
        let country =
            self.regions.get(usize::from(record.region)).and_then(|r| self.countries.get(usize::from(r.country)));
        match country {
            Some(c) if c.code == "AU" => base.saturating_mul(AUSTRALIA_PREFERENCE),
            _ => base,
        }
    }
}

/// Data lines of a TSV file: comments (`#`) and blank lines skipped, fields split on tabs.
fn rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).map(|l| l.split('\t').collect())
}

/// Parses the places files (each with the same columns) and the admin1/country tables.
pub(crate) fn load(places: &[&'static str], admin1: &'static str, countries: &'static str) -> Tables {
    let mut tables = Tables {
        records: Vec::with_capacity(66_000),
        regions: Vec::new(),
        countries: Vec::new(),
        qualifiers: HashMap::new(),
        skipped_rows: 0,
    };
    let mut country_index: HashMap<&'static str, u16> = HashMap::new();
    let mut country_aliases: Vec<(u16, &'static str)> = Vec::new();
    for fields in rows(countries) {
        let (Some(&code), Some(&name)) = (fields.first(), fields.get(1)) else {
            tables.skipped_rows += 1;
            continue;
        };
        let index = u16::try_from(tables.countries.len()).unwrap_or(u16::MAX);
        tables.countries.push(CountryRow { code, name });
        country_index.insert(code, index);
        country_aliases.extend([code, name].into_iter().map(|text| (index, text)));
        let aliases = fields.get(2).map(|a| a.split(',')).into_iter().flatten();
        country_aliases.extend(aliases.map(|alias| (index, alias)));
    }

    let mut region_index: HashMap<(u16, &'static str), u16> = HashMap::new();
    for text in places {
        for fields in rows(text) {
            match parse_place(&fields, &mut tables, &mut country_index, &mut region_index) {
                Some(record) => tables.records.push(record),
                None => tables.skipped_rows += 1,
            }
        }
    }

    for (country, alias) in country_aliases {
        add_qualifier(&mut tables.qualifiers, alias, Qualifier::Country(country));
    }
    for (index, region) in tables.regions.iter().enumerate() {
        let index = u16::try_from(index).unwrap_or(u16::MAX);
        add_qualifier(&mut tables.qualifiers, region.name, Qualifier::Region(index));
    }
    for fields in rows(admin1) {
        let (Some(cc), Some(code), Some(name)) = (fields.first(), fields.get(1), fields.get(2)) else {
            tables.skipped_rows += 1;
            continue;
        };
        // A state with no place in the gazetteer has nothing to qualify; it is not an error.
        let Some(&region) = country_index.get(cc).and_then(|c| region_index.get(&(*c, *code))) else {
            continue;
        };
        let aliases = fields.get(3).map(|a| a.split(',')).into_iter().flatten();
        for text in [*code, *name].into_iter().chain(aliases) {
            add_qualifier(&mut tables.qualifiers, text, Qualifier::Region(region));
        }
    }
    tables.records.shrink_to_fit();
    tables
}

fn add_qualifier(qualifiers: &mut HashMap<String, Vec<Qualifier>>, text: &str, meaning: Qualifier) {
    let key = fold(text);
    if key.is_empty() {
        return;
    }
    let meanings = qualifiers.entry(key).or_default();
    if !meanings.contains(&meaning) {
        meanings.push(meaning);
    }
}

fn parse_place(
    fields: &[&'static str],
    tables: &mut Tables,
    country_index: &mut HashMap<&'static str, u16>,
    region_index: &mut HashMap<(u16, &'static str), u16>,
) -> Option<Record> {
    let [name, ascii_name, country_code, admin1_code, admin1_name, lat, lon, population] = *fields else {
        return None;
    };
    if name.is_empty() || ascii_name.is_empty() {
        return None;
    }
    let coordinates = Coordinates::new(lat.trim().parse().ok()?, lon.trim().parse().ok()?).ok()?;
    let population = population.trim().parse().ok()?;
    let country = match country_index.get(country_code) {
        Some(&index) => index,
        None => {
            // Every code in places.tsv is in countries.tsv today; if one is not, show its code as its name.
            let index = u16::try_from(tables.countries.len()).ok()?;
            tables.countries.push(CountryRow { code: country_code, name: country_code });
            country_index.insert(country_code, index);
            index
        }
    };
    let region = match region_index.get(&(country, admin1_code)) {
        Some(&index) => index,
        None => {
            let index = u16::try_from(tables.regions.len()).ok()?;
            tables.regions.push(Region { country, code: admin1_code, name: admin1_name });
            region_index.insert((country, admin1_code), index);
            index
        }
    };
    Some(Record { name, ascii_name, coordinates, region, population })
}

#[cfg(test)]
mod tests {
    use super::*;

    const COUNTRIES: &str = "AU\tAustralia\tAus,Oz\nGB\tUnited Kingdom\tUK,Scotland\n";
    const ADMIN1: &str = "AU\tWA\tWestern Australia\tW.A.,West Australia\nAU\tNT\tNorthern Territory\tN.T.\n";
    const PLACES: &str = "Perth\tPerth\tAU\tWA\tWestern Australia\t-31.9522\t115.8614\t2384371\n\
                          Perth\tPerth\tGB\tSCT\tScotland\t56.3952\t-3.4314\t47350\n\
                          # a comment\n\
                          Broken\tBroken\tAU\tWA\n\
                          Nowhere\tNowhere\tAU\tWA\tWestern Australia\t95.0\t0\t1\n";

    #[test]
    fn rows_parse_and_bad_rows_are_counted_not_fatal() {
        let tables = load(&[PLACES], ADMIN1, COUNTRIES);
        assert_eq!(tables.records.len(), 2);
        assert_eq!(tables.skipped_rows, 2, "short row and out-of-range latitude");
        assert_eq!(tables.records[0].coordinates.lat(), -31.9522);
        assert_eq!(tables.regions.len(), 2);
    }

    #[test]
    fn qualifiers_come_from_codes_names_and_aliases() {
        let tables = load(&[PLACES], ADMIN1, COUNTRIES);
        let wa = tables.qualifiers.get("wa").unwrap();
        assert_eq!(wa, &[Qualifier::Region(0)]);
        assert!(tables.qualifiers.contains_key("west australia"));
        assert!(tables.qualifiers.contains_key("uk"));
        // Scotland is both a GB alias and the admin1 name of the Scottish row.
        assert_eq!(tables.qualifiers.get("scotland").unwrap().len(), 2);
        // NT has no place in this sample, so it qualifies nothing.
        assert!(!tables.qualifiers.contains_key("nt"));
    }

    #[test]
    fn australian_places_rank_higher_than_their_population_alone() {
        let tables = load(&[PLACES], ADMIN1, COUNTRIES);
        assert_eq!(tables.rank(&tables.records[0]), 2_384_371 * AUSTRALIA_PREFERENCE);
        assert_eq!(tables.rank(&tables.records[1]), 47_350);
    }
}
