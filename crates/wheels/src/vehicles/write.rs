//! Changing vehicles while keeping exactly one primary per user (while the user has any).
//!
//! Each change is one transaction whose first statement writes every one of the user's vehicle rows (to
//! the same values). That write is the lock: on SQLite it takes the database's write lock before
//! anything is read, on Postgres it row-locks the user's vehicles, so two changes for one user run one
//! after the other and each decides from what the other committed. The one gap — a user with no
//! vehicles has no rows to lock — is closed by the partial unique index `vehicles_one_primary`: two
//! first vehicles both claim the flag, one insert fails as a duplicate and the change runs again, now
//! seeing the other's vehicle. Deadlocks (Postgres locking the same rows in another order) are retried
//! the same way.
//!
//! An update reads the row it changes only after taking that lock, so a partial update applies to what
//! is stored at that moment: two concurrent updates of different fields both land.

use std::future::Future;

use chrono::{DateTime, Utc};
use pam_kernel::DomainError;
use pam_store::{Db, with_db};
use uuid::Uuid;

use super::checks::Spec;
use super::{NewVehicle, Vehicle, VehicleRow, VehicleUpdate};
use crate::WheelsState;

/// Takes the per-user lock described above.
const LOCK_USERS_VEHICLES: &str = "UPDATE vehicles SET is_primary = is_primary WHERE user_id = $1";
/// Clears the flag on the user's vehicles other than `$2` (a new vehicle's id matches none).
const UNSET_OTHER_PRIMARY: &str =
    "UPDATE vehicles SET is_primary = false, updated_at = $3 WHERE user_id = $1 AND is_primary AND id <> $2";
/// Gives the flag to the newest vehicle other than `$2`.
const PROMOTE_NEWEST_OTHER: &str = "UPDATE vehicles SET is_primary = true, updated_at = $3 WHERE id = \
     (SELECT id FROM vehicles WHERE user_id = $1 AND id <> $2 ORDER BY created_at DESC, id DESC LIMIT 1)";

/// How often a change that lost a race is run again before the error is reported.
const ATTEMPTS: usize = 5;

pub async fn create(state: &WheelsState, user_id: Uuid, input: NewVehicle) -> Result<Vehicle, DomainError> {
    let wants_primary = input.is_primary == Some(true);
    let units = state.locales.of(user_id).await?.units;
    let spec = Spec::new(input, units)?;
    let id = Uuid::now_v7();
    let row = retry_lost_races(|| insert(&state.db, user_id, id, &spec, wants_primary)).await?;
    tracing::info!(user.id = %user_id, vehicle.id = %row.id, primary = row.is_primary, "vehicle added");
    Ok(row.shown(units))
}

pub async fn update(state: &WheelsState, user_id: Uuid, id: Uuid, u: VehicleUpdate) -> Result<Vehicle, DomainError> {
    let units = state.locales.of(user_id).await?.units;
    let row = retry_lost_races(|| change(&state.db, user_id, id, u.clone(), units)).await?;
    row.map(|r| r.shown(units)).ok_or_else(|| DomainError::not_found("Vehicle"))
}

/// Deletes it; when it was the primary, the newest remaining vehicle becomes primary. Its fill-ups and
/// services stay, no longer tied to a vehicle.
pub async fn delete(state: &WheelsState, user_id: Uuid, id: Uuid) -> Result<(), DomainError> {
    if retry_lost_races(|| remove(&state.db, user_id, id)).await? {
        Ok(())
    } else {
        Err(DomainError::not_found("Vehicle"))
    }
}

/// How a change can fail: in the database (run again when it lost a race), or refused for what it
/// asked (bad fields), which no second run mends.
enum Failure {
    Database(sqlx::Error),
    Refused(DomainError),
}

impl From<sqlx::Error> for Failure {
    fn from(e: sqlx::Error) -> Failure {
        Failure::Database(e)
    }
}

async fn retry_lost_races<T, F, Fut>(mut attempt: F) -> Result<T, DomainError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
{
    let mut tries = 1;
    loop {
        match attempt().await {
            Ok(done) => return Ok(done),
            Err(Failure::Database(e)) if tries < ATTEMPTS && lost_race(&e) => {
                tracing::debug!(error = %e, tries, "vehicle change lost a race; running it again");
                tries += 1;
            }
            Err(Failure::Database(e)) => return Err(e.into()),
            Err(Failure::Refused(e)) => return Err(e),
        }
    }
}

fn lost_race(err: &sqlx::Error) -> bool {
    pam_store::is_unique_violation(err) || pam_store::lost_to_another_transaction(err)
}

