//! A deterministic mutation test on stable Rust (issue 16): about 2,000
//! mutants of the fixture files of every input format — bytes flipped,
//! runs deleted, duplicated or inserted, files truncated, numbers and
//! delimiters spliced in; for zip packages mostly inside one part, packed
//! again, and for the model JSON mostly one value replaced, so the readers
//! behind the zip layer and the model's validation see them — each read,
//! checked and rendered by all four
//! writers (the PDF writer for every 3rd mutant that reads, to keep the
//! run under a minute). The test fails on a panic, on a mutant taking more
//! than 10 s, or on one allocating more than 500 MB at its peak, measured
//! by the counting allocator of this test binary only.
//!
//! The generator is a seeded xorshift written here: the same mutants on
//! every run and machine. `GONGKAI_MUTANTS=N` changes the count and
//! `GONGKAI_MUTATION_SEED=S` the seed, for longer local runs.

use gongkai::{OutputFormat, ReadOptions, RenderOptions};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Peak memory one mutant may use.
const MAX_PEAK_BYTES: usize = 500 * 1024 * 1024;
/// Beyond this the allocator refuses, so a runaway mutant aborts the test
/// binary (a failure) instead of taking the machine's memory.
const HARD_CAP_BYTES: usize = 1536 * 1024 * 1024;
/// Wall time one mutant may take.
const MAX_MUTANT_TIME: Duration = Duration::from_secs(10);
/// Mutants by default.
const DEFAULT_MUTANTS: usize = 2_000;
/// Every how many readable mutants the PDF writer runs.
const PDF_EVERY: usize = 3;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
}

/// Counts the bytes live on each thread and their peak.
struct Counting;

// SAFETY: every call is forwarded to the system allocator unchanged; the
// counters are const-initialised thread-locals without destructors, which
// allocate nothing.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.with(|l| l.get()).saturating_add(layout.size());
        if live > HARD_CAP_BYTES {
            return std::ptr::null_mut();
        }
        LIVE.with(|l| l.set(live));
        PEAK.with(|p| p.set(p.get().max(live)));
        // SAFETY: forwarded as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.with(|l| l.set(l.get().saturating_sub(layout.size())));
        // SAFETY: forwarded as is.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let live = LIVE
            .with(|l| l.get())
            .saturating_sub(layout.size())
            .saturating_add(new_size);
        if live > HARD_CAP_BYTES {
            return std::ptr::null_mut();
        }
        LIVE.with(|l| l.set(live));
        PEAK.with(|p| p.set(p.get().max(live)));
        // SAFETY: forwarded as is.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// xorshift64*: small, seeded, the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Splices that make parsers take unusual paths.
const TOKENS: &[&[u8]] = &[
    b"\t",
    b",",
    b"|",
    b"\n",
    b"\r\n",
    b"\"",
    b"99999999999999999999",
    b"-0.005",
    b"(12.50)",
    b"1e308",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\x00",
    "合计".as_bytes(),
    "注：".as_bytes(),
    "一、".as_bytes(),
    b"<w:tbl>",
    b"<w:gridSpan w:val=\"999\"/>",
    b"<w:vMerge/>",
    b"table:number-columns-repeated=\"99999\"",
    b"<text:s text:c=\"99999\"/>",
];

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut b = seed.to_vec();
    let rounds = 1 + rng.below(4);
    for _ in 0..rounds {
        let len = b.len();
        let at = rng.below(len + 1);
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                b[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                b[i] = rng.next() as u8;
            }
            2 => {
                let n = rng.below(64).min(len - at);
                b.drain(at..at + n);
            }
            3 => {
                let n = rng.below(256).min(len - at);
                let piece = b[at..at + n].to_vec();
                let times = 1 + rng.below(8);
                for _ in 0..times {
                    b.splice(at..at, piece.iter().copied());
                }
            }
            4 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                b.splice(at..at, t.iter().copied());
            }
            5 => b.truncate(at.max(1)),
            _ => {
                let n = rng.below(16);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                b.splice(at..at, bytes);
            }
        }
    }
    b
}

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let names = [
        "corpus/seed/budget.txt",
        "corpus/seed/budget.csv",
        "corpus/seed/budget.md",
        "corpus/seed/budget-utf16.txt",
        "corpus/seed/budget-gb18030.txt",
        "corpus/seed/budget.xlsx",
        "corpus/seed/budget-2level.xlsx",
        "corpus/seed/budget.xls",
        "corpus/seed/budget.ods",
        "corpus/seed/budget.docx",
        "corpus/seed/budget-merged.docx",
        "sheet/budget.xlsb",
        "text-variants/v06_三公经费及基本支出_0.txt",
        // Space-aligned: read by the fixed-width reader.
        "../cases/fixed-width-book/input.txt",
    ];
    let mut out = Vec::new();
    for n in names {
        match std::fs::read(root.join(n)) {
            Ok(b) => out.push((n.to_string(), b)),
            Err(e) => eprintln!("{n}: {e}; not a seed"),
        }
    }
    // The model JSON of the first seed, so the JSON reader is fuzzed too.
    if let Some((name, bytes)) = out.first()
        && let Ok(doc) = gongkai::read_bytes(bytes, name, &ReadOptions::default())
        && let Ok(json) = gongkai::render(&doc, OutputFormat::Json, &RenderOptions::default())
    {
        out.push(("budget.json".into(), json.bytes));
    }
    out
}

