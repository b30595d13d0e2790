//! `pam-backend`: serve (default), worker, migrate, openapi, chat, admin.

use std::time::Instant;

use clap::{Parser, Subcommand};
use pam_server::app;
use pam_server::config::Config;

#[derive(Parser)]
#[command(name = "pam-backend", version, about = "PAM, the AI travel-and-money companion behind Wheels & Wins")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP and WebSocket API (the default). Configuration comes from the environment and .env.
    Serve,
    /// Run the background jobs (reminders, alerts, cleanup) without serving HTTP; run `serve` with
    /// JOBS_IN_PROCESS=false beside it when workers run apart.
    Worker,
    /// Apply database migrations and exit.
    Migrate,
    /// Print the OpenAPI 3.1 document as JSON and exit.
    Openapi,
    /// Print the AsyncAPI 3.0 document of the PAM WebSocket as JSON and exit.
    Asyncapi,
    /// Talk to PAM from the terminal as an account (same pipeline as the app).
    Chat {
        /// The account's user id, or its email when exactly one account has it.
        #[arg(long)]
        user: String,
    },
    /// Grant or revoke the admin role of an account.
    Admin {
        #[arg(value_enum)]
        action: AdminAction,
        /// The account's user id, or its email when exactly one account has it (built-in sign-up does not
        /// verify addresses, so several accounts may share one; then their ids are listed).
        account: String,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum AdminAction {
    Grant,
    Revoke,
}

fn init_tracing(config: Option<&Config>) {
    pam_server::telemetry::init(config);
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let cli = Cli::parse();
    if let Some(Command::Openapi) = cli.command {
        match serde_json::to_string_pretty(&app::openapi()) {
            Ok(json) => {
                println!("{json}");
                return std::process::ExitCode::SUCCESS;
            }
            Err(e) => {
                eprintln!("cannot render the OpenAPI document: {e}");
                return std::process::ExitCode::FAILURE;
            }
        }
    }
    if let Some(Command::Asyncapi) = cli.command {
        println!("{:#}", pam_server::asyncapi::document());
        return std::process::ExitCode::SUCCESS;
    }
    let started = Instant::now();
    let mut config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            init_tracing(None);
            tracing::error!("{e}");
            eprintln!("{e}");
            return std::process::ExitCode::from(2);
        }
    };
    init_tracing(Some(&config));
    match run(cli.command.unwrap_or(Command::Serve), &mut config, started).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: &mut Config, started: Instant) -> anyhow::Result<()> {
    if config.ensure_secret_key()? {
        tracing::warn!(
            "SECRET_KEY is not set: generated one into {} (development only; set SECRET_KEY in production)",
            config.data_dir.join("secret_key").display()
        );
    }
    for line in config.describe() {
        tracing::info!("{line}");
    }
    match command {
        Command::Migrate => {
            app::build_state(config.clone()).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Serve => {
            let state = app::build_state(config.clone()).await?;
            let addr = std::net::SocketAddr::new(config.host, config.port);
            let listener = tokio::net::TcpListener::bind(addr)
                .await
                .map_err(|e| anyhow::anyhow!("cannot listen on {addr} (HOST/PORT): {e}"))?;
            tracing::info!(
                "ready: listening on http://{addr} (docs at /docs) after {} ms",
                started.elapsed().as_millis()
            );
            app::serve(listener, state, app::shutdown_signal()).await?;
            tracing::info!("stopped");
            Ok(())
        }
        Command::Worker => {
            let state = app::build_state(config.clone()).await?;
            tracing::info!("worker: running background jobs (no HTTP)");
            app::work(state, app::shutdown_signal()).await;
            tracing::info!("worker stopped");
            Ok(())
        }
        Command::Admin { action, account } => {
            let state = app::build_state(config.clone()).await?;
            let grant = matches!(action, AdminAction::Grant);
            let id = pam_profiles::service::set_admin(&state.db, &account, grant)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{} admin role for {account} ({id})", if grant { "granted" } else { "revoked" });
            // Running instances cache identities (with the role) for up to 30 s: tell them now.
            if let Some(redis) = &state.redis
                && !redis.announce_now(pam_server::auth::IDENTITY_CACHE, id).await
            {
                eprintln!("Redis did not answer: running instances may honour the old role for up to 30 s");
            }
            Ok(())
        }
        Command::Chat { user } => {
            let state = app::build_state(config.clone()).await?;
            let who = pam_server::pam::terminal::user_for(&state, &user).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            let stdin = tokio::io::BufReader::new(tokio::io::stdin());
            pam_server::pam::terminal::run(&state, &who, stdin, tokio::io::stdout()).await?;
            Ok(())
        }
        Command::Openapi | Command::Asyncapi => unreachable!("handled before configuration is read"),
    }
}
