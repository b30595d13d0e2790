//! The one application state, assembled here and nowhere else. Each domain gets its own slice through
//! `FromRef` (so no domain crate knows this type), and the whole is a single `Arc`: cloning it per request
//! is one atomic increment however many services it grows to hold.

use std::ops::Deref;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::FromRef;
use pam_calendar::CalendarState;
use pam_kernel::Locales;
use pam_platform::cache::{Cache, Invalidations, LocalInvalidations};
use pam_platform::jobs::{DbJobQueue, JobQueue};
use pam_platform::push::{LocalPushBus, PushBus};
use pam_platform::rate_limit::{LocalRateLimiter, RateLimiter};
use pam_platform::redis::{Redis, RedisInvalidations, RedisJobQueue, RedisPushBus, RedisRateLimiter, RedisSettings};
use pam_profiles::ProfilesState;
use pam_social::SocialState;
use pam_store::Db;
use pam_web::Authn;
use pam_wheels::WheelsState;
use pam_wins::WinsState;

use crate::auth::authn::AuthService;
use crate::auth::token::TokenService;
use crate::config::{Config, JobQueueKind};
use crate::domains::DomainStates;
use crate::http::cors::CorsPolicy;

#[derive(Clone)]
pub struct AppState(Arc<Services>);

pub struct Services {
    pub config: Config,
    pub db: Db,
    /// Token verification and the identity cache.
    pub auth: Arc<AuthService>,
    pub http: reqwest::Client,
    pub started_at: Instant,
    pub cors: CorsPolicy,
    pub limiter: Arc<dyn RateLimiter>,
    pub pushes: Arc<dyn PushBus>,
    /// The shared Redis behind the limiter, the caches' invalidations and the pushes, when `REDIS_URL`
    /// is set (readiness reports it).
    pub redis: Option<Redis>,
    /// The background job queue (`JOBS_QUEUE`): the runner and the admin's job list both use this one.
    pub jobs: Arc<dyn JobQueue>,
    pub pam: Arc<crate::pam::Pam>,
    pub domains: DomainStates,
    /// Operators' surface over the brain, accounts and the ledger.
    pub admin: pam_admin::AdminState,
    /// Work that outlives its request (turns, idempotent requests, confirmed actions); shutdown waits for it.
    pub tasks: tokio_util::task::TaskTracker,
}

/// Bounds how stale a profile read can be if an invalidation from another instance is lost.
pub const PROFILE_TTL: Duration = Duration::from_secs(30);

impl Deref for AppState {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.0
    }
}

impl AppState {
    pub fn new(config: Config, db: Db) -> anyhow::Result<AppState> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("pam-backend/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(5))
            .build()?;
        let shared = Shared::from_config(&config)?;
        let invalidations = shared.invalidations();
        let tokens = TokenService::new(&config, http.clone());
        let auth = Arc::new(AuthService::new(db.clone(), tokens, invalidations.clone()));
        let profiles = ProfilesState {
            db: db.clone(),
            cache: Cache::new("profile", 20_000, PROFILE_TTL, invalidations.clone()),
            uploads_dir: Arc::new(config.uploads_dir()),
        };
        let wins = WinsState {
            db: db.clone(),
            locales: Locales::new(Arc::new(profiles.clone())),
            subscription_cost: pam_kernel::Money::from_cents(config.subscription_cost_cents),
        };
        let wheels = WheelsState {
            db: db.clone(),
            locales: Locales::new(Arc::new(profiles.clone())),
            travel: crate::travel::build(&config, &http),
        };
        let calendar = CalendarState { db: db.clone(), locales: Locales::new(Arc::new(profiles.clone())) };
        let knowledge = pam_knowledge::KnowledgeState { db: db.clone() };
        let medical = pam_medical::MedicalState {
            db: db.clone(),
            consent: pam_medical::Consent::new(Arc::new(MedicalConsent(db.clone()))),
        };
        let shop = pam_shop::ShopState {
            db: db.clone(),
            travellers: pam_shop::Travellers::new(Arc::new(WheelsTravellers(wheels.clone()))),
        };
        let cors = CorsPolicy::new(&config);
        let social = SocialState {
            db: db.clone(),
            people: pam_social::People::new(Arc::new(SocialPeople(profiles.clone()))),
            posts: pam_social::posts::PostCache::new(invalidations.clone()),
            totals: pam_social::posts::TimelineTotals::new(invalidations),
        };
        let speech = crate::speech::build(&config, &http, db.clone())?;
        let domains = DomainStates { knowledge, medical, shop, profiles, wins, wheels, calendar, social, speech };
        let pam = Arc::new(crate::pam::Pam::new(&config, &http, &domains)?);
        let forget = auth.clone();
        let jobs = shared.jobs(&config, &db)?;
        let admin = pam_admin::AdminState {
            db: db.clone(),
            jobs: jobs.clone(),
            models: Arc::new(crate::admin::BrainControl(pam.clone())),
            role_changed: Arc::new(move |id| forget.forget(id)),
        };
        let pushes = shared.pushes();
        pushes.attach(pam.hub.clone());
        Ok(AppState(Arc::new(Services {
            config,
            db,
            auth,
            http,
            started_at: Instant::now(),
            cors,
            limiter: shared.limiter(),
            pushes,
            redis: shared.0,
            jobs,
            pam,
            domains,
            admin,
            tasks: tokio_util::task::TaskTracker::new(),
        })))
    }
}

