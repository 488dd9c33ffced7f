//! Load generator for the end-to-end numbers in the README: pre-builds signed, encrypted
//! Official Account text callbacks, each with its own MsgId, then posts them to a running
//! huiwu and reports throughput and latency percentiles.
//!
//! cargo run --release --example loadgen -- --config config/example.toml --requests 200000 --concurrency 64
//! cargo run --release --example loadgen -- --config config/example.toml --rate 5000 --seconds 20 --concurrency 32

// A load tool: a failed setup step should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use clap::Parser;
use huiwu::config::Settings;
use huiwu::sim::{SimAction, Simulator};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    #[arg(long, default_value = "config/example.toml")]
    config: std::path::PathBuf,
    /// Server base URL (default server.public_url)
    #[arg(long)]
    url: Option<String>,
    /// Closed loop: this many requests as fast as `concurrency` connections allow
    #[arg(long, default_value_t = 100_000)]
    requests: usize,
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Open loop: a fixed rate per second over `concurrency` connections (latency measured
    /// from each request's scheduled send time)
    #[arg(long)]
    rate: Option<u64>,
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// What every follower sends. The default is answered from reads alone (none of the
    /// followers has bound an employee number); `绑定 E0000` takes the command's transaction
    /// (a bind attempt, refused: no such employee).
    #[arg(long, default_value = "我的会议")]
    text: String,
}

/// A whole HTTP/1.1 request, serialised once up front so the generator spends its CPU on
/// sending, not on building requests (it shares the machine with the server).
struct Prepared(Vec<u8>);

fn prepare(sim: &Simulator, base: &url::Url, text: &str, count: usize) -> Vec<Prepared> {
    let now = huiwu::clock::Clock::now(&huiwu::clock::SystemClock).timestamp();
    let run = rand::random::<u32>() as u64;
    let host = format!(
        "{}:{}",
        base.host_str().unwrap(),
        base.port_or_known_default().unwrap()
    );
    (0..count)
        .map(|i| {
            let msg_id = (run << 32) | i as u64;
            let xml = sim
                .message_xml(&format!("oLoad{}", i % 1000), &SimAction::Text(text.into()), now, msg_id)
                .unwrap();
            let req = sim.sign_post(&xml, now, &huiwu::sim::random_nonce());
            Prepared(
                format!(
                    "POST {}?{} HTTP/1.1\r\nHost: {host}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n{}",
                    sim.path(),
                    req.query,
                    req.body.len(),
                    req.body
                )
                .into_bytes(),
            )
        })
        .collect()
}

/// One keep-alive connection: writes a request, reads one response (status line, headers,
/// Content-Length body). Returns whether it was a 200 carrying an encrypted reply: a bare
/// `success` would mean the command was not answered in time.
struct Connection {
    stream: tokio::net::TcpStream,
    buf: Vec<u8>,
}

impl Connection {
    async fn open(addr: &str) -> std::io::Result<Self> {
        let stream = tokio::net::TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream,
            buf: Vec::with_capacity(4096),
        })
    }

    async fn send(&mut self, request: &Prepared) -> std::io::Result<bool> {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        self.stream.write_all(&request.0).await?;
        self.buf.clear();
        loop {
            if let Some(end) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = std::str::from_utf8(&self.buf[..end])
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let ok = head.starts_with("http/1.1 200");
                let len: usize = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(0);
                while self.buf.len() < end + 4 + len {
                    if self.stream.read_buf(&mut self.buf).await? == 0 {
                        return Err(std::io::ErrorKind::UnexpectedEof.into());
                    }
                }
                let body = &self.buf[end + 4..end + 4 + len];
                return Ok(ok && body.windows(9).any(|w| w == b"<Encrypt>"));
            }
            if self.stream.read_buf(&mut self.buf).await? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
        }
    }
}

/// Latencies of the answered requests and the count of failed ones.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    failed: usize,
}

impl Tally {
    /// Sends one request; latency counts from `since` (the scheduled time at a fixed rate).
    async fn send(
        &mut self,
        conn: &mut Connection,
        addr: &str,
        request: &Prepared,
        since: Instant,
    ) {
        match conn.send(request).await {
            Ok(true) => self.latencies.push(since.elapsed()),
            Ok(false) => self.failed += 1,
            Err(_) => {
                self.failed += 1;
                *conn = Connection::open(addr).await.expect("reconnect");
            }
        }
    }

    async fn gather(workers: Vec<tokio::task::JoinHandle<Tally>>) -> Tally {
        let mut all = Tally::default();
        for w in workers {
            let t = w.await.unwrap();
            all.latencies.extend(t.latencies);
            all.failed += t.failed;
        }
        all
    }
}

fn report(label: &str, tally: Tally, elapsed: Duration) {
    let Tally {
        mut latencies,
        failed,
    } = tally;
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    println!(
        "{label}: {} ok, {failed} failed in {:.2} s = {:.0} req/s; latency ms p50 {:.2} p90 {:.2} p99 {:.2} max {:.2}",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.90),
        pct(0.99),
        latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1000.0),
    );
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let settings = Settings::load(Some(&args.config)).expect("config");
    let sim = Simulator::from_settings(&settings, false).expect("[wechat] section");
    let base: url::Url = args
        .url
        .as_deref()
        .map(|u| u.parse().expect("--url"))
        .unwrap_or_else(|| settings.server.public_url.clone());
    let addr = format!(
        "{}:{}",
        base.host_str().unwrap(),
        base.port_or_known_default().unwrap()
    );

    match args.rate {
        None => {
            let requests = Arc::new(prepare(&sim, &base, &args.text, args.requests));
            let next = Arc::new(AtomicUsize::new(0));
            let started = Instant::now();
            let workers: Vec<_> = (0..args.concurrency)
                .map(|_| {
                    let (addr, requests, next) = (addr.clone(), requests.clone(), next.clone());
                    tokio::spawn(async move {
                        let mut tally = Tally::default();
                        let mut conn = Connection::open(&addr).await.expect("connect");
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(p) = requests.get(i) else { break };
                            tally.send(&mut conn, &addr, p, Instant::now()).await;
                        }
                        tally
                    })
                })
                .collect();
            let tally = Tally::gather(workers).await;
            report(
                &format!("closed loop, {} connections", args.concurrency),
                tally,
                started.elapsed(),
            );
        }
        Some(rate) => {
            // Each connection sends its share on a fixed schedule; latency counts from the
            // scheduled time, so a stalled server cannot hide its queueing (no coordinated
            // omission).
            let total = (rate * args.seconds) as usize;
            let requests = Arc::new(prepare(&sim, &base, &args.text, total));
            let conns = args.concurrency.max(1);
            let interval = Duration::from_secs_f64(conns as f64 / rate as f64);
            let started = Instant::now() + Duration::from_millis(100);
            let workers: Vec<_> = (0..conns)
                .map(|w| {
                    let (addr, requests) = (addr.clone(), requests.clone());
                    tokio::spawn(async move {
                        let mut tally = Tally::default();
                        let mut conn = Connection::open(&addr).await.expect("connect");
                        let offset = interval.mul_f64(w as f64 / conns as f64);
                        for (n, i) in (w..requests.len()).step_by(conns).enumerate() {
                            let due = started + offset + interval * n as u32;
                            tokio::time::sleep_until(due.into()).await;
                            tally.send(&mut conn, &addr, &requests[i], due).await;
                        }
                        tally
                    })
                })
                .collect();
            let tally = Tally::gather(workers).await;
            report(
                &format!("open loop at {rate}/s over {conns} connections"),
                tally,
                started.elapsed(),
            );
        }
    }
}
