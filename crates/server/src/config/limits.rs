//! Request limits (SPEC §7) and which peers may say who the client is (`TRUSTED_PROXIES`).

use std::net::IpAddr;
use std::time::Duration;

use pam_platform::rate_limit::Quota;

use super::vars::{Vars, get, positive};
use super::{ConfigError, bad};

#[derive(Clone, Debug)]
pub struct Limits {
    /// Requests per minute per user (else per client address) on `/api/v1/pam*`.
    pub pam: Quota,
    /// … on `/api/v1/tts*` and `/api/v1/pam/voice`.
    pub tts: Quota,
    /// … on `/api/v1/admin*`.
    pub admin: Quota,
    /// … on every other limited route.
    pub default: Quota,
    /// Chat messages per minute per user over the WebSocket.
    pub ws_chat: Quota,
    /// Register/login attempts per minute per client address.
    pub auth: Quota,
    /// Failed logins per account and address within five minutes before further attempts wait.
    pub login_failures: Quota,
    /// Peers (load balancers) whose `X-Forwarded-For` names the client; nobody else's is believed.
    pub trusted_proxies: Vec<Cidr>,
}

impl Limits {
    pub(super) fn from_vars(vars: &Vars) -> Result<Limits, ConfigError> {
        let per_minute = |name: &'static str, default: u32| positive(vars, name, default).map(Quota::per_minute);
        Ok(Limits {
            pam: per_minute("RATE_LIMIT_PAM_PER_MINUTE", 100)?,
            tts: per_minute("RATE_LIMIT_TTS_PER_MINUTE", 30)?,
            admin: per_minute("RATE_LIMIT_ADMIN_PER_MINUTE", 1000)?,
            default: per_minute("RATE_LIMIT_DEFAULT_PER_MINUTE", 300)?,
            ws_chat: per_minute("WS_CHAT_PER_MINUTE", 60)?,
            auth: per_minute("AUTH_RATE_LIMIT_PER_MINUTE", 10)?,
            login_failures: Quota {
                limit: positive(vars, "LOGIN_FAILURE_LIMIT", 5)?,
                period: Duration::from_secs(300),
            },
            trusted_proxies: match get(vars, "TRUSTED_PROXIES") {
                None => Vec::new(),
                Some(v) => v
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| Cidr::parse(s).map_err(|m| bad("TRUSTED_PROXIES", m)))
                    .collect::<Result<_, _>>()?,
            },
        })
    }

    pub fn is_trusted_proxy(&self, peer: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|c| c.contains(peer))
    }
}

/// An address block such as `10.0.0.0/8`, `fd00::/8` or a single address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse(text: &str) -> Result<Cidr, String> {
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr = addr.parse().map_err(|_| format!("{text:?} is not an address or CIDR block"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => {
                p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(|| format!("{text:?} has a bad prefix"))?
            }
        };
        Ok(Cidr { network, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        // An IPv4 peer may arrive as an IPv4-mapped IPv6 address.
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map(IpAddr::V4).unwrap_or(ip),
            v4 => v4,
        };
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.prefix)).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(self.prefix)).unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_contain_their_addresses() {
        let lan = Cidr::parse("10.0.0.0/8").unwrap();
        assert!(lan.contains("10.1.2.3".parse().unwrap()));
        assert!(!lan.contains("11.0.0.1".parse().unwrap()));
        assert!(lan.contains("::ffff:10.9.9.9".parse().unwrap()), "IPv4-mapped peers match IPv4 blocks");
        let one = Cidr::parse("192.168.1.7").unwrap();
        assert!(one.contains("192.168.1.7".parse().unwrap()));
        assert!(!one.contains("192.168.1.8".parse().unwrap()));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains("8.8.8.8".parse().unwrap()));
        assert!(Cidr::parse("fd00::/8").unwrap().contains("fd12::1".parse().unwrap()));
        for bad in ["10.0.0.0/33", "nope", "10.0.0.0/x", "::/129"] {
            assert!(Cidr::parse(bad).is_err(), "{bad}");
        }
    }
}