/// The parts of a zip package, by name.
type Parts = Vec<(String, Vec<u8>)>;

/// The parts of a zip package (xlsx, xlsb, ods, docx), or `None`.
fn unpack(bytes: &[u8]) -> Option<Parts> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).ok()?;
        let name = f.name().ok()?.to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).ok()?;
        parts.push((name, data));
    }
    Some(parts)
}

/// A package with one XML or binary part mutated and the rest as they
/// were, packed again (stored): mutating the zip bytes themselves mostly
/// breaks a checksum, so the readers behind the zip layer would see few
/// mutants.
fn mutate_part(rng: &mut Rng, parts: &Parts) -> Vec<u8> {
    use std::io::Write;
    let candidates: Vec<usize> = (0..parts.len())
        .filter(|&i| parts[i].0.ends_with(".xml") || parts[i].0.ends_with(".bin"))
        .collect();
    let chosen = match candidates.len() {
        0 => rng.below(parts.len().max(1)),
        n => candidates[rng.below(n)],
    };
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (i, (name, data)) in parts.iter().enumerate() {
        let data = if i == chosen {
            mutate(rng, data)
        } else {
            data.clone()
        };
        // The seeds are our own fixtures: packing them again cannot fail.
        out.start_file(name.as_str(), opts).expect("start a part");
        out.write_all(&data).expect("write a part");
    }
    out.finish().expect("finish the package").into_inner()
}

