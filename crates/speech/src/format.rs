//! Audio formats, and recognising them by their bytes. A file's name and declared type are the client's
//! word; the magic bytes at its start are the file's own, so uploads are judged by those alone, and an
//! engine's answer is checked the same way before it is passed on as the format asked for.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Every format the service reads or writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AudioFormat {
    Wav,
    Mp3,
    Ogg,
    Webm,
    Flac,
}

/// What speech can be produced as (SPEC §6: `format wav|mp3|ogg`); the request's enum, so an unknown
/// value is a 422 at `["body", "format"]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    #[default]
    Wav,
    Mp3,
    Ogg,
}

impl From<OutputFormat> for AudioFormat {
    fn from(f: OutputFormat) -> AudioFormat {
        match f {
            OutputFormat::Wav => AudioFormat::Wav,
            OutputFormat::Mp3 => AudioFormat::Mp3,
            OutputFormat::Ogg => AudioFormat::Ogg,
        }
    }
}

impl AudioFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            AudioFormat::Wav => "wav",
            AudioFormat::Mp3 => "mp3",
            AudioFormat::Ogg => "ogg",
            AudioFormat::Webm => "webm",
            AudioFormat::Flac => "flac",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            AudioFormat::Wav => "audio/wav",
            AudioFormat::Mp3 => "audio/mpeg",
            AudioFormat::Ogg => "audio/ogg",
            AudioFormat::Webm => "audio/webm",
            AudioFormat::Flac => "audio/flac",
        }
    }

    /// Recognises audio by its first bytes; `None` for anything else (text, images, a truncated header).
    pub fn sniff(bytes: &[u8]) -> Option<AudioFormat> {
        let starts = |magic: &[u8]| bytes.starts_with(magic);
        if starts(b"RIFF") && bytes.get(8..12) == Some(b"WAVE") {
            Some(AudioFormat::Wav)
        } else if starts(b"OggS") {
            Some(AudioFormat::Ogg)
        } else if starts(b"fLaC") {
            Some(AudioFormat::Flac)
        } else if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
            // EBML is also Matroska video and more: only the `webm` document type is WebM.
            is_webm(bytes).then_some(AudioFormat::Webm)
        } else if is_id3_tag(bytes) || mp3_frame_at(bytes, 0).is_some() {
            // An ID3 tag, or a bare stream starting on an MPEG audio frame header.
            Some(AudioFormat::Mp3)
        } else {
            None
        }
    }
}

/// Looks for the `DocType` element (id 0x4282) holding "webm" in the EBML header.
/// An ID3v2 header: "ID3", a major version 2–4, and a size of four 7-bit bytes (so a text that
/// merely begins with "ID3" is not taken for one).
fn is_id3_tag(bytes: &[u8]) -> bool {
    bytes.len() >= 10
        && bytes.starts_with(b"ID3")
        && (2..=4).contains(&bytes[3])
        && bytes[4] != 0xFF
        && bytes[6..10].iter().all(|b| *b < 0x80)
}

fn is_webm(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64)];
    head.windows(2).enumerate().any(|(i, w)| {
        w == [0x42, 0x82]
            && head.get(i + 2).is_some_and(|size| size & 0x80 != 0)
            && head.get(i + 3..).is_some_and(|rest| rest.starts_with(b"webm"))
    })
}

