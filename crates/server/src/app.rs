//! Building the application from config and serving it on a listener it is given.

use std::future::Future;

use axum::Router;
use pam_store::{ConnectOptions, Db};
use pam_web::AppError;
use tokio::net::TcpListener;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Config;
use crate::domains::DOMAINS;
use crate::http::{middleware, openapi::ApiDoc};
use crate::state::AppState;
use crate::{account, auth, health, pam};

/// Every route with its OpenAPI description: the server's own and each domain's (the operators'
/// routes are added apart, inside their audit layer).
fn api() -> OpenApiRouter<AppState> {
    let server = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .merge(auth::routes::router())
        .merge(account::router())
        .merge(pam::routes::router());
    DOMAINS.iter().fold(server, |api, domain| api.merge((domain.router)()))
}

/// The OpenAPI document, as served at `/openapi.json` and printed by `pam-backend openapi`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api().merge(pam_admin::routes::router::<AppState>()).split_for_parts().1;
    crate::http::openapi::document_rate_limits(&mut doc);
    crate::http::openapi::document_idempotency(&mut doc);
    crate::http::openapi::document_server_errors(&mut doc);
    doc
}

/// The routes with the edge around them: what `serve` answers every request with.
pub fn service(state: AppState) -> middleware::Edge {
    middleware::Edge::new(router(state.clone()), state)
}

fn router(state: AppState) -> Router {
    let (api, _) = api().split_for_parts();
    let doc = openapi();
    // Every call to an operators' route is audited, its outcome included.
    let (admin, _) = pam_admin::routes::router::<AppState>().split_for_parts();
    let admin =
        admin.layer(axum::middleware::from_fn_with_state(state.clone(), pam_admin::audit::audit_layer::<AppState>));
    Router::new()
        .merge(api)
        .merge(admin)
        .merge(pam::ws::router())
        .merge(crate::metrics::router(&state))
        // The page is served at /docs itself (a client asking for /docs gets it, not a redirect); the
        // Swagger UI bundle it loads lives under /docs/ui.
        .merge(SwaggerUi::new("/docs/ui").url("/openapi.json", doc))
        .route("/docs", axum::routing::get(docs_page))
        .route("/docs/", axum::routing::get(docs_page))
        .route("/asyncapi.json", axum::routing::get(|| async { axum::Json(crate::asyncapi::document()) }))
        // Last among the routes, so every one of them names its template for the request metrics.
        .route_layer(crate::metrics::TagRouteLayer)
        .fallback(|| async { AppError::NotFound("Not Found".into()) })
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
        .with_state(state)
}

/// The interactive API reference.
async fn docs_page() -> axum::response::Html<&'static str> {
    axum::response::Html(DOCS_PAGE)
}

const DOCS_PAGE: &str = r##"<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>PAM backend — API reference</title>
    <link rel="stylesheet" type="text/css" href="/docs/ui/swagger-ui.css" />
  </head>
  <body>
    <p style="font-family: sans-serif; margin: 1em 2em">
      The REST API is below (<a href="/openapi.json">/openapi.json</a>). The PAM WebSocket,
      <code>/api/v1/pam/ws/{user_id}</code>, is described by the AsyncAPI 3.0 document at
      <a href="/asyncapi.json">/asyncapi.json</a>.
    </p>
    <div id="swagger-ui"></div>
    <script src="/docs/ui/swagger-ui-bundle.js" charset="UTF-8"></script>
    <script src="/docs/ui/swagger-ui-standalone-preset.js" charset="UTF-8"></script>
    <script>
      window.onload = function () {
        window.ui = SwaggerUIBundle({
          url: "/openapi.json",
          dom_id: "#swagger-ui",
          deepLinking: true,
          presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
          layout: "StandaloneLayout",
        });
      };
    </script>
  </body>
</html>
"##;

