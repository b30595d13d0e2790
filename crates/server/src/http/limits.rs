//! Request limits at the edge (SPEC §7): each route falls in a class with its own quota, counted per
//! user when the request carries a valid token, else per client address. Every limited response says
//! where the caller stands (`X-RateLimit-Limit/Remaining/Reset`); a refusal is 429 with `Retry-After`.
//! `/health*`, `/metrics` and the WebSocket upgrade (which limits chat messages itself) are exempt.

use std::net::IpAddr;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use pam_platform::rate_limit::{Decision, Quota};
use pam_web::auth::bearer_token_from_headers;
use pam_web::{AppError, AuthRejected, AuthUser};

use super::idempotency;
use crate::config::Limits;
use crate::state::AppState;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Exempt,
    /// Sign-up and sign-in: per client address only (there is no user yet).
    Auth,
    Pam,
    Speech,
    Admin,
    Default,
}

impl Class {
    pub fn of(path: &str) -> Class {
        let health = path == "/health" || path.starts_with("/health/") || path == "/api/health";
        // The WebSocket upgrade is exempt: the socket limits its chat messages and frames itself.
        if health || path == "/metrics" || path.starts_with("/api/v1/pam/ws/") {
            Class::Exempt
        } else if path == "/api/auth/register" || path == "/api/auth/login" {
            Class::Auth
        } else if path.starts_with("/api/v1/tts") || path.starts_with("/api/v1/voice") || path == "/api/v1/pam/voice" {
            Class::Speech
        } else if path.starts_with("/api/v1/pam") {
            Class::Pam
        } else if path.starts_with("/api/v1/admin") {
            Class::Admin
        } else {
            Class::Default
        }
    }

    fn quota(self, limits: &Limits) -> Option<(&'static str, Quota)> {
        match self {
            Class::Exempt => None,
            Class::Auth => Some(("auth", limits.auth)),
            Class::Pam => Some(("pam", limits.pam)),
            Class::Speech => Some(("tts", limits.tts)),
            Class::Admin => Some(("admin", limits.admin)),
            Class::Default => Some(("api", limits.default)),
        }
    }
}

/// What anonymous requests are counted under: the address, or for IPv6 its /64 (one household or host
/// holds a whole /64, and could otherwise walk through it for fresh budgets).
pub fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The client's address: the peer, unless the peer is a trusted proxy, in which case the nearest
/// address in `X-Forwarded-For` that is not itself a trusted proxy.
pub fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, limits: &Limits) -> Option<IpAddr> {
    let peer = peer?;
    if limits.trusted_proxies.is_empty() || !limits.is_trusted_proxy(peer) {
        return Some(peer);
    }
    let forwarded =
        headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
    let mut hops = forwarded.split(',').rev().map(str::trim).filter(|s| !s.is_empty());
    let mut client = peer;
    for hop in hops.by_ref() {
        match hop.parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !limits.is_trusted_proxy(ip) {
                    break;
                }
            }
            // A hop we cannot read: stop at the last address we could.
            Err(_) => break,
        }
    }
    Some(client)
}

/// Says where the caller stands. A limit the route applied itself (failed logins for one account) is
/// the one that decided, so its headers are kept.
fn set_headers(headers: &mut HeaderMap, d: &Decision) {
    if headers.contains_key("x-ratelimit-limit") {
        return;
    }
    headers.insert("x-ratelimit-limit", HeaderValue::from(d.limit));
    headers.insert("x-ratelimit-remaining", HeaderValue::from(d.remaining));
    headers.insert("x-ratelimit-reset", HeaderValue::from(d.reset.as_secs().max(u64::from(!d.allowed))));
}

