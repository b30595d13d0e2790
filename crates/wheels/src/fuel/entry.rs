//! One fill-up: its input, its checks, its storage, and how it is shown in the user's units.

use chrono::{DateTime, NaiveDate, Utc};
use pam_kernel::text::{Id, PlausibleDate, optional_text, plausible_date};
use pam_kernel::{DomainError, FieldError, Locale, Money, Patch, Units};
use pam_store::with_db;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::amounts::{self, Amounts, Given};
use super::consumption::relearn;
use crate::units::{DistanceUnit, VolumeUnit, reading_km, show_distance, show_volume, to_litres};
use crate::{WheelsState, vehicles};

/// The highest odometer reading we believe, in km.
/// The most a stored reading may be: 5,000,000 miles, in km (a new one is bounded in its own unit first,
/// by [`reading_km`]).
pub(crate) const MAX_ODOMETER_KM: f64 = crate::units::MAX_READING * crate::units::KM_PER_MILE;

/// A fill-up: any two of `volume`, `price_per_unit` and `total` (the third is worked out; all three must
/// agree to the cent or so). Units not named are the user's own: litres and km, or US gallons and miles
/// for imperial users.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewFuelEntry {
    /// One of the user's vehicles; their primary vehicle when left out.
    #[schema(value_type = Option<Id>)]
    pub vehicle_id: Option<Uuid>,
    /// `YYYY-MM-DD` (1970–2100), not in the future; today in the user's zone when left out.
    #[schema(value_type = Option<PlausibleDate>)]
    pub date: Option<NaiveDate>,
    /// The odometer reading, in `odometer_unit` (the user's units when not said: km, or miles): 0 to
    /// 5,000,000 in that unit.
    #[schema(example = 84210, minimum = 0, maximum = 5000000)]
    pub odometer: Option<f64>,
    pub odometer_unit: Option<DistanceUnit>,
    /// More than 0, at most 2000 in `unit` (litres or gallons).
    #[schema(example = 62.4, exclusive_minimum = 0, maximum = 2000)]
    pub volume: Option<f64>,
    /// `litres` or `gallons` (US); the user's units when not said. `price_per_unit` is per this unit
    /// too. `volume_unit` is accepted for it.
    #[serde(alias = "volume_unit")]
    pub unit: Option<VolumeUnit>,
    /// More than 0, at most 10,000 per `unit` (per litre or per gallon).
    #[schema(example = 1.899, exclusive_minimum = 0, maximum = 10000)]
    pub price_per_unit: Option<f64>,
    pub total: Option<Money>,
    /// Filled to the top (default true): fuel use is measured between full fills.
    pub filled_to_top: Option<bool>,
    #[schema(max_length = 200)]
    pub station: Option<String>,
    #[schema(max_length = 1000)]
    pub notes: Option<String>,
}

/// Partial update. Giving one of volume / price / total keeps the volume (or, when the volume is the one
/// given, the price) and works out the rest.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct FuelEntryUpdate {
    /// `null` detaches the entry from any vehicle.
    #[serde(default)]
    #[schema(value_type = Option<Id>)]
    pub vehicle_id: Patch<Uuid>,
    #[schema(value_type = Option<PlausibleDate>)]
    pub date: Option<NaiveDate>,
    #[serde(default)]
    #[schema(value_type = Option<f64>, minimum = 0, maximum = 5000000)]
    pub odometer: Patch<f64>,
    pub odometer_unit: Option<DistanceUnit>,
    #[schema(exclusive_minimum = 0, maximum = 2000)]
    pub volume: Option<f64>,
    /// `litres` or `gallons` (the user's units when not said); also read as `volume_unit`.
    #[serde(alias = "volume_unit")]
    pub unit: Option<VolumeUnit>,
    #[schema(exclusive_minimum = 0, maximum = 10000)]
    pub price_per_unit: Option<f64>,
    pub total: Option<Money>,
    pub filled_to_top: Option<bool>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 200)]
    pub station: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 1000)]
    pub notes: Patch<String>,
}

