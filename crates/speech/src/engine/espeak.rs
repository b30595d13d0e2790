//! espeak-ng, the engine that is always there: Debian's program run as a subprocess (so its GPL stays
//! out of our binary), writing WAV to stdout.
//!
//! The text never touches the command line: it goes in on stdin (`--stdin`), so text starting with
//! `-` is spoken, not parsed as an option, and no shell is involved. The voice is one the program
//! itself listed (`--voices`), the speed a number. Each run has a deadline and is killed when it
//! passes (or when the request that started it goes away: `kill_on_drop`), its output is bounded, and
//! a semaphore bounds how many run at once so a burst queues instead of exhausting the machine.

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use futures::StreamExt;
use futures::future::BoxFuture;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, ChildStdout, Command};
use tokio::sync::{OnceCell, OwnedSemaphorePermit, Semaphore};

use super::{AudioStream, EngineError, EngineRequest, TtsEngine, Voice, plausible_voice_id};
use crate::format::AudioFormat;
use crate::probe::fix_wav_sizes;

/// espeak-ng's own default rate, words per minute: speed 1.0.
const NORMAL_WPM: f32 = 175.0;
/// The rates espeak-ng accepts.
const MIN_WPM: f32 = 80.0;
const MAX_WPM: f32 = 450.0;
/// No reply of 5000 characters comes near this (about twelve minutes of 22 kHz mono at the slowest
/// rate is 32 MB); a run that writes more is cut off.
const MAX_OUTPUT: usize = 64 * 1024 * 1024;
/// What is kept of the program's complaints.
const MAX_STDERR: usize = 2048;

#[derive(Clone, Debug)]
pub struct EspeakConfig {
    /// The program (`espeak-ng`, found on PATH, or a full path).
    pub program: String,
    pub default_voice: String,
    /// How long one run may take before it is killed.
    pub timeout: Duration,
    /// How many runs at once; more wait their turn.
    pub max_processes: usize,
}

pub struct Espeak {
    config: EspeakConfig,
    slots: Arc<Semaphore>,
    voices: OnceCell<Vec<Voice>>,
}

/// The program's arguments for one run. The text is not among them: it goes in on stdin.
pub fn args(voice: &str, speed: f32) -> Vec<String> {
    let wpm = (NORMAL_WPM * speed).round().clamp(MIN_WPM, MAX_WPM) as u32;
    ["-b", "1", "--stdin", "--stdout", "-v", voice, "-s", &wpm.to_string()].map(String::from).to_vec()
}

/// The voices in `espeak-ng --voices` output. MBROLA voices (`mb/…`) are left out: they need the
/// separate mbrola program and voice files, which a plain install does not have.
pub fn parse_voices(listing: &str, default_voice: &str) -> Vec<Voice> {
    let mut voices: Vec<Voice> = Vec::new();
    for line in listing.lines().skip(1) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let [_, language, age_gender, name, file, ..] = cols.as_slice() else { continue };
        if file.starts_with("mb/") || !plausible_voice_id(language) || voices.iter().any(|v| v.id == *language) {
            continue;
        }
        let gender = match age_gender.rsplit('/').next() {
            Some("M") => Some("male".to_string()),
            Some("F") => Some("female".to_string()),
            _ => None,
        };
        voices.push(Voice {
            id: language.to_string(),
            name: name.replace('_', " "),
            engine: "espeak-ng".into(),
            language: Some(language.to_string()),
            gender,
            default: language.eq_ignore_ascii_case(default_voice),
        });
    }
    voices
}

impl Espeak {
    pub fn new(config: EspeakConfig) -> Espeak {
        let slots = Arc::new(Semaphore::new(config.max_processes.max(1)));
        Espeak { config, slots, voices: OnceCell::new() }
    }

    /// The program's voice list, read once (a failed read is tried again next time).
    async fn voice_list(&self) -> &[Voice] {
        let listed = self
            .voices
            .get_or_try_init(|| async {
                let run = Command::new(&self.config.program)
                    .arg("--voices")
                    .stdin(Stdio::null())
                    .stderr(Stdio::null())
                    .kill_on_drop(true)
                    .output();
                match tokio::time::timeout(Duration::from_secs(5), run).await {
                    Ok(Ok(out)) if out.status.success() => {
                        Ok(parse_voices(&String::from_utf8_lossy(&out.stdout), &self.config.default_voice))
                    }
                    _ => Err(()),
                }
            })
            .await;
        listed.map(Vec::as_slice).unwrap_or(&[])
    }

