//! The order of stops that makes a route shortest, with the start and the end fixed: every order for a
//! handful of stops, nearest-neighbour improved by 2-opt beyond that. Distances are great-circle (the
//! road factor does not change which order is shortest).

use pam_geo::Coordinates;

use crate::lookup::ResolvedPlace;

/// Up to this many stops every order is tried (7! = 5,040 orders).
const EXACT_UP_TO: usize = 7;

fn at(p: &ResolvedPlace) -> Option<Coordinates> {
    Coordinates::new(p.lat, p.lng).ok()
}

fn length(order: &[&ResolvedPlace]) -> f64 {
    order
        .windows(2)
        .map(|w| match (at(w[0]), at(w[1])) {
            (Some(a), Some(b)) => a.distance_km(b),
            _ => 0.0,
        })
        .sum()
}

/// `places` is origin, stops…, destination; the result keeps the two ends and reorders the stops.
pub fn shortest(places: Vec<ResolvedPlace>) -> Vec<ResolvedPlace> {
    if places.len() <= 3 {
        return places;
    }
    let n = places.len();
    let stops: Vec<usize> = (1..n - 1).collect();
    let best = if stops.len() <= EXACT_UP_TO {
        exact(&places, stops)
    } else {
        two_opt(&places, nearest_first(&places, stops))
    };
    let mut out = Vec::with_capacity(n);
    out.push(places[0].clone());
    out.extend(best.iter().map(|i| places[*i].clone()));
    out.push(places[n - 1].clone());
    out
}

fn route_length(places: &[ResolvedPlace], stops: &[usize]) -> f64 {
    let mut order: Vec<&ResolvedPlace> = vec![&places[0]];
    order.extend(stops.iter().map(|i| &places[*i]));
    order.push(&places[places.len() - 1]);
    length(&order)
}

fn exact(places: &[ResolvedPlace], mut stops: Vec<usize>) -> Vec<usize> {
    let mut best = stops.clone();
    let mut best_len = route_length(places, &stops);
    // Heap's algorithm over the stops.
    let k = stops.len();
    let mut c = vec![0usize; k];
    let mut i = 0;
    while i < k {
        if c[i] < i {
            if i % 2 == 0 {
                stops.swap(0, i)
            } else {
                stops.swap(c[i], i)
            }
            let len = route_length(places, &stops);
            if len < best_len - 1e-9 {
                best_len = len;
                best.clone_from(&stops);
            }
            c[i] += 1;
            i = 0;
        } else {
            c[i] = 0;
            i += 1;
        }
    }
    best
}

fn nearest_first(places: &[ResolvedPlace], mut left: Vec<usize>) -> Vec<usize> {
    let mut order = Vec::with_capacity(left.len());
    let mut here = 0;
    while !left.is_empty() {
        let (k, _) = left
            .iter()
            .enumerate()
            .map(|(k, i)| (k, length(&[&places[here], &places[*i]])))
            .fold((0, f64::INFINITY), |best, x| if x.1 < best.1 { x } else { best });
        here = left.remove(k);
        order.push(here);
    }
    order
}

fn two_opt(places: &[ResolvedPlace], mut stops: Vec<usize>) -> Vec<usize> {
    let mut improved = true;
    let mut best = route_length(places, &stops);
    let mut rounds = 0;
    while improved && rounds < 50 {
        improved = false;
        rounds += 1;
        for i in 0..stops.len() {
            for j in i + 1..stops.len() {
                stops[i..=j].reverse();
                let len = route_length(places, &stops);
                if len < best - 1e-9 {
                    best = len;
                    improved = true;
                } else {
                    stops[i..=j].reverse();
                }
            }
        }
    }
    stops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(name: &str, lat: f64, lng: f64) -> ResolvedPlace {
        ResolvedPlace { name: name.into(), matched: name.into(), lat, lng }
    }

    #[test]
    fn stops_are_put_in_the_shortest_order_with_the_ends_kept() {
        // Brisbane → (Cairns, Rockhampton, Mackay, Townsville) → Cooktown: up the coast in order.
        let places = vec![
            p("Brisbane", -27.47, 153.02),
            p("Cairns", -16.92, 145.77),
            p("Rockhampton", -23.38, 150.51),
            p("Townsville", -19.26, 146.82),
            p("Mackay", -21.14, 149.19),
            p("Cooktown", -15.47, 145.25),
        ];
        let names: Vec<String> = shortest(places).into_iter().map(|p| p.name).collect();
        assert_eq!(names, ["Brisbane", "Rockhampton", "Mackay", "Townsville", "Cairns", "Cooktown"]);
    }

    #[test]
    fn many_stops_use_the_heuristic_and_keep_every_stop() {
        let mut places = vec![p("start", 0.0, 0.0)];
        for k in (1..=12).rev() {
            places.push(p(&format!("s{k}"), 0.0, k as f64));
        }
        places.push(p("end", 0.0, 13.0));
        let out = shortest(places);
        let names: Vec<String> = out.iter().map(|p| p.name.clone()).collect();
        let expected: Vec<String> = std::iter::once("start".to_string())
            .chain((1..=12).map(|k| format!("s{k}")))
            .chain(["end".to_string()])
            .collect();
        assert_eq!(names, expected);
    }
}
