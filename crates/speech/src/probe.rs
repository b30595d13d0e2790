//! Reading what audio bytes hold without decoding them: how long they play, and making a WAV's header
//! honest. Every read is bounds-checked: these bytes come from uploads and outside engines.

use std::io::Cursor;

use crate::format::{AudioFormat, mp3_frame_at};

fn u16_le(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at.checked_add(2)?)?.try_into().ok()?))
}

fn u32_le(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at.checked_add(4)?)?.try_into().ok()?))
}

fn u64_le(b: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(b.get(at..at.checked_add(8)?)?.try_into().ok()?))
}

/// A WAV written to a pipe (espeak-ng's `--stdout`, a streaming server) cannot rewind to fill in its
/// sizes, so its RIFF and `data` sizes are placeholders (0x7FFFF024, 0xFFFFFFFF…) that decoders read as
/// "longer than the file". Sets both to what the bytes hold (the data cut to whole sample frames).
/// False when the bytes are not a WAV with a `data` chunk.
pub fn fix_wav_sizes(bytes: &mut Vec<u8>) -> bool {
    if AudioFormat::sniff(bytes) != Some(AudioFormat::Wav) {
        return false;
    }
    let mut block_align = 1usize;
    let mut at = 12usize;
    while let (Some(id), Some(size)) = (bytes.get(at..at + 4), u32_le(bytes, at + 4)) {
        if id == b"fmt " {
            block_align = u16_le(bytes, at + 20).map_or(1, |b| usize::from(b).max(1));
        }
        if id == b"data" {
            let start = at + 8;
            let Some(available) = bytes.len().checked_sub(start) else { return false };
            let whole = available - available % block_align;
            bytes.truncate(start + whole);
            let (Ok(data), Ok(riff)) = (u32::try_from(whole), u32::try_from(bytes.len() - 8)) else { return false };
            bytes[at + 4..at + 8].copy_from_slice(&data.to_le_bytes());
            bytes[4..8].copy_from_slice(&riff.to_le_bytes());
            return true;
        }
        let next = (size as usize).checked_add(size as usize & 1).and_then(|s| s.checked_add(at + 8));
        match next {
            Some(n) if n > at && n <= bytes.len() => at = n,
            _ => return false,
        }
    }
    false
}

/// A WAV around raw 16-bit little-endian PCM (what ElevenLabs' `pcm_*` output formats are).
pub fn wav_from_pcm16(pcm: &[u8], sample_rate: u32, channels: u16) -> Vec<u8> {
    let data = &pcm[..pcm.len() - pcm.len() % (2 * usize::from(channels.max(1)))];
    let block_align = 2 * channels;
    let mut out = Vec::with_capacity(44 + data.len());
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&channels.to_le_bytes());
    out.extend_from_slice(&sample_rate.to_le_bytes());
    out.extend_from_slice(&(sample_rate * u32::from(block_align)).to_le_bytes());
    out.extend_from_slice(&block_align.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    out
}

/// How long the audio plays, in seconds, when its format says so without decoding: WAV (hound reads
/// the header), MP3 (its frames counted), Ogg Opus/Vorbis (the last page's granule position), FLAC
/// (STREAMINFO). WebM from a browser's recorder carries no duration, so `None`.
pub fn duration_seconds(bytes: &[u8], format: AudioFormat) -> Option<f64> {
    let seconds = match format {
        AudioFormat::Wav => {
            let reader = hound::WavReader::new(Cursor::new(bytes)).ok()?;
            let rate = reader.spec().sample_rate;
            (rate > 0).then(|| f64::from(reader.duration()) / f64::from(rate))
        }
        AudioFormat::Mp3 => mp3_duration(bytes),
        AudioFormat::Ogg => ogg_duration(bytes),
        AudioFormat::Flac => flac_duration(bytes),
        AudioFormat::Webm => None,
    }?;
    (seconds.is_finite() && seconds >= 0.0).then_some(seconds)
}

