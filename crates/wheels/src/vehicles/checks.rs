//! A vehicle's fields checked once, for a new vehicle and for one after a partial update alike; every
//! bad field is reported at once.

use chrono::{Datelike, Utc};
use pam_kernel::text::optional_text;
use pam_kernel::{DomainError, FieldError, Patch, Units};

use super::{FuelType, NewVehicle, VehicleRow, VehicleType, VehicleUpdate};
use crate::units::{CONSUMPTION_RANGE, ConsumptionUnit, MPG_RANGE, to_l_per_100km};

/// A vehicle's stored fields, checked.
pub(super) struct Spec {
    pub name: String,
    pub make: Option<String>,
    pub model: Option<String>,
    pub year: Option<i32>,
    pub vehicle_type: VehicleType,
    pub fuel_type: FuelType,
    pub length_m: Option<f64>,
    pub height_m: Option<f64>,
    pub weight_kg: Option<f64>,
    pub consumption_l_per_100km: Option<f64>,
}

struct Errors(Vec<FieldError>);

impl Errors {
    fn take<T>(&mut self, field: &str, r: Result<T, String>) -> Option<T> {
        r.map_err(|m| self.0.push(FieldError::new(&["body", field], m, "value_error"))).ok()
    }
}

impl Spec {
    /// A new vehicle; a `consumption` without its unit is in the user's `units`.
    pub fn new(input: NewVehicle, units: Units) -> Result<Spec, DomainError> {
        let consumption = [
            (
                "consumption",
                option_patch(input.consumption),
                input.consumption_unit.unwrap_or(ConsumptionUnit::default_for(units)),
            ),
            ("consumption_l_per_100km", option_patch(input.consumption_l_per_100km), ConsumptionUnit::LitresPer100Km),
            ("consumption_mpg", option_patch(input.consumption_mpg), ConsumptionUnit::Mpg),
        ];
        let mut errors = Errors(Vec::new());
        let consumption = consumption_patch(consumption, &mut errors);
        Spec::checked(
            input.name,
            input.make,
            input.model,
            input.year,
            input.vehicle_type,
            input.fuel_type,
            [input.length_m, input.height_m, input.weight_kg],
            consumption.and_then(|p| p.apply(None)),
            errors,
        )
    }