/// Runs a limited request: who is asking (verified once here, then handed to the handler), the
/// quota's verdict, then the route (through the idempotency store when the POST carries a key).
pub async fn run(state: AppState, class: Class, mut req: Request, router: Router, client: Option<IpAddr>) -> Response {
    let Some((name, quota)) = class.quota(&state.config.limits) else {
        return route(state, req, router).await;
    };
    let caller = match bearer_token_from_headers(req.headers()).filter(|_| class != Class::Auth) {
        Some(token) => match state.auth.caller(token).await {
            Ok(caller) => Some(caller),
            Err(AppError::Unauthorized(why)) => {
                req.extensions_mut().insert(AuthRejected(why));
                None
            }
            // Not the token's fault (the database is down…): the route's own extractor tries again.
            Err(_) => None,
        },
        None => None,
    };
    let key = match (&caller, client) {
        (Some(user), _) => format!("{name}:u:{}", user.id),
        (None, Some(ip)) => format!("{name}:ip:{}", address_key(ip)),
        (None, None) => format!("{name}:anonymous"),
    };
    if let Some(user) = caller {
        tracing::Span::current().record("user.id", tracing::field::display(user.id));
        req.extensions_mut().insert(AuthUser(user));
    }
    let decision = state.limiter.check(&key, quota).await;
    if !decision.allowed {
        crate::metrics::rate_limited(name);
        let retry_after_secs = (decision.retry_after.as_secs_f64().ceil() as u64).max(1);
        let mut response = AppError::RateLimited { retry_after_secs, limit: decision.limit }.into_response();
        set_headers(response.headers_mut(), &decision);
        return response;
    }
    let mut response = route(state, req, router).await;
    set_headers(response.headers_mut(), &decision);
    response
}

async fn route(state: AppState, req: Request, router: Router) -> Response {
    if req.method() == Method::POST && req.headers().contains_key(idempotency::HEADER) {
        idempotency::handle(state, req, router).await
    } else {
        use tower::ServiceExt;
        router.oneshot(req).await.unwrap_or_else(|never| match never {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Cidr;

    fn limits(trusted: &[&str]) -> Limits {
        let mut vars = std::collections::HashMap::new();
        vars.insert("TRUSTED_PROXIES".to_string(), trusted.join(","));
        crate::config::Config::from_vars(vars).unwrap().limits
    }

    fn xff(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", value.parse().unwrap());
        h
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let lb: IpAddr = "10.0.0.5".parse().unwrap();
        let stranger: IpAddr = "203.0.113.9".parse().unwrap();
        let none = limits(&[]);
        assert_eq!(client_ip(Some(lb), &xff("198.51.100.1"), &none), Some(lb), "no trusted proxies: the peer");
        let trusted = limits(&["10.0.0.0/8"]);
        assert_eq!(client_ip(Some(lb), &xff("198.51.100.1"), &trusted), Some("198.51.100.1".parse().unwrap()));
        assert_eq!(
            client_ip(Some(stranger), &xff("198.51.100.1"), &trusted),
            Some(stranger),
            "an untrusted peer cannot name someone else"
        );
        // A client cannot forge its way past the proxy: the proxy appends the real address last.
        assert_eq!(
            client_ip(Some(lb), &xff("1.2.3.4, 198.51.100.7, 10.0.0.9"), &trusted),
            Some("198.51.100.7".parse().unwrap())
        );
        assert_eq!(client_ip(Some(lb), &HeaderMap::new(), &trusted), Some(lb), "no header: the proxy itself");
        assert!(Cidr::parse("10.0.0.0/8").unwrap().contains(lb));
    }

    #[test]
    fn ipv6_clients_are_counted_by_their_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key("2001:db8:1:3::1".parse().unwrap()));
        assert_eq!(address_key("::ffff:10.0.0.1".parse().unwrap()), "10.0.0.1");
    }

    #[test]
    fn routes_fall_in_their_classes() {
        assert_eq!(Class::of("/health/ready"), Class::Exempt);
        assert_eq!(Class::of("/metrics"), Class::Exempt);
        assert_eq!(Class::of("/api/v1/pam/ws/abc"), Class::Exempt);
        assert_eq!(Class::of("/api/v1/pam/chat"), Class::Pam);
        assert_eq!(Class::of("/api/v1/pam-simple/chat"), Class::Pam);
        assert_eq!(Class::of("/api/v1/pam/voice"), Class::Speech);
        assert_eq!(Class::of("/api/v1/tts/synthesize"), Class::Speech);
        assert_eq!(Class::of("/api/v1/admin/users"), Class::Admin);
        assert_eq!(Class::of("/api/v1/expenses"), Class::Default);
        assert_eq!(Class::of("/api/auth/login"), Class::Auth);
        assert_eq!(Class::of("/api/auth/me"), Class::Default);
    }
}