fn mp3_duration(bytes: &[u8]) -> Option<f64> {
    let mut at = 0usize;
    // An ID3v2 tag first: its size is four 7-bit bytes, plus a footer when flagged.
    if bytes.starts_with(b"ID3") {
        let size = bytes.get(6..10)?.iter().fold(0usize, |acc, b| (acc << 7) | usize::from(b & 0x7F));
        let footer = if bytes.get(5)? & 0x10 != 0 { 10 } else { 0 };
        at = 10 + size + footer;
    }
    let (mut samples, mut rate, mut frames) = (0u64, 0u32, 0u32);
    let mut junk = 0usize;
    while at < bytes.len() {
        match mp3_frame_at(bytes, at) {
            Some((length, frame_samples, frame_rate)) => {
                samples += u64::from(frame_samples);
                rate = frame_rate;
                frames += 1;
                at += length;
                junk = 0;
            }
            // A stray byte between frames (or a trailing tag): look for the next sync, within reason.
            None if junk < 4096 => {
                at += 1;
                junk += 1;
            }
            None => break,
        }
    }
    (frames > 0 && rate > 0).then(|| samples as f64 / f64::from(rate))
}

fn ogg_duration(bytes: &[u8]) -> Option<f64> {
    let (mut at, mut first_packet, mut last_granule) = (0usize, None, None);
    while bytes.get(at..at + 4) == Some(b"OggS") {
        let granule = u64_le(bytes, at + 6)?;
        let segments = usize::from(*bytes.get(at + 26)?);
        let table = bytes.get(at + 27..at + 27 + segments)?;
        let body = at + 27 + segments;
        let length: usize = table.iter().map(|s| usize::from(*s)).sum();
        if first_packet.is_none() {
            first_packet = bytes.get(body..body + length);
        }
        // -1 marks a page on which no packet ends.
        if granule != u64::MAX {
            last_granule = Some(granule);
        }
        at = body + length;
    }
    let head = first_packet?;
    let (rate, pre_skip) = if head.starts_with(b"OpusHead") {
        (48_000u32, u64::from(u16_le(head, 10)?))
    } else if head.starts_with(b"\x01vorbis") {
        (u32_le(head, 12)?, 0)
    } else {
        return None;
    };
    (rate > 0).then(|| last_granule.unwrap_or(0).saturating_sub(pre_skip) as f64 / f64::from(rate))
}