/// The services that are shared by every instance when Redis is configured, and kept in this process
/// when it is not.
struct Shared(Option<Redis>);

impl Shared {
    /// Must run inside the Tokio runtime: the Redis connection starts its subscriber and publisher.
    fn from_config(config: &Config) -> anyhow::Result<Shared> {
        let Some(url) = &config.redis_url else { return Ok(Shared(None)) };
        let settings = RedisSettings {
            url: url.expose().to_string(),
            key_prefix: config.redis_key_prefix.clone(),
            timeout: config.redis_timeout,
        };
        // The client's error names what is wrong with the URL, never the URL (which may hold a password).
        let redis = Redis::connect(settings).map_err(|e| anyhow::anyhow!("REDIS_URL cannot be used: {e}"))?;
        Ok(Shared(Some(redis)))
    }

    fn invalidations(&self) -> Arc<dyn Invalidations> {
        match &self.0 {
            Some(redis) => Arc::new(RedisInvalidations::new(redis.clone())),
            None => Arc::new(LocalInvalidations::default()),
        }
    }

    fn pushes(&self) -> Arc<dyn PushBus> {
        match &self.0 {
            Some(redis) => Arc::new(RedisPushBus::new(redis.clone())),
            None => Arc::new(LocalPushBus::default()),
        }
    }

    fn jobs(&self, config: &Config, db: &Db) -> anyhow::Result<Arc<dyn JobQueue>> {
        Ok(match (config.jobs_queue, &self.0) {
            (JobQueueKind::Database, _) => Arc::new(DbJobQueue::new(db.clone())),
            (JobQueueKind::Redis, Some(redis)) => Arc::new(RedisJobQueue::new(redis.clone())),
            // The config refuses this; a config changed after it was read must not quietly split the queue.
            (JobQueueKind::Redis, None) => anyhow::bail!("JOBS_QUEUE=redis needs REDIS_URL"),
        })
    }

    fn limiter(&self) -> Arc<dyn RateLimiter> {
        match &self.0 {
            Some(redis) => Arc::new(RedisRateLimiter::new(redis.clone())),
            None => Arc::new(LocalRateLimiter::default()),
        }
    }
}

impl FromRef<AppState> for pam_admin::AdminState {
    fn from_ref(state: &AppState) -> pam_admin::AdminState {
        state.admin.clone()
    }
}

impl FromRef<AppState> for Authn {
    fn from_ref(state: &AppState) -> Authn {
        Authn(state.auth.clone())
    }
}

impl FromRef<AppState> for pam_knowledge::KnowledgeState {
    fn from_ref(state: &AppState) -> pam_knowledge::KnowledgeState {
        state.domains.knowledge.clone()
    }
}

impl FromRef<AppState> for pam_medical::MedicalState {
    fn from_ref(state: &AppState) -> pam_medical::MedicalState {
        state.domains.medical.clone()
    }
}

impl FromRef<AppState> for pam_shop::ShopState {
    fn from_ref(state: &AppState) -> pam_shop::ShopState {
        state.domains.shop.clone()
    }
}

impl FromRef<AppState> for pam_speech::SpeechState {
    fn from_ref(state: &AppState) -> pam_speech::SpeechState {
        state.domains.speech.clone()
    }
}

impl FromRef<AppState> for CalendarState {
    fn from_ref(state: &AppState) -> CalendarState {
        state.domains.calendar.clone()
    }
}

impl FromRef<AppState> for SocialState {
    fn from_ref(state: &AppState) -> SocialState {
        state.domains.social.clone()
    }
}