/// Binds a spec's fields, in column order, to placeholders `$start`…`$start+9`.
macro_rules! bind_spec {
    ($query:expr, $spec:expr) => {
        $query
            .bind(&$spec.name)
            .bind(&$spec.make)
            .bind(&$spec.model)
            .bind($spec.year)
            .bind($spec.vehicle_type.as_str())
            .bind($spec.fuel_type.as_str())
            .bind($spec.length_m)
            .bind($spec.height_m)
            .bind($spec.weight_kg)
            .bind($spec.consumption_l_per_100km)
    };
}

async fn insert(db: &Db, user_id: Uuid, id: Uuid, spec: &Spec, wants_primary: bool) -> Result<VehicleRow, Failure> {
    let now: DateTime<Utc> = Utc::now();
    with_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query(LOCK_USERS_VEHICLES).bind(user_id).execute(&mut *tx).await?;
        let primaries: i64 = sqlx::query_scalar("SELECT count(*) FROM vehicles WHERE user_id = $1 AND is_primary")
            .bind(user_id)
            .fetch_one(&mut *tx)
            .await?;
        // The first vehicle is primary whatever was asked.
        let primary = wants_primary || primaries == 0;
        if primary {
            sqlx::query(UNSET_OTHER_PRIMARY).bind(user_id).bind(id).bind(now).execute(&mut *tx).await?;
        }
        let row: VehicleRow = bind_spec!(
            sqlx::query_as(
                "INSERT INTO vehicles (id, user_id, is_primary, created_at, updated_at, name, make, model, year, \
                 vehicle_type, fuel_type, length_m, height_m, weight_kg, consumption_l_per_100km) \
                 VALUES ($1, $2, $3, $4, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING *",
            )
            .bind(id)
            .bind(user_id)
            .bind(primary)
            .bind(now),
            spec
        )
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(row)
    })
}

/// Applies the update to the row as it stands under the lock, checks the result, and moves the flag as
/// asked. None when the vehicle is not the user's (or is gone). A refused update changes nothing (the
/// transaction is dropped, so rolled back).
async fn change(
    db: &Db,
    user_id: Uuid,
    id: Uuid,
    u: VehicleUpdate,
    units: pam_kernel::Units,
) -> Result<Option<VehicleRow>, Failure> {
    let now: DateTime<Utc> = Utc::now();
    let wants_primary = u.is_primary;
    with_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query(LOCK_USERS_VEHICLES).bind(user_id).execute(&mut *tx).await?;
        let current: Option<VehicleRow> = sqlx::query_as("SELECT * FROM vehicles WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(current) = current else { return Ok(None) };
        let was_primary = current.is_primary;
        let spec = Spec::updated(current, u, units).map_err(Failure::Refused)?;
        let others: i64 = sqlx::query_scalar("SELECT count(*) FROM vehicles WHERE user_id = $1 AND id <> $2")
            .bind(user_id)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let primary = match wants_primary {
            Some(true) => true,
            // Nobody to hand the flag to: the only vehicle stays primary.
            Some(false) => was_primary && others == 0,
            None => was_primary,
        };
        if primary && !was_primary {
            sqlx::query(UNSET_OTHER_PRIMARY).bind(user_id).bind(id).bind(now).execute(&mut *tx).await?;
        }
        let row: Option<VehicleRow> = bind_spec!(
            sqlx::query_as(
                "UPDATE vehicles SET is_primary = $3, updated_at = $4, name = $5, make = $6, model = $7, year = $8, \
                 vehicle_type = $9, fuel_type = $10, length_m = $11, height_m = $12, weight_kg = $13, \
                 consumption_l_per_100km = $14 WHERE id = $1 AND user_id = $2 RETURNING *",
            )
            .bind(id)
            .bind(user_id)
            .bind(primary)
            .bind(now),
            spec
        )
        .fetch_optional(&mut *tx)
        .await?;
        if was_primary && !primary {
            sqlx::query(PROMOTE_NEWEST_OTHER).bind(user_id).bind(id).bind(now).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(row)
    })
}

/// True when the user's vehicle was there to delete.
async fn remove(db: &Db, user_id: Uuid, id: Uuid) -> Result<bool, Failure> {
    let now: DateTime<Utc> = Utc::now();
    with_db!(db, |pool| {
        let mut tx = pool.begin().await?;
        sqlx::query(LOCK_USERS_VEHICLES).bind(user_id).execute(&mut *tx).await?;
        let was_primary: Option<bool> =
            sqlx::query_scalar("DELETE FROM vehicles WHERE id = $1 AND user_id = $2 RETURNING is_primary")
                .bind(id)
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?;
        match was_primary {
            None => return Ok(false),
            Some(true) => {
                sqlx::query(PROMOTE_NEWEST_OTHER).bind(user_id).bind(id).bind(now).execute(&mut *tx).await?;
            }
            Some(false) => {}
        }
        tx.commit().await?;
        Ok(true)
    })
}