/// A fill-up in the user's units (litres and km, or US gallons and miles), with the stored canonical
/// figures beside them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FuelEntry {
    pub id: Uuid,
    pub user_id: Uuid,
    pub vehicle_id: Option<Uuid>,
    pub date: NaiveDate,
    pub odometer: Option<f64>,
    /// `km` or `mi`.
    pub odometer_unit: &'static str,
    pub volume: f64,
    pub unit: VolumeUnit,
    pub price_per_unit: f64,
    pub total: Money,
    pub currency: String,
    pub filled_to_top: bool,
    pub station: Option<String>,
    pub notes: Option<String>,
    pub odometer_km: Option<f64>,
    pub volume_litres: f64,
    pub price_per_litre: f64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, sqlx::FromRow)]
pub(crate) struct FuelRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub vehicle_id: Option<Uuid>,
    pub fill_date: NaiveDate,
    pub odometer_km: Option<f64>,
    pub volume_litres: f64,
    pub price_per_litre_milli: i64,
    pub total_cents: i64,
    pub currency: String,
    pub filled_to_top: bool,
    pub station: Option<String>,
    pub notes: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

impl FuelRow {
    pub(crate) fn shown(self, units: Units) -> FuelEntry {
        let volume = show_volume(self.volume_litres, units).value;
        let per_litre = self.price_per_litre_milli as f64 / 1000.0;
        let (unit, price_per_unit) = match units {
            Units::Metric => (VolumeUnit::Litres, per_litre),
            // Per gallon from the receipt's own figures: thousandths per litre times 3.785 would drift
            // by a fraction of a cent from what the pump showed.
            Units::Imperial => (VolumeUnit::Gallons, round3(self.total_cents as f64 / 100.0 / volume.max(0.001))),
        };
        FuelEntry {
            id: self.id,
            user_id: self.user_id,
            vehicle_id: self.vehicle_id,
            date: self.fill_date,
            odometer: self.odometer_km.map(|km| show_distance(km, units).value),
            odometer_unit: show_distance(0.0, units).unit,
            volume,
            unit,
            price_per_unit,
            total: Money::from_cents(self.total_cents),
            currency: self.currency,
            filled_to_top: self.filled_to_top,
            station: self.station,
            notes: self.notes,
            odometer_km: self.odometer_km,
            volume_litres: self.volume_litres,
            price_per_litre: per_litre,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// What is stored, checked.
struct Checked {
    date: NaiveDate,
    odometer_km: Option<f64>,
    amounts: Amounts,
    filled_to_top: bool,
    station: Option<String>,
    notes: Option<String>,
}

/// The three amounts as given, in litres and per litre.
fn given(volume: Option<f64>, price: Option<f64>, total: Option<Money>, unit: VolumeUnit) -> Given {
    let litres_per_unit = to_litres(1.0, unit);
    Given {
        litres: volume.map(|v| to_litres(v, unit)),
        price_per_litre: price.map(|p| p / litres_per_unit),
        total_cents: total.map(Money::cents),
    }
}

fn check(
    date: NaiveDate,
    today: NaiveDate,
    odometer_km: Option<f64>,
    amounts: Result<Amounts, Vec<FieldError>>,
    filled_to_top: bool,
    station: Option<String>,
    notes: Option<String>,
) -> Result<Checked, DomainError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let mut field = |name: &str, r: Result<(), String>| {
        if let Err(m) = r {
            errors.push(FieldError::new(&["body", name], m, "value_error"));
        }
    };
    field("date", plausible_date(date));
    field("date", if date > today { Err(format!("must not be in the future (today is {today})")) } else { Ok(()) });
    if let Some(km) = odometer_km {
        let ok = km.is_finite() && (0.0..=MAX_ODOMETER_KM).contains(&km);
        field("odometer", if ok { Ok(()) } else { Err("must be a reading from 0 to 5,000,000 km or miles".into()) });
    }
    let station = optional_text(station, 200);
    field("station", station.as_ref().map(|_| ()).map_err(Clone::clone));
    let notes = optional_text(notes, 1000);
    field("notes", notes.as_ref().map(|_| ()).map_err(Clone::clone));
    let amounts = amounts.map_err(|e| errors.extend(e));
    match (amounts, station, notes) {
        (Ok(amounts), Ok(station), Ok(notes)) if errors.is_empty() => {
            Ok(Checked { date, odometer_km, amounts, filled_to_top, station, notes })
        }
        _ => Err(DomainError::Invalid(errors)),
    }
}

pub async fn create(state: &WheelsState, user_id: Uuid, input: NewFuelEntry) -> Result<FuelEntry, DomainError> {
    let locale = state.locales.of(user_id).await?;
    create_in(state, user_id, &locale, input).await
}

/// Records it with a locale the caller already has (a PAM turn's zone decides "today").
pub async fn create_in(
    state: &WheelsState,
    user_id: Uuid,
    locale: &Locale,
    input: NewFuelEntry,
) -> Result<FuelEntry, DomainError> {
    let unit = input.unit.unwrap_or(VolumeUnit::default_for(locale.units));
    let odometer_unit = input.odometer_unit.unwrap_or(DistanceUnit::default_for(locale.units));
    let odometer_km = input.odometer.map(|o| reading_km(o, odometer_unit));
    let today = locale.today();
    let c = check(
        input.date.unwrap_or(today),
        today,
        odometer_km,
        amounts::in_own_unit(input.volume, input.price_per_unit)
            .and_then(|()| amounts::resolve(given(input.volume, input.price_per_unit, input.total, unit))),
        input.filled_to_top.unwrap_or(true),
        input.station,
        input.notes,
    )?;
    let vehicle_id = vehicles::owned_or_primary(state, user_id, input.vehicle_id).await?;
    let now = Utc::now();
    let inserted: Result<FuelRow, sqlx::Error> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "INSERT INTO fuel_log (id, user_id, vehicle_id, fill_date, odometer_km, volume_litres, price_per_litre_milli, \
             total_cents, currency, filled_to_top, station, notes, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING *",
        )
        .bind(Uuid::now_v7())
        .bind(user_id)
        .bind(vehicle_id)
        .bind(c.date)
        .bind(c.odometer_km)
        .bind(c.amounts.litres)
        .bind(c.amounts.price_per_litre_milli)
        .bind(c.amounts.total_cents)
        .bind(&locale.currency)
        .bind(c.filled_to_top)
        .bind(&c.station)
        .bind(&c.notes)
        .bind(now)
        .fetch_one(pool)
        .await
    });
    let row = inserted.map_err(vehicles::vehicle_gone)?;
    after_change(state, user_id, [row.vehicle_id, None]).await;
    tracing::info!(user.id = %user_id, fuel.id = %row.id, "fill-up recorded");
    Ok(row.shown(locale.units))
}

