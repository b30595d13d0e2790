//! Units: stored canonically (km, litres, L/100 km), shown in the user's system. US gallons and miles
//! for imperial (the app's imperial users are American); fuel economy in mpg there, L/100 km otherwise.

use pam_kernel::Units;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const KM_PER_MILE: f64 = 1.609_344;
pub const LITRES_PER_US_GALLON: f64 = 3.785_411_784;

/// L/100 km ↔ mpg (US): mpg = 235.214583 / (L/100 km). The conversion is its own inverse.
pub const MPG_L100_PRODUCT: f64 = 100.0 * LITRES_PER_US_GALLON / KM_PER_MILE;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum VolumeUnit {
    #[serde(alias = "l", alias = "L", alias = "liters", alias = "litre", alias = "liter")]
    Litres,
    #[serde(alias = "gal", alias = "gallon")]
    Gallons,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum DistanceUnit {
    #[serde(rename = "km", alias = "kilometres", alias = "kilometers")]
    Km,
    #[serde(rename = "mi", alias = "miles", alias = "mile")]
    Miles,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum ConsumptionUnit {
    #[serde(rename = "L/100km", alias = "l/100km", alias = "L/100 km")]
    LitresPer100Km,
    #[serde(rename = "mpg", alias = "MPG")]
    Mpg,
}

impl VolumeUnit {
    /// The unit a volume is read in when the input does not name one: the user's own.
    pub fn default_for(units: Units) -> VolumeUnit {
        match units {
            Units::Metric => VolumeUnit::Litres,
            Units::Imperial => VolumeUnit::Gallons,
        }
    }

    /// `L` or `gal`, as a reply writes it.
    pub fn symbol(self) -> &'static str {
        match self {
            VolumeUnit::Litres => "L",
            VolumeUnit::Gallons => "gal",
        }
    }
}

impl DistanceUnit {
    /// The unit an odometer reading or a distance is read in when the input does not name one.
    pub fn default_for(units: Units) -> DistanceUnit {
        match units {
            Units::Metric => DistanceUnit::Km,
            Units::Imperial => DistanceUnit::Miles,
        }
    }
}

impl ConsumptionUnit {
    /// The unit a fuel use is read in when the input does not name one.
    pub fn default_for(units: Units) -> ConsumptionUnit {
        match units {
            Units::Metric => ConsumptionUnit::LitresPer100Km,
            Units::Imperial => ConsumptionUnit::Mpg,
        }
    }
}

/// An enum kept in a text column whose stored names are its wire names, each written once, here: the
/// macro gives every variant that serde name and derives `as_str` (to bind it), `from_db` (a name this
/// version does not know — a row written by a newer one — reads as the default variant, rather than
/// failing the whole read) and `From<String>` (for `#[sqlx(try_from = "String")]`). Variant attributes
/// (`#[default]`, serde aliases, docs) pass through.
macro_rules! stored_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            // `tt` rather than `literal`: a `literal` fragment reaches the derives wrapped in an invisible
            // group, which serde reads but utoipa does not (the schema showed the Rust names).
            $( $(#[$vmeta:meta])* $variant:ident = $text:tt ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            /// The stored (and wire) name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )+
                }
            }

            /// The variant a stored name stands for; an unknown name reads as the default.
            pub fn from_db(stored: &str) -> $name {
                match stored {
                    $( $text => $name::$variant, )+
                    _ => $name::default(),
                }
            }
        }

        impl From<String> for $name {
            fn from(stored: String) -> $name {
                $name::from_db(&stored)
            }
        }
    };
}
pub(crate) use stored_enum;

pub fn to_litres(value: f64, unit: VolumeUnit) -> f64 {
    match unit {
        VolumeUnit::Litres => value,
        VolumeUnit::Gallons => value * LITRES_PER_US_GALLON,
    }
}

/// The most an odometer reading may say, in the unit it is given in: a bound on typos, not on vehicles.
pub const MAX_READING: f64 = 5_000_000.0;

/// An odometer reading in km, checked in the unit it was given in (0 to [`MAX_READING`] km or miles, as
/// the document says): one outside that is NaN, which the record's check refuses with the bound.
pub fn reading_km(value: f64, unit: DistanceUnit) -> f64 {
    if (0.0..=MAX_READING).contains(&value) { to_km(value, unit) } else { f64::NAN }
}