    /// Starts a run with the text on its stdin; the permit is held for as long as the run.
    async fn start(
        &self,
        request: &EngineRequest,
        stderr: Stdio,
    ) -> Result<(Child, OwnedSemaphorePermit), EngineError> {
        if !plausible_voice_id(&request.voice) {
            return Err(EngineError::Refused(format!("not a voice: {:?}", request.voice)));
        }
        // A burst waits for a free slot no longer than a run may last; past that the request is turned
        // away (the next engine, or a 503 to try again) rather than queued without end.
        let permit = match tokio::time::timeout(self.config.timeout, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) => return Err(EngineError::down("shutting down")),
            Err(_) => return Err(EngineError::Refused("busy: every espeak-ng slot is in use".into())),
        };
        let mut child = Command::new(&self.config.program)
            .args(args(&request.voice, request.speed))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(stderr)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| EngineError::down(format!("could not run {}: {}", self.config.program, e.kind())))?;
        let mut stdin = child.stdin.take().ok_or_else(|| EngineError::down("no stdin"))?;
        let text = request.text.clone().into_bytes();
        // Written from a task of its own so a full pipe cannot stall reading the output; a run that
        // dies early makes this write fail, which the run's own status reports.
        tokio::spawn(async move {
            let _ = stdin.write_all(&text).await;
        });
        Ok((child, permit))
    }

    async fn run(&self, request: EngineRequest) -> Result<Bytes, EngineError> {
        let (mut child, _permit) = self.start(&request, Stdio::piped()).await?;
        let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
            return Err(EngineError::down("no output pipes"));
        };
        let work = async {
            let (out, err) = tokio::join!(read_capped(stdout, MAX_OUTPUT), read_capped(stderr, MAX_STDERR));
            (out, err, child.wait().await)
        };
        // On expiry the work is dropped and `child` with it, which kills the process.
        let Ok((out, err, status)) = tokio::time::timeout(self.config.timeout, work).await else {
            return Err(EngineError::Refused(format!("no audio within {} s", self.config.timeout.as_secs())));
        };
        let (mut audio, overflow) = out.map_err(|e| EngineError::down(format!("reading its output: {e}")))?;
        if overflow {
            return Err(EngineError::Refused("the audio is too long".into()));
        }
        let status = status.map_err(|e| EngineError::down(format!("waiting for it: {e}")))?;
        if !status.success() {
            let said =
                String::from_utf8_lossy(&err.map(|e| e.0).unwrap_or_default()).lines().next().map(str::to_string);
            return Err(EngineError::Refused(said.unwrap_or_else(|| format!("exited with {status}"))));
        }
        if !fix_wav_sizes(&mut audio) {
            return Err(EngineError::Refused("it wrote no WAV audio".into()));
        }
        Ok(Bytes::from(audio))
    }

    async fn run_streamed(&self, request: EngineRequest) -> Result<AudioStream, EngineError> {
        let (mut child, permit) = self.start(&request, Stdio::null()).await?;
        let stdout = child.stdout.take().ok_or_else(|| EngineError::down("no stdout"))?;
        let state = Streaming {
            child,
            stdout,
            _permit: permit,
            deadline: tokio::time::Instant::now() + self.config.timeout,
            sent: 0,
            done: false,
        };
        Ok(futures::stream::unfold(state, next_chunk).boxed())
    }
}

/// Reads to the end, keeping at most `cap` bytes (and saying whether there was more): the rest is
/// drained so the program never blocks on a full pipe.
async fn read_capped(mut from: impl AsyncRead + Unpin, cap: usize) -> std::io::Result<(Vec<u8>, bool)> {
    let mut kept = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    let mut overflow = false;
    loop {
        let n = from.read(&mut chunk).await?;
        if n == 0 {
            return Ok((kept, overflow));
        }
        let room = cap.saturating_sub(kept.len());
        kept.extend_from_slice(&chunk[..n.min(room)]);
        overflow |= n > room;
    }
}

/// A run whose output is being streamed; dropping it (client gone) kills the run.
struct Streaming {
    child: Child,
    stdout: ChildStdout,
    _permit: OwnedSemaphorePermit,
    deadline: tokio::time::Instant,
    sent: usize,
    done: bool,
}

async fn next_chunk(mut s: Streaming) -> Option<(Result<Bytes, std::io::Error>, Streaming)> {
    use std::io::{Error, ErrorKind};
    if s.done {
        return None;
    }
    let mut buf = BytesMut::with_capacity(32 * 1024);
    let read = tokio::time::timeout_at(s.deadline, s.stdout.read_buf(&mut buf)).await;
    s.done = true;
    let item = match read {
        Err(_) => Err(Error::new(ErrorKind::TimedOut, "espeak-ng ran past its deadline")),
        Ok(Err(e)) => Err(e),
        Ok(Ok(0)) => match tokio::time::timeout_at(s.deadline, s.child.wait()).await {
            Ok(Ok(status)) if status.success() => return None,
            _ => Err(Error::other("espeak-ng failed")),
        },
        Ok(Ok(n)) if s.sent + n > MAX_OUTPUT => Err(Error::other("the audio is too long")),
        Ok(Ok(n)) => {
            s.sent += n;
            s.done = false;
            Ok(buf.freeze())
        }
    };
    Some((item, s))
}

impl TtsEngine for Espeak {
    fn name(&self) -> &'static str {
        "espeak-ng"
    }

    fn formats(&self) -> &[AudioFormat] {
        &[AudioFormat::Wav]
    }

    fn billing(&self) -> Option<(String, f64)> {
        None
    }

    fn voice_for<'a>(&'a self, requested: Option<&'a str>) -> BoxFuture<'a, String> {
        Box::pin(async move {
            let voices = self.voice_list().await;
            let known = |id: &str| voices.iter().find(|v| v.id.eq_ignore_ascii_case(id)).map(|v| v.id.clone());
            requested
                .and_then(known)
                .or_else(|| known(&self.config.default_voice))
                .or_else(|| voices.iter().find(|v| v.id.starts_with("en")).map(|v| v.id.clone()))
                .unwrap_or_else(|| self.config.default_voice.clone())
        })
    }

    fn voices(&self) -> BoxFuture<'_, Vec<Voice>> {
        Box::pin(async move { self.voice_list().await.to_vec() })
    }

    fn synthesize(&self, request: EngineRequest) -> BoxFuture<'_, Result<Bytes, EngineError>> {
        Box::pin(self.run(request))
    }

    fn stream(&self, request: EngineRequest) -> BoxFuture<'_, Result<AudioStream, EngineError>> {
        Box::pin(self.run_streamed(request))
    }
}

#[cfg(test)]
mod tests;