/// The JSON pointers of every value of a model JSON.
fn pointers(value: &serde_json::Value, at: String, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                pointers(v, format!("{at}/{i}"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                pointers(
                    v,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        _ => {}
    }
    out.push(at);
}

/// A model JSON with one value replaced by an awkward one (a zero span, a
/// huge number, an empty path, an array repeated), so that the model's
/// validation sees mutants that are still JSON of the right shape.
fn mutate_model(rng: &mut Rng, model: &serde_json::Value, at: &[String]) -> Vec<u8> {
    let mut m = model.clone();
    if let Some(target) = at
        .get(rng.below(at.len().max(1)))
        .and_then(|p| m.pointer_mut(p))
    {
        *target = match rng.below(9) {
            0 => serde_json::json!(0),
            1 => serde_json::json!(-1),
            2 => serde_json::json!(u64::MAX),
            3 => serde_json::json!(""),
            4 => serde_json::json!([]),
            5 => serde_json::json!({}),
            6 => serde_json::Value::Null,
            7 => serde_json::json!("合计"),
            _ => match target.take() {
                serde_json::Value::Array(items) => {
                    let times = 1 + rng.below(50);
                    let mut more = Vec::with_capacity(items.len() * times);
                    for _ in 0..times {
                        more.extend(items.iter().cloned());
                    }
                    serde_json::Value::Array(more)
                }
                other => serde_json::Value::Array(vec![other]),
            },
        };
    }
    serde_json::to_vec(&m).unwrap_or_default()
}

/// The kind of input a seed is, for the tally: its extension, or `fixed`
/// for the space-aligned text the fixed-width reader reads.
fn kind(name: &str) -> &str {
    if name.contains("fixed-width") {
        return "fixed";
    }
    name.rsplit('.').next().unwrap_or(name)
}

/// Reads and renders one mutant; what it cost, or the panic.
fn run(name: &str, bytes: &[u8], pdf: bool) -> Result<(Duration, usize, bool), String> {
    PEAK.with(|p| p.set(LIVE.with(|l| l.get())));
    let base = LIVE.with(|l| l.get());
    let start = Instant::now();
    let result = std::panic::catch_unwind(|| {
        let Ok(doc) = gongkai::read_bytes(bytes, name, &ReadOptions::default()) else {
            return false;
        };
        let mut formats = vec![
            OutputFormat::Markdown,
            OutputFormat::Json,
            OutputFormat::Docx,
        ];
        if pdf {
            formats.push(OutputFormat::Pdf);
        }
        let _ = gongkai::convert(doc, &formats, &RenderOptions::default());
        true
    });
    let took = start.elapsed();
    let peak = PEAK.with(|p| p.get()).saturating_sub(base);
    match result {
        Ok(read) => Ok((took, peak, read)),
        Err(payload) => Err(payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into())),
    }
}

#[test]
fn two_thousand_mutants_neither_panic_nor_hang_nor_balloon() {
    let seeds = fixtures();
    assert!(seeds.len() >= 10, "the fixtures are the seeds");
    let count: usize = std::env::var("GONGKAI_MUTANTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_MUTANTS);
    let seed: u64 = std::env::var("GONGKAI_MUTATION_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x6f6e_676b_6169_2016);
    // A panic inside is caught and reported; keep the default hook from
    // printing each (the libraries under test print nothing either).
    std::panic::set_hook(Box::new(|_| {}));
    let threads = 2;
    let packages: Vec<Option<Parts>> = seeds.iter().map(|(_, bytes)| unpack(bytes)).collect();
    let models: Vec<Option<(serde_json::Value, Vec<String>)>> = seeds
        .iter()
        .map(|(name, bytes)| {
            let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
            let mut at = Vec::new();
            pointers(&value, String::new(), &mut at);
            name.ends_with(".json").then_some((value, at))
        })
        .collect();
    let started = Instant::now();
    type Tally<'a> = std::collections::BTreeMap<&'a str, (usize, usize)>;
    let results: Vec<(usize, usize, Vec<String>, Duration, usize, Tally)> =
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let seeds = &seeds;
                    let packages = &packages;
                    let models = &models;
                    s.spawn(move || {
                        let mut rng =
                            Rng(seed ^ (t as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
                        let mut failures = Vec::new();
                        let (mut read, mut pdfs) = (0usize, 0usize);
                        let (mut slowest, mut biggest) = (Duration::ZERO, 0usize);
                        let mut tally = Tally::new();
                        for i in (t..count).step_by(threads) {
                            let (name, bytes) = &seeds[i % seeds.len()];
                            // Three packages in four have a part mutated,
                            // and three model JSONs in four a value; the
                            // rest their bytes.
                            let mutant =
                                match (&packages[i % seeds.len()], &models[i % seeds.len()]) {
                                    (Some(parts), _) if rng.below(4) != 0 => {
                                        mutate_part(&mut rng, parts)
                                    }
                                    (_, Some((model, at))) if rng.below(4) != 0 => {
                                        mutate_model(&mut rng, model, at)
                                    }
                                    _ => mutate(&mut rng, bytes),
                                };
                            let pdf = read % PDF_EVERY == 0;
                            let counts = tally.entry(kind(name)).or_default();
                            counts.0 += 1;
                            match run(name, &mutant, pdf) {
                                Ok((took, peak, ok)) => {
                                    if ok {
                                        counts.1 += 1;
                                        read += 1;
                                        pdfs += usize::from(pdf);
                                    }
                                    slowest = slowest.max(took);
                                    biggest = biggest.max(peak);
                                    if took > MAX_MUTANT_TIME || peak > MAX_PEAK_BYTES {
                                        failures.push(format!(
                                            "mutant {i} of {name}: {took:?}, {} MB at its peak",
                                            peak >> 20
                                        ));
                                    }
                                }
                                Err(panic) => {
                                    failures.push(format!("mutant {i} of {name}: panic: {panic}"))
                                }
                            }
                        }
                        (read, pdfs, failures, slowest, biggest, tally)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join().unwrap_or_else(|_| {
                        let lost = vec!["a worker thread panicked outside a mutant".to_string()];
                        (0, 0, lost, Duration::ZERO, 0, Tally::new())
                    })
                })
                .collect()
        });
    let _ = std::panic::take_hook();
    let read: usize = results.iter().map(|r| r.0).sum();
    let pdfs: usize = results.iter().map(|r| r.1).sum();
    let slowest = results.iter().map(|r| r.3).max().unwrap_or_default();
    let biggest = results.iter().map(|r| r.4).max().unwrap_or_default();
    let failures: Vec<&String> = results.iter().flat_map(|r| &r.2).collect();
    let mut tally = Tally::new();
    for (k, (n, ok)) in results.iter().flat_map(|r| &r.5) {
        let t = tally.entry(k).or_default();
        t.0 += n;
        t.1 += ok;
    }
    let per_kind: Vec<String> = tally
        .iter()
        .map(|(k, (n, ok))| format!("{k} {n} ({ok} read)"))
        .collect();
    eprintln!("mutants per kind of input: {}", per_kind.join(", "));
    eprintln!(
        "{count} mutants of {} seeds in {:.1} s: {read} read and rendered ({pdfs} as PDF too); \
         slowest {slowest:?}, largest peak {} MB",
        seeds.len(),
        started.elapsed().as_secs_f64(),
        biggest >> 20
    );
    assert!(
        failures.is_empty(),
        "{} failing mutant(s):\n{}",
        failures.len(),
        failures
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // The mutants must exercise the writers, not only the readers' errors.
    assert!(read > count / 20, "only {read} of {count} mutants read");
}