pub fn to_km(value: f64, unit: DistanceUnit) -> f64 {
    match unit {
        DistanceUnit::Km => value,
        DistanceUnit::Miles => value * KM_PER_MILE,
    }
}

/// Consumption in L/100 km from either unit; None for a value that is no consumption (0, negative).
pub fn to_l_per_100km(value: f64, unit: ConsumptionUnit) -> Option<f64> {
    if !(value.is_finite() && value > 0.0) {
        return None;
    }
    Some(match unit {
        ConsumptionUnit::LitresPer100Km => value,
        ConsumptionUnit::Mpg => MPG_L100_PRODUCT / value,
    })
}

/// Plausible fuel use for a road vehicle, car to heavy motorhome towing (L/100 km).
pub const CONSUMPTION_RANGE: std::ops::RangeInclusive<f64> = 3.0..=60.0;

/// The same in US mpg, rounded inwards to what the documents state (3.93 mpg is 59.85 L/100km, 78.4 mpg
/// 3.0002): a figure given in mpg is checked against these, so the documents' bounds are the rule.
pub const MPG_RANGE: std::ops::RangeInclusive<f64> = 3.93..=78.4;

/// A quantity in the user's system, rounded for display.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, ToSchema)]
pub struct Shown {
    pub value: f64,
    pub unit: &'static str,
}

fn round(v: f64, places: i32) -> f64 {
    let p = 10f64.powi(places);
    (v * p).round() / p
}

pub fn show_distance(km: f64, units: Units) -> Shown {
    match units {
        Units::Metric => Shown { value: round(km, 1), unit: "km" },
        Units::Imperial => Shown { value: round(km / KM_PER_MILE, 1), unit: "mi" },
    }
}

pub fn show_volume(litres: f64, units: Units) -> Shown {
    match units {
        Units::Metric => Shown { value: round(litres, 2), unit: "L" },
        Units::Imperial => Shown { value: round(litres / LITRES_PER_US_GALLON, 2), unit: "gal" },
    }
}

pub fn show_consumption(l_per_100km: f64, units: Units) -> Shown {
    match units {
        Units::Metric => Shown { value: round(l_per_100km, 1), unit: "L/100km" },
        Units::Imperial => Shown { value: round(MPG_L100_PRODUCT / l_per_100km, 1), unit: "mpg" },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_trip() {
        assert!((to_km(100.0, DistanceUnit::Miles) - 160.9344).abs() < 1e-9);
        assert!((to_litres(10.0, VolumeUnit::Gallons) - 37.854).abs() < 1e-3);
        let l100 = to_l_per_100km(10.0, ConsumptionUnit::Mpg).unwrap();
        assert!((l100 - 23.52).abs() < 0.01);
        assert_eq!(show_consumption(l100, Units::Imperial).value, 10.0);
        assert_eq!(to_l_per_100km(0.0, ConsumptionUnit::Mpg), None);
        assert_eq!(show_distance(870.26, Units::Metric), Shown { value: 870.3, unit: "km" });
        assert_eq!(show_distance(160.9344, Units::Imperial).value, 100.0);
    }

    stored_enum! {
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
        enum Kind {
            #[serde(alias = "big")]
            Large = "large",
            #[default]
            Other = "other",
        }
    }

    #[test]
    fn stored_names_are_the_wire_names() {
        for kind in [Kind::Large, Kind::Other] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
            assert_eq!(Kind::from_db(kind.as_str()), kind);
        }
        assert_eq!(Kind::from_db("from a newer version"), Kind::Other);
        assert_eq!(serde_json::from_value::<Kind>("big".into()).unwrap(), Kind::Large, "aliases pass through");
        assert_eq!(Kind::from(String::from("large")), Kind::Large);
    }

    #[test]
    fn unnamed_units_are_the_users_own() {
        assert_eq!(VolumeUnit::default_for(Units::Imperial), VolumeUnit::Gallons);
        assert_eq!(VolumeUnit::default_for(Units::Metric), VolumeUnit::Litres);
        assert_eq!(DistanceUnit::default_for(Units::Imperial), DistanceUnit::Miles);
        assert_eq!(ConsumptionUnit::default_for(Units::Imperial), ConsumptionUnit::Mpg);
        assert_eq!(ConsumptionUnit::default_for(Units::Metric), ConsumptionUnit::LitresPer100Km);
    }
}