pub(crate) async fn get_row(state: &WheelsState, user_id: Uuid, id: Uuid) -> Result<FuelRow, DomainError> {
    let row: Option<FuelRow> = with_db!(&state.db, |pool| {
        sqlx::query_as("SELECT * FROM fuel_log WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?;
    row.ok_or_else(|| DomainError::not_found("Fuel entry"))
}

pub async fn get(state: &WheelsState, user_id: Uuid, id: Uuid) -> Result<FuelEntry, DomainError> {
    let row = get_row(state, user_id, id).await?;
    Ok(row.shown(state.locales.of(user_id).await?.units))
}

pub async fn update(
    state: &WheelsState,
    user_id: Uuid,
    id: Uuid,
    u: FuelEntryUpdate,
) -> Result<FuelEntry, DomainError> {
    let current = get_row(state, user_id, id).await?;
    let locale = state.locales.of(user_id).await?;
    let unit = u.unit.unwrap_or(VolumeUnit::default_for(locale.units));
    let mut g = given(u.volume, u.price_per_unit, u.total, unit);
    // One amount changed: keep the volume (or the price, when the volume is what changed).
    let new_amounts = amounts::in_own_unit(u.volume, u.price_per_unit).and_then(|()| {
        match (g.litres.is_some(), g.price_per_litre.is_some(), g.total_cents.is_some()) {
            (false, false, false) => Ok(Amounts {
                litres: current.volume_litres,
                price_per_litre_milli: current.price_per_litre_milli,
                total_cents: current.total_cents,
            }),
            (true, false, false) => {
                g.price_per_litre = Some(current.price_per_litre_milli as f64 / 1000.0);
                amounts::resolve(g)
            }
            (false, true, false) | (false, false, true) => {
                g.litres = Some(current.volume_litres);
                amounts::resolve(g)
            }
            _ => amounts::resolve(g),
        }
    });
    let odometer_unit = u.odometer_unit.unwrap_or(DistanceUnit::default_for(locale.units));
    let odometer_km = match u.odometer {
        Patch::Value(o) => Some(reading_km(o, odometer_unit)),
        Patch::Null => None,
        Patch::Absent => current.odometer_km,
    };
    let c = check(
        u.date.unwrap_or(current.fill_date),
        locale.today(),
        odometer_km,
        new_amounts,
        u.filled_to_top.unwrap_or(current.filled_to_top),
        u.station.apply(current.station),
        u.notes.apply(current.notes),
    )?;
    let vehicle_id = match u.vehicle_id {
        Patch::Value(v) => vehicles::owned_or_primary(state, user_id, Some(v)).await?,
        Patch::Null => None,
        Patch::Absent => current.vehicle_id,
    };
    let updated: Result<Option<FuelRow>, sqlx::Error> = with_db!(&state.db, |pool| {
        sqlx::query_as(
            "UPDATE fuel_log SET vehicle_id = $3, fill_date = $4, odometer_km = $5, volume_litres = $6, \
             price_per_litre_milli = $7, total_cents = $8, filled_to_top = $9, station = $10, notes = $11, \
             updated_at = $12 WHERE id = $1 AND user_id = $2 RETURNING *",
        )
        .bind(id)
        .bind(user_id)
        .bind(vehicle_id)
        .bind(c.date)
        .bind(c.odometer_km)
        .bind(c.amounts.litres)
        .bind(c.amounts.price_per_litre_milli)
        .bind(c.amounts.total_cents)
        .bind(c.filled_to_top)
        .bind(&c.station)
        .bind(&c.notes)
        .bind(Utc::now())
        .fetch_optional(pool)
        .await
    });
    let row = updated.map_err(vehicles::vehicle_gone)?.ok_or_else(|| DomainError::not_found("Fuel entry"))?;
    after_change(state, user_id, [current.vehicle_id, row.vehicle_id]).await;
    Ok(row.shown(locale.units))
}

pub async fn delete(state: &WheelsState, user_id: Uuid, id: Uuid) -> Result<(), DomainError> {
    let vehicle_id: Option<Option<Uuid>> = with_db!(&state.db, |pool| {
        sqlx::query_scalar("DELETE FROM fuel_log WHERE id = $1 AND user_id = $2 RETURNING vehicle_id")
            .bind(id)
            .bind(user_id)
            .fetch_optional(pool)
            .await
    })?;
    let vehicle_id = vehicle_id.ok_or_else(|| DomainError::not_found("Fuel entry"))?;
    after_change(state, user_id, [vehicle_id, None]).await;
    Ok(())
}

/// Learns the vehicles' fuel use again from their fills. The fill-up is stored whatever happens here: a
/// failure is logged, not returned (a client retrying that error would record the fill twice), and the
/// next fill for the vehicle learns again.
async fn after_change(state: &WheelsState, user_id: Uuid, vehicle_ids: [Option<Uuid>; 2]) {
    let [first, second] = vehicle_ids;
    for vehicle_id in [first, second.filter(|s| Some(*s) != first)].into_iter().flatten() {
        if let Err(e) = relearn(state, user_id, vehicle_id).await {
            tracing::warn!(user.id = %user_id, vehicle.id = %vehicle_id, error = %e, "could not learn fuel use");
        }
    }
}