    /// The stored row with a partial update applied, checked as a whole; a `consumption` without its
    /// unit is in the user's `units`.
    pub fn updated(current: VehicleRow, u: VehicleUpdate, units: Units) -> Result<Spec, DomainError> {
        let mut errors = Errors(Vec::new());
        let name = match u.name {
            Patch::Null => {
                errors.0.push(FieldError::new(&["body", "name"], "must not be null", "value_error"));
                None
            }
            other => other.apply(Some(current.name)),
        };
        let consumption = consumption_patch(
            [
                ("consumption", u.consumption, u.consumption_unit.unwrap_or(ConsumptionUnit::default_for(units))),
                ("consumption_l_per_100km", u.consumption_l_per_100km, ConsumptionUnit::LitresPer100Km),
                ("consumption_mpg", u.consumption_mpg, ConsumptionUnit::Mpg),
            ],
            &mut errors,
        );
        Spec::checked(
            name,
            u.make.apply(current.make),
            u.model.apply(current.model),
            u.year.apply(current.year),
            u.vehicle_type.unwrap_or(current.vehicle_type),
            u.fuel_type.unwrap_or(current.fuel_type),
            [
                u.length_m.apply(current.length_m),
                u.height_m.apply(current.height_m),
                u.weight_kg.apply(current.weight_kg),
            ],
            consumption.unwrap_or_default().apply(current.consumption_l_per_100km),
            errors,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn checked(
        name: Option<String>,
        make: Option<String>,
        model: Option<String>,
        year: Option<i32>,
        vehicle_type: VehicleType,
        fuel_type: FuelType,
        [length_m, height_m, weight_kg]: [Option<f64>; 3],
        consumption_l_per_100km: Option<f64>,
        mut errors: Errors,
    ) -> Result<Spec, DomainError> {
        let make = errors.take("make", optional_text(make, 100)).flatten();
        let model = errors.take("model", optional_text(model, 100)).flatten();
        let newest = Utc::now().year() + 2;
        if let Some(y) = year {
            errors.take(
                "year",
                if (1900..=newest).contains(&y) { Ok(()) } else { Err(format!("must be 1900–{newest}")) },
            );
        }
        // Unnamed: "2019 Jayco Conquest" from what was given.
        let made_up = [year.map(|y| y.to_string()), make.clone(), model.clone()].into_iter().flatten();
        let made_up = Some(made_up.collect::<Vec<_>>().join(" ")).filter(|n| !n.is_empty());
        let name = match errors.take("name", optional_text(name, 100)) {
            Some(Some(name)) => Some(name),
            Some(None) => made_up.or_else(|| {
                errors.take::<()>("name", Err("give the vehicle a name (or its make and model)".into()));
                None
            }),
            None => None,
        };
        for (field, value, max, unit) in [
            ("length_m", length_m, 30.0, "m"),
            ("height_m", height_m, 6.0, "m"),
            ("weight_kg", weight_kg, 60_000.0, "kg"),
        ] {
            if let Some(v) = value {
                errors.take(field, positive_at_most(v, max, unit));
            }
        }
        match name {
            Some(name) if errors.0.is_empty() => Ok(Spec {
                name,
                make,
                model,
                year,
                vehicle_type,
                fuel_type,
                length_m,
                height_m,
                weight_kg,
                consumption_l_per_100km,
            }),
            _ => Err(DomainError::Invalid(errors.0)),
        }
    }
}

fn option_patch(v: Option<f64>) -> Patch<f64> {
    v.map_or(Patch::Absent, Patch::Value)
}

fn positive_at_most(v: f64, max: f64, unit: &str) -> Result<(), String> {
    if v.is_finite() && v > 0.0 && v <= max {
        Ok(())
    } else {
        Err(format!("must be more than 0 and at most {max} {unit}"))
    }
}

/// The stated fuel use in L/100 km from whichever of its forms was given: absent (keep), null (clear)
/// or a value in range. Two forms at once are refused rather than one silently winning.
fn consumption_patch(forms: [(&str, Patch<f64>, ConsumptionUnit); 3], errors: &mut Errors) -> Option<Patch<f64>> {
    let given: Vec<_> = forms.into_iter().filter(|(_, p, _)| *p != Patch::Absent).collect();
    match given.as_slice() {
        [] => Some(Patch::Absent),
        [(_, Patch::Null, _)] => Some(Patch::Null),
        [(field, Patch::Value(v), unit)] => errors.take(field, consumption_in_range(*v, *unit)).map(Patch::Value),
        [_, (second, ..), ..] => {
            errors.take::<()>(second, Err("give the fuel consumption one way only".into()));
            None
        }
        [(_, Patch::Absent, _)] => Some(Patch::Absent),
    }
}

/// L/100 km from either unit, inside the plausible range for a road vehicle.
pub(crate) fn consumption_in_range(value: f64, unit: ConsumptionUnit) -> Result<f64, String> {
    let (range, shown) = match unit {
        ConsumptionUnit::LitresPer100Km => (CONSUMPTION_RANGE, "L/100km"),
        ConsumptionUnit::Mpg => (MPG_RANGE, "mpg"),
    };
    match to_l_per_100km(value, unit) {
        Some(l100) if range.contains(&value) && CONSUMPTION_RANGE.contains(&l100) => Ok(l100),
        _ => Err(format!("must be a plausible fuel consumption ({}–{} {shown})", range.start(), range.end())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consumption_comes_in_one_form_and_in_range() {
        let mut errors = Errors(Vec::new());
        let mpg = consumption_patch(
            [
                ("consumption", Patch::Value(10.0), ConsumptionUnit::Mpg),
                ("consumption_l_per_100km", Patch::Absent, ConsumptionUnit::LitresPer100Km),
                ("consumption_mpg", Patch::Absent, ConsumptionUnit::Mpg),
            ],
            &mut errors,
        );
        assert!(matches!(mpg, Some(Patch::Value(v)) if (v - 23.52).abs() < 0.01));
        let two = consumption_patch(
            [
                ("consumption", Patch::Value(10.0), ConsumptionUnit::LitresPer100Km),
                ("consumption_l_per_100km", Patch::Null, ConsumptionUnit::LitresPer100Km),
                ("consumption_mpg", Patch::Absent, ConsumptionUnit::Mpg),
            ],
            &mut errors,
        );
        assert!(two.is_none());
        assert_eq!(errors.0[0].loc[1], "consumption_l_per_100km");
        assert!(consumption_in_range(2.0, ConsumptionUnit::LitresPer100Km).is_err());
        assert!(consumption_in_range(100.0, ConsumptionUnit::Mpg).is_err(), "2.4 L/100km is no motorhome");
        assert!(consumption_in_range(f64::NAN, ConsumptionUnit::Mpg).is_err());
    }
}