impl FromRef<AppState> for ProfilesState {
    fn from_ref(state: &AppState) -> ProfilesState {
        state.domains.profiles.clone()
    }
}

impl FromRef<AppState> for WheelsState {
    fn from_ref(state: &AppState) -> WheelsState {
        state.domains.wheels.clone()
    }
}

impl FromRef<AppState> for WinsState {
    fn from_ref(state: &AppState) -> WinsState {
        state.domains.wins.clone()
    }
}

/// Social reads who a user is and what their privacy settings allow through the profiles domain's
/// service (never its tables); `None` when there is no such user.
struct SocialPeople(ProfilesState);

impl pam_social::PeopleSource for SocialPeople {
    fn privacy(
        &self,
        user_id: uuid::Uuid,
    ) -> futures::future::BoxFuture<'_, Result<Option<pam_social::Privacy>, pam_kernel::DomainError>> {
        Box::pin(async move {
            let p = match pam_profiles::settings::get_privacy(&self.0.db, user_id).await {
                Err(pam_kernel::DomainError::NotFound(_)) => return Ok(None),
                other => other?,
            };
            Ok(Some(pam_social::Privacy {
                profile_visibility: pam_social::ProfileVisibility::from_name(p.profile_visibility.as_str()),
                location_sharing: p.location_sharing,
                allow_messages: pam_social::AllowMessages::from_name(p.allow_messages.as_str()),
            }))
        })
    }

    fn person(
        &self,
        user_id: uuid::Uuid,
    ) -> futures::future::BoxFuture<'_, Result<Option<pam_social::Person>, pam_kernel::DomainError>> {
        Box::pin(async move {
            let p = match pam_profiles::service::get_cached(&self.0, user_id).await {
                Err(pam_kernel::DomainError::NotFound(_)) => return Ok(None),
                other => other?,
            };
            Ok(Some(pam_social::Person {
                display_name: p.nickname.clone().or_else(|| p.full_name.clone()),
                region: p.region.clone(),
                profile_image_url: p.profile_image_url.clone(),
                travel_style: p.travel_style.0.clone(),
                interests: p.interests.0.clone(),
            }))
        })
    }
}

/// Medical asks whether the user lets PAM's model see their medical data: a setting of the profiles
/// domain's privacy settings, read through its service.
struct MedicalConsent(Db);

impl pam_medical::ConsentSource for MedicalConsent {
    fn shares_medical_with_pam(
        &self,
        user_id: uuid::Uuid,
    ) -> futures::future::BoxFuture<'_, Result<bool, pam_kernel::DomainError>> {
        Box::pin(async move { Ok(pam_profiles::settings::get_privacy(&self.0, user_id).await?.share_medical_with_pam) })
    }
}

/// The shop's view of a traveller — the primary vehicle, the trips planned or under way — through the
/// wheels domain's public services.
struct WheelsTravellers(WheelsState);

impl pam_shop::TravellerSource for WheelsTravellers {
    fn traveller(
        &self,
        user_id: uuid::Uuid,
    ) -> futures::future::BoxFuture<'_, Result<pam_shop::Traveller, pam_kernel::DomainError>> {
        use pam_kernel::Page;
        use pam_wheels::trips::{TripFilter, TripStatus};
        Box::pin(async move {
            // Vehicles are listed primary first.
            let vehicles = pam_wheels::vehicles::list(&self.0, user_id, Page { limit: 1, offset: 0 }).await?;
            let vehicle = vehicles.vehicles.into_iter().next().map(|v| pam_shop::TravellerVehicle {
                name: v.name,
                vehicle_type: v.vehicle_type.as_str().into(),
                fuel_type: v.fuel_type.as_str().into(),
            });
            let mut upcoming_trips = Vec::new();
            for status in [TripStatus::Active, TripStatus::Planning] {
                let filter = TripFilter { status: Some(status), limit: None, offset: None };
                let page = Page { limit: 20, offset: 0 };
                let trips = pam_wheels::trips::list(&self.0, user_id, &filter, page).await?;
                upcoming_trips.extend(trips.trips.into_iter().map(|t| pam_shop::UpcomingTrip {
                    distance_km: t.route.as_ref().map(|r| r.distance_km),
                    title: t.title,
                    destination: t.destination,
                    start_date: t.start_date,
                }));
            }
            Ok(pam_shop::Traveller { vehicle, upcoming_trips })
        })
    }
}