/// Opens the database (creating the SQLite file and applying migrations) and builds the state.
pub async fn build_state(config: Config) -> anyhow::Result<AppState> {
    if config.db_kind() == pam_store::DbKind::Sqlite {
        std::fs::create_dir_all(&config.data_dir)?;
    }
    let mut options = ConnectOptions::new(config.database_url.expose());
    options.max_connections = config.database_max_connections;
    let db = Db::connect(&options).await?;
    db.migrate().await?;
    let state = AppState::new(config, db)?;
    if let Some(redis) = &state.redis {
        // Subscribed before serving, so no invalidation or push from another instance is missed; a
        // Redis that does not answer delays the start by at most this, then is an outage like any other.
        if redis.settled(REDIS_START_WAIT).await {
            tracing::info!("redis: subscribed to invalidations and pushes");
        }
    }
    Ok(state)
}

/// How long startup waits for the first attempt to subscribe to Redis.
const REDIS_START_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// Serves until `shutdown` resolves, then lets in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = service(state.clone());
    let pam = state.pam.clone();
    // Push delivery and metrics upkeep stop when serving has stopped (below).
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let until = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|stop| *stop).await;
    };
    let delivery = tokio::spawn(crate::pam::deliver::run(state.clone(), until(stop_rx.clone())));
    tokio::spawn(crate::metrics::upkeep(until(stop_rx.clone())));
    // Jobs stop being claimed at the signal; running ones get the runner's own grace, then are handed back.
    let (jobs_stop_tx, jobs_stop_rx) = tokio::sync::watch::channel(false);
    let runner =
        state.config.jobs_in_process.then(|| tokio::spawn(crate::jobs::runner(&state).run(until(jobs_stop_rx))));
    // The offline brain's model is trained from its corpus once per process: do it now, off the async
    // threads, so the first message is not the one that waits for it.
    if state.config.offline_warm_up {
        tokio::task::spawn_blocking(pam_brain::offline::warm_up);
    }
    // On the signal: stop accepting (axum), ask every socket to close with 1001 once its turns' replies
    // have gone, stop claiming jobs, and give everything in flight one deadline.
    let (deadline_tx, mut deadline_rx) = tokio::sync::watch::channel::<Option<tokio::time::Instant>>(None);
    let shutdown = async move {
        shutdown.await;
        pam.hub.begin_closing();
        let _ = jobs_stop_tx.send(true);
        deadline_tx.send_replace(Some(tokio::time::Instant::now() + SHUTDOWN_GRACE));
    };
    let serving = axum::serve(listener, app.per_connection()).with_graceful_shutdown(shutdown);
    let bounded = async {
        match deadline_rx.wait_for(Option::is_some).await.ok().and_then(|d| *d) {
            Some(deadline) => tokio::time::sleep_until(deadline).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        served = serving => served?,
        _ = bounded => tracing::warn!("requests still open {} s after the signal; stopped them", SHUTDOWN_GRACE.as_secs()),
    }
    // Turns and other work whose clients have gone still finish (by the same deadline), so nothing is
    // left half-done or holding a claim until its lease runs out.
    let deadline = deadline_rx.borrow().unwrap_or_else(|| tokio::time::Instant::now() + SHUTDOWN_GRACE);
    state.tasks.close();
    if tokio::time::timeout_at(deadline, state.tasks.wait()).await.is_err() {
        tracing::warn!(running = state.tasks.len(), "work still running at shutdown; its claims will be taken over");
    }
    // The sockets' last replies and close frames go out before the process ends.
    state.pam.hub.closed(std::time::Duration::from_secs(2)).await;
    let _ = stop_tx.send(true);
    let _ = delivery.await;
    if let Some(runner) = runner {
        let _ = runner.await;
    }
    Ok(())
}

/// Runs the background jobs without serving HTTP (`pam-backend worker`), until `shutdown` resolves.
pub async fn work(state: AppState, shutdown: impl Future<Output = ()> + Send) {
    crate::jobs::runner(&state).run(shutdown).await;
}

/// How long shutdown waits for in-flight requests and detached work together (a turn's deadline is 25 s).
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(30);

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received: finishing in-flight requests");
}
