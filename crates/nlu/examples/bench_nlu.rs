//! Speed and memory of the offline understanding:
//! `cargo run --release -p pam-nlu --example bench_nlu [-- --slowest 20]`
//!
//! Trains the model (timed), then reads every corpus sentence 20 times and reports the time per
//! sentence (p50, p99, max), the model's own tables, the heap the trained understander keeps (counted by
//! the allocator: what stays allocated once training's scratch is freed — the model's memory), the
//! heap's peak during training, and the process's resident memory before and after training (which also
//! counts pages the allocator freed but kept).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The system allocator, counting the bytes live now and at the peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

use pam_nlu::corpus;
use pam_nlu::{Understander, eval};

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_string))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn main() {
    let before = rss_kib();
    let heap_before = LIVE.load(Ordering::Relaxed);
    PEAK.store(heap_before, Ordering::Relaxed);
    let started = Instant::now();
    let u = Understander::shared();
    let trained = started.elapsed();
    let after = rss_kib();
    let kept = LIVE.load(Ordering::Relaxed).saturating_sub(heap_before);
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(heap_before);
    let texts: Vec<String> = corpus::examples().into_iter().map(|e| e.text).collect();
    let today = eval::reference_today();
    // Warm up the lexicons.
    for t in &texts {
        std::hint::black_box(u.understand(t, today));
    }
    let mut times = Vec::with_capacity(texts.len() * 20);
    // Each sentence's fastest read: with `--slowest N`, the N slowest sentences are listed (where to look
    // when the p99 moves).
    let mut fastest = vec![u64::MAX; texts.len()];
    for _ in 0..20 {
        for (k, t) in texts.iter().enumerate() {
            let s = Instant::now();
            std::hint::black_box(u.understand(t, today));
            let ns = s.elapsed().as_nanos() as u64;
            fastest[k] = fastest[k].min(ns);
            times.push(ns);
        }
    }
    let args: Vec<String> = std::env::args().collect();
    if let Some(n) = args.iter().position(|a| a == "--slowest").and_then(|i| args.get(i + 1)?.parse::<usize>().ok()) {
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&k| std::cmp::Reverse(fastest[k]));
        for &k in order.iter().take(n) {
            println!("{:>8.1} µs  {}", fastest[k] as f64 / 1000.0, texts[k]);
        }
    }
    times.sort_unstable();
    let q = |p: f64| times[((times.len() - 1) as f64 * p) as usize] as f64 / 1000.0;
    println!("training: {:.0} ms ({} features)", trained.as_secs_f64() * 1000.0, u.model().feature_count());
    println!(
        "per sentence over {} reads: p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        times.len(),
        q(0.5),
        q(0.99),
        q(1.0)
    );
    println!(
        "model tables: {:.2} MB (word model {:.2} MB; with the character model and the gate)",
        u.memory_bytes() as f64 / 1e6,
        u.model().memory_bytes() as f64 / 1e6
    );
    println!(
        "heap kept by the trained understander: {:.2} MB (peak during training {:.1} MB)",
        kept as f64 / 1e6,
        peak as f64 / 1e6
    );
    println!(
        "resident memory: {:.1} MB before training, {:.1} MB after (+{:.1} MB)",
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        (after.saturating_sub(before)) as f64 / 1024.0
    );
}
