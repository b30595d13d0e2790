//! These run the real program (installed by `scripts/lib.sh`; `/usr/bin/espeak-ng` here).

use std::io::Cursor;
use std::time::{Duration, Instant};

use futures::StreamExt;

use super::*;

fn espeak() -> Espeak {
    Espeak::new(EspeakConfig {
        program: "espeak-ng".into(),
        default_voice: "en-gb".into(),
        timeout: Duration::from_secs(20),
        max_processes: 2,
    })
}

fn request(text: &str, voice: &str) -> EngineRequest {
    EngineRequest { text: text.into(), voice: voice.into(), format: AudioFormat::Wav, speed: 1.0 }
}

/// Seconds of audio, read back by hound.
fn seconds(wav: &[u8]) -> f64 {
    let reader = hound::WavReader::new(Cursor::new(wav)).expect("hound reads the WAV");
    f64::from(reader.duration()) / f64::from(reader.spec().sample_rate)
}

#[tokio::test]
async fn hello_is_a_wav_of_plausible_length() {
    let wav = espeak().synthesize(request("hello", "en-gb")).await.unwrap();
    assert_eq!(&wav[..4], b"RIFF");
    assert_eq!(&wav[8..12], b"WAVE");
    assert_eq!(AudioFormat::sniff(&wav), Some(AudioFormat::Wav));
    let s = seconds(&wav);
    assert!((0.2..3.0).contains(&s), "one word lasts {s} s");
}

#[tokio::test]
async fn text_starting_with_a_dash_is_spoken_not_parsed() {
    let e = espeak();
    // As arguments these would pick a voice and print the help text instead of audio.
    let wav = e.synthesize(request("-v xx --help -w /tmp/owned.wav", "en-gb")).await.unwrap();
    assert!(seconds(&wav) > 1.0, "several words were spoken: {} s", seconds(&wav));
    assert!(!std::path::Path::new("/tmp/owned.wav").exists(), "no option was obeyed");
}

#[test]
fn the_text_is_never_an_argument() {
    let a = args("en-gb", 1.0);
    assert_eq!(a, ["-b", "1", "--stdin", "--stdout", "-v", "en-gb", "-s", "175"]);
    assert_eq!(args("en-gb", 100.0)[7], "450", "speed is clamped to what the program accepts");
    assert_eq!(args("en-gb", 0.01)[7], "80");
}

#[tokio::test]
async fn a_voice_that_looks_like_an_option_is_refused() {
    for voice in ["--help", "-w/tmp/x", "en gb", ""] {
        let e = espeak().synthesize(request("hi", voice)).await.unwrap_err();
        assert!(matches!(e, EngineError::Refused(_)), "{voice:?}: {e}");
    }
}

#[tokio::test]
async fn voices_come_from_the_program_and_unknown_ones_fall_back_to_the_default() {
    let e = espeak();
    let voices = e.voices().await;
    assert!(voices.len() > 50, "{} voices", voices.len());
    assert!(voices.iter().all(|v| v.engine == "espeak-ng" && plausible_voice_id(&v.id)));
    assert!(voices.iter().any(|v| v.id == "en-gb" && v.default));
    assert_eq!(e.voice_for(Some("EN-US")).await, "en-us");
    assert_eq!(e.voice_for(Some("alloy")).await, "en-gb");
    assert_eq!(e.voice_for(None).await, "en-gb");
}

#[test]
fn the_listing_is_parsed_without_mbrola_voices() {
    let listing = "Pty Language       Age/Gender VoiceName          File                 Other Languages\n \
                   5  af              --/M      Afrikaans          gmw/af\n \
                   2  en-gb           --/M      English_(Great_Britain) gmw/en               (en 2)\n \
                   5  en-us           --/F      us-mbrola-1        mb/mb-us1            (en 8)\n \
                   2  en-us           --/M      English_(America)  gmw/en-US            (en 3)\n \
                   garbage\n";
    let voices = parse_voices(listing, "en-us");
    let ids: Vec<&str> = voices.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["af", "en-gb", "en-us"]);
    assert_eq!(voices[1].name, "English (Great Britain)");
    assert_eq!(voices[2].gender.as_deref(), Some("male"));
    assert!(voices[2].default && !voices[0].default);
}

#[tokio::test]
async fn a_run_past_its_deadline_is_killed() {
    let e = Espeak::new(EspeakConfig { timeout: Duration::from_millis(30), ..espeak().config });
    let long = "a fairly long sentence about driving to Broome. ".repeat(100);
    let started = Instant::now();
    let err = e.synthesize(request(&long, "en-gb")).await.unwrap_err();
    assert!(matches!(err, EngineError::Refused(_)), "{err}");
    assert!(started.elapsed() < Duration::from_secs(2), "returned at the deadline");
}

#[tokio::test]
async fn a_missing_program_is_down() {
    let e = Espeak::new(EspeakConfig { program: "/nonexistent/espeak-ng".into(), ..espeak().config });
    let err = e.synthesize(request("hi", "en-gb")).await.unwrap_err();
    assert!(matches!(err, EngineError::Down { .. }), "{err}");
    assert!(e.voices().await.is_empty());
}

#[tokio::test]
async fn streaming_yields_the_same_audio_in_chunks() {
    let e = espeak();
    let text = "Your fuel spending this month is three hundred dollars, under budget.";
    let whole = e.synthesize(request(text, "en-gb")).await.unwrap();
    let mut stream = e.stream(request(text, "en-gb")).await.unwrap();
    let mut streamed = Vec::new();
    while let Some(chunk) = stream.next().await {
        streamed.extend_from_slice(&chunk.unwrap());
    }
    assert_eq!(&streamed[..4], b"RIFF");
    assert_eq!(streamed.len(), whole.len(), "the same samples, only the header sizes differ");
    assert_eq!(streamed[44..], whole[44..]);
}
