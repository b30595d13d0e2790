//! One test binary for pam-geo: the gazetteer and estimate on the bundled data, and every provider
//! client against a local fake speaking that provider's real wire format.

mod campgrounds;
mod estimate;
mod fallback;
mod fuel;
mod gazetteer;
mod geocoding;
mod helpers;
mod properties;
mod routing;
mod weather;
mod web_search;