/// An MPEG audio layer III frame header at `at`: its length in bytes and its samples per channel.
/// The sync word alone (eleven set bits) also starts AAC (ADTS) and random data, so the version,
/// layer, bit rate and sample rate fields must all be valid values for layer III.
pub(crate) fn mp3_frame_at(bytes: &[u8], at: usize) -> Option<(usize, u32, u32)> {
    let h = bytes.get(at..at.checked_add(4)?)?;
    if h[0] != 0xFF || h[1] & 0xE0 != 0xE0 {
        return None;
    }
    let version = (h[1] >> 3) & 0b11; // 0 = 2.5, 2 = 2, 3 = 1; 1 is reserved
    let layer = (h[1] >> 1) & 0b11; // 1 = layer III
    let bitrate_index = (h[2] >> 4) as usize;
    let rate_index = ((h[2] >> 2) & 0b11) as usize;
    let padding = ((h[2] >> 1) & 1) as usize;
    if version == 1 || layer != 1 || bitrate_index == 0 || bitrate_index == 15 || rate_index == 3 {
        return None;
    }
    const V1: [u32; 15] = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
    const V2: [u32; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
    let (kbps, base_rate, samples) = match version {
        3 => (V1[bitrate_index], [44_100, 48_000, 32_000][rate_index], 1152u32),
        2 => (V2[bitrate_index], [22_050, 24_000, 16_000][rate_index], 576),
        _ => (V2[bitrate_index], [11_025, 12_000, 8_000][rate_index], 576),
    };
    let length = (samples as usize / 8) * kbps as usize * 1000 / base_rate as usize + padding;
    (length >= 4).then_some((length, samples, base_rate))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav_header() -> Vec<u8> {
        let mut v = b"RIFF\x24\x00\x00\x00WAVEfmt ".to_vec();
        v.extend_from_slice(&[0; 32]);
        v
    }

    #[test]
    fn each_format_is_known_by_its_magic_bytes() {
        let mut webm = vec![0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84];
        webm.extend_from_slice(b"webm\x42\x87\x81\x04");
        let mp3_frame = [0xFF, 0xFB, 0x90, 0x64, 0, 0, 0, 0];
        let cases: &[(&[u8], Option<AudioFormat>)] = &[
            (&wav_header(), Some(AudioFormat::Wav)),
            (b"OggS\x00\x02\x00\x00", Some(AudioFormat::Ogg)),
            (b"fLaC\x00\x00\x00\x22", Some(AudioFormat::Flac)),
            (&webm, Some(AudioFormat::Webm)),
            (b"ID3\x04\x00\x00\x00\x00\x00\x21", Some(AudioFormat::Mp3)),
            (&mp3_frame, Some(AudioFormat::Mp3)),
        ];
        for (bytes, want) in cases {
            assert_eq!(AudioFormat::sniff(bytes), *want, "{:?}", &bytes[..4]);
        }
    }

    #[test]
    fn things_that_are_not_audio_are_not_recognised() {
        let mut matroska = vec![0x1A, 0x45, 0xDF, 0xA3, 0x9F, 0x42, 0x82, 0x88];
        matroska.extend_from_slice(b"matroska");
        let cases: &[(&str, &[u8])] = &[
            ("a text file renamed .wav", b"hello, this is not a recording\n"),
            ("empty", b""),
            ("RIFF that is not WAVE (AVI)", b"RIFF\x00\x00\x00\x00AVI LIST"),
            ("a truncated RIFF", b"RIFF\x00\x00"),
            ("PNG", b"\x89PNG\r\n\x1a\n\x00\x00"),
            ("JSON", b"{\"text\": \"hi\"}"),
            ("AAC ADTS (layer bits 00)", &[0xFF, 0xF1, 0x50, 0x80, 0, 0]),
            ("MP3 sync with a bad bit rate", &[0xFF, 0xFB, 0xF0, 0x64]),
            ("MP3 sync with a reserved version", &[0xFF, 0xEB, 0x90, 0x64]),
            ("Matroska, not WebM", &matroska),
            ("ID3 cut short", b"ID3"),
            ("text that begins with ID3", b"ID3 tags hold a song's title and artist"),
        ];
        for (what, bytes) in cases {
            assert_eq!(AudioFormat::sniff(bytes), None, "{what}");
        }
    }

    #[test]
    fn an_mp3_frame_header_gives_its_length_and_samples() {
        // MPEG-1 layer III, 128 kb/s, 44.1 kHz, no padding: 417 bytes, 1152 samples.
        assert_eq!(mp3_frame_at(&[0xFF, 0xFB, 0x90, 0x64], 0), Some((417, 1152, 44_100)));
        // MPEG-2 layer III, 64 kb/s, 22.05 kHz.
        assert_eq!(mp3_frame_at(&[0xFF, 0xF3, 0x80, 0xC4], 0), Some((208, 576, 22_050)));
        assert_eq!(mp3_frame_at(&[0xFF, 0xFB], 0), None, "too short");
        assert_eq!(mp3_frame_at(&[0xFF, 0xFB, 0x90, 0x64], usize::MAX), None, "no overflow");
    }

    proptest::proptest! {
        /// Whatever bytes arrive, sniffing answers without panicking.
        #[test]
        fn sniffing_any_bytes_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..80)) {
            let _ = AudioFormat::sniff(&bytes);
        }
    }
}
