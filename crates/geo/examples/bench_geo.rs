//! Measures the gazetteer and the estimate: load time, memory, lookups, reverse lookups and a 10-stop
//! route. Run with `cargo run --release -p pam-geo --example bench_geo`; figures go in `bench/geo.md`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use pam_geo::estimate::estimate_named_route;
use pam_geo::{AverageSpeed, Gazetteer};

/// Real queries in the forms travellers type: plain, qualified, abbreviated, accented, misspelt,
/// autocomplete-ish and unknown (the slow path, with suggestions).
const QUERIES: &[&str] = &[
    "Perth",
    "Perth WA",
    "Perth, Western Australia",
    "Perth Scotland",
    "Perth, UK",
    "Sydney",
    "Melbourne",
    "Brisbane",
    "Adelaide",
    "Darwin",
    "Hobart",
    "Cairns",
    "Alice Springs",
    "Broken Hill",
    "Dubbo",
    "Mudgee",
    "Coober Pedy",
    "Birdsville",
    "Tibooburra",
    "Mt Gambier",
    "Pt Augusta",
    "St Helens, Tasmania",
    "Mount Isa",
    "Santa Fe NM",
    "Austin TX",
    "Portland, Oregon",
    "Portland Vic",
    "Moab",
    "Flagstaff AZ",
    "Banff AB",
    "Queenstown NZ",
    "Zürich",
    "cafelandia",
    "the Entrance",
    "Noosa",
    "Tamwroth",
    "Kalgorlie",
    "Toowomba",
    "Rockhamton",
    "Wagga Waga",
    "Bundaburg",
    "Kununura",
    "Sydny",
    "Melborne",
    "Mount Gambeir",
    "Narnia Springs",
    "Toowoombaaaa",
    "Springfield",
    "Victoria BC",
    "Canberra ACT",
];

fn vm_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).copied().unwrap_or_default()
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let mean = samples.iter().sum::<Duration>() / samples.len().max(1) as u32;
    println!(
        "| {name} | {} | {:.1} µs | {:.1} µs | {:.1} µs | {:.1} µs |",
        samples.len(),
        percentile(&samples, 0.5).as_secs_f64() * 1e6,
        percentile(&samples, 0.99).as_secs_f64() * 1e6,
        samples.last().copied().unwrap_or_default().as_secs_f64() * 1e6,
        mean.as_secs_f64() * 1e6,
    );
}

fn main() {
    let rss_before = vm_rss_kb();
    let started = Instant::now();
    let gazetteer = Gazetteer::load();
    let first_load = started.elapsed();
    let rss_after = vm_rss_kb();

    let mut reloads: Vec<Duration> = (0..5)
        .map(|_| {
            let started = Instant::now();
            black_box(Gazetteer::load());
            started.elapsed()
        })
        .collect();
    reloads.sort();

    println!("places: {}, skipped rows: {}", gazetteer.len(), gazetteer.skipped_rows());
    println!("load (first, cold pages): {:.1} ms", first_load.as_secs_f64() * 1e3);
    println!("load (median of 5 more): {:.1} ms", percentile(&reloads, 0.5).as_secs_f64() * 1e3);
    if let (Some(before), Some(after)) = (rss_before, rss_after) {
        println!(
            "VmRSS before load: {:.1} MB, after: {:.1} MB, growth: {:.1} MB",
            before as f64 / 1024.0,
            after as f64 / 1024.0,
            (after - before) as f64 / 1024.0
        );
    }
    println!("heap held by tables and indexes (computed): {:.1} MB", gazetteer.heap_bytes() as f64 / 1e6);
    println!();
    println!("| operation | calls | p50 | p99 | max | mean |");
    println!("|---|---|---|---|---|---|");

    let rounds = 200;
    let mut lookups = Vec::with_capacity(QUERIES.len() * rounds);
    for _ in 0..rounds {
        for query in QUERIES {
            let started = Instant::now();
            let _ = black_box(gazetteer.lookup(black_box(query)));
            lookups.push(started.elapsed());
        }
    }
    report("lookup (50 mixed queries × 200)", lookups);

    let found_only: Vec<&str> = QUERIES.iter().copied().filter(|q| gazetteer.lookup(q).is_ok()).collect();
    let mut hits = Vec::new();
    for _ in 0..rounds {
        for query in &found_only {
            let started = Instant::now();
            let _ = black_box(gazetteer.lookup(black_box(query)));
            hits.push(started.elapsed());
        }
    }
    report(&format!("lookup, found only ({} queries × 200)", found_only.len()), hits);

    let mut misses = Vec::new();
    for _ in 0..rounds {
        for query in ["Narnia Springs", "Toowoombaaaa"] {
            let started = Instant::now();
            let _ = black_box(gazetteer.lookup(black_box(query)));
            misses.push(started.elapsed());
        }
    }
    report("lookup, not found + 5 suggestions", misses);

    let mut searches = Vec::new();
    for _ in 0..rounds {
        for prefix in ["al", "alice sp", "mount g", "port m", "bir", "tamw", "sydn", "perth"] {
            let started = Instant::now();
            black_box(gazetteer.search(black_box(prefix), 8));
            searches.push(started.elapsed());
        }
    }
    report("search (autocomplete, 8 prefixes, limit 8)", searches);

    // Deterministic points: where travellers are (Australia, coast and outback), and anywhere on the
    // globe (mostly ocean, the slow case: the search widens until it reaches land).
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let australia: Vec<(f64, f64)> = (0..10_000).map(|_| (-10.0 - next() * 33.0, 113.0 + next() * 40.0)).collect();
    let world: Vec<(f64, f64)> = (0..10_000).map(|_| (next() * 140.0 - 70.0, next() * 360.0 - 180.0)).collect();
    for (name, points) in
        [("nearest (10,000 points over Australia)", australia), ("nearest (10,000 points, whole globe)", world)]
    {
        let mut samples = Vec::with_capacity(points.len());
        for &(lat, lon) in &points {
            let started = Instant::now();
            black_box(gazetteer.nearest(black_box(lat), black_box(lon)));
            samples.push(started.elapsed());
        }
        report(name, samples);
    }

    let stops = [
        "Sydney",
        "Dubbo",
        "Bourke",
        "Tibooburra",
        "Birdsville",
        "Bedourie",
        "Mt Isa",
        "Tennant Creek",
        "Alice Springs",
        "Coober Pedy",
    ];
    let mut plans = Vec::new();
    for _ in 0..1_000 {
        let started = Instant::now();
        let route = estimate_named_route(&gazetteer, black_box(&stops), AverageSpeed::default());
        black_box(&route);
        plans.push(started.elapsed());
    }
    report("10-stop route estimate incl. lookups", plans);
    if let Ok(route) = estimate_named_route(&gazetteer, &stops, AverageSpeed::default()) {
        println!();
        println!("10-stop plan: {:.0} km, {:.0} min", route.distance_km, route.duration_minutes);
    }
    if let Ok(route) = estimate_named_route(&gazetteer, &["Sydney", "Melbourne"], AverageSpeed::default()) {
        println!("Sydney → Melbourne estimate: {} km, {} min", route.distance_km, route.duration_minutes);
    }
}