fn flac_duration(bytes: &[u8]) -> Option<f64> {
    // "fLaC", then the STREAMINFO block (type 0): 10 bytes of block and frame sizes, then 64 bits of
    // sample rate (20), channels (3), bits per sample (5) and total samples (36).
    if !bytes.starts_with(b"fLaC") || bytes.get(4)? & 0x7F != 0 {
        return None;
    }
    let packed = u64::from_be_bytes(bytes.get(18..26)?.try_into().ok()?);
    let rate = (packed >> 44) as u32;
    let total = packed & ((1 << 36) - 1);
    (rate > 0 && total > 0).then(|| total as f64 / f64::from(rate))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One second of 16-bit mono silence at 8 kHz, with the sizes a pipe leaves behind.
    fn piped_wav() -> Vec<u8> {
        let mut wav = wav_from_pcm16(&vec![0u8; 16_000], 8_000, 1);
        wav[4..8].copy_from_slice(&0x7FFF_F024u32.to_le_bytes());
        wav[40..44].copy_from_slice(&0x7FFF_F000u32.to_le_bytes());
        wav
    }

    #[test]
    fn placeholder_sizes_are_replaced_by_the_real_ones() {
        let mut wav = piped_wav();
        assert!(fix_wav_sizes(&mut wav));
        assert_eq!(u32_le(&wav, 4), Some(16_036));
        assert_eq!(u32_le(&wav, 40), Some(16_000));
        assert_eq!(duration_seconds(&wav, AudioFormat::Wav), Some(1.0));
        // An odd trailing byte is not half a sample.
        let mut odd = piped_wav();
        odd.push(7);
        assert!(fix_wav_sizes(&mut odd));
        assert_eq!(odd.len(), 16_044);
        assert!(!fix_wav_sizes(&mut b"not a wav".to_vec()));
        assert!(!fix_wav_sizes(&mut b"RIFF\x04\x00\x00\x00WAVEjunk\xff\xff\xff\xff".to_vec()), "a chunk past the end");
    }

    #[test]
    fn pcm_is_wrapped_in_a_header_hound_reads() {
        let wav = wav_from_pcm16(&vec![0u8; 44_100], 22_050, 1);
        let reader = hound::WavReader::new(Cursor::new(&wav)).unwrap();
        assert_eq!(reader.spec().sample_rate, 22_050);
        assert_eq!(reader.duration(), 22_050);
    }

    #[test]
    fn mp3_duration_counts_its_frames_after_an_id3_tag() {
        let mut mp3 = b"ID3\x04\x00\x00\x00\x00\x00\x05hello".to_vec();
        for _ in 0..100 {
            mp3.extend_from_slice(&[0xFF, 0xFB, 0x90, 0x64]);
            mp3.extend_from_slice(&[0u8; 413]);
        }
        let seconds = duration_seconds(&mp3, AudioFormat::Mp3).unwrap();
        assert!((seconds - 100.0 * 1152.0 / 44_100.0).abs() < 1e-9, "{seconds}");
    }

    fn ogg_page(granule: u64, packet: &[u8]) -> Vec<u8> {
        let mut page = b"OggS\x00\x02".to_vec();
        page.extend_from_slice(&granule.to_le_bytes());
        page.extend_from_slice(&[0u8; 12]);
        page.push(1);
        page.push(packet.len() as u8);
        page.extend_from_slice(packet);
        page
    }

    #[test]
    fn ogg_duration_is_the_last_granule_less_the_pre_skip() {
        let mut head = b"OpusHead\x01\x01".to_vec();
        head.extend_from_slice(&312u16.to_le_bytes());
        head.extend_from_slice(&48_000u32.to_le_bytes());
        let mut ogg = ogg_page(0, &head);
        ogg.extend(ogg_page(u64::MAX, b"OpusTags"));
        ogg.extend(ogg_page(96_312, &[0u8; 40]));
        assert_eq!(duration_seconds(&ogg, AudioFormat::Ogg), Some(2.0));
    }

    #[test]
    fn flac_duration_comes_from_streaminfo() {
        let mut flac = b"fLaC\x80\x00\x00\x22".to_vec();
        flac.extend_from_slice(&[0u8; 10]);
        // 16 kHz, mono (channels - 1 = 0), 16 bits (bits - 1 = 15), 48,000 samples.
        let packed: u64 = (16_000u64 << 44) | (15 << 36) | 48_000;
        flac.extend_from_slice(&packed.to_be_bytes());
        flac.extend_from_slice(&[0u8; 16]);
        assert_eq!(duration_seconds(&flac, AudioFormat::Flac), Some(3.0));
    }

    proptest::proptest! {
        /// Uploaded bytes of any shape: probing and fixing never panic.
        #[test]
        fn probing_any_bytes_never_panics(tail in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
                                          prefix in 0usize..5) {
            let magic: [&[u8]; 5] = [b"RIFF\x00\x00\x00\x00WAVE", b"OggS", b"fLaC", b"ID3", &[0xFF, 0xFB, 0x90, 0x64]];
            let mut bytes = magic[prefix].to_vec();
            bytes.extend_from_slice(&tail);
            for format in [AudioFormat::Wav, AudioFormat::Mp3, AudioFormat::Ogg, AudioFormat::Flac, AudioFormat::Webm] {
                let _ = duration_seconds(&bytes, format);
            }
            let _ = fix_wav_sizes(&mut bytes);
        }
    }
}
