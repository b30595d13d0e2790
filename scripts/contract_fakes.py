#!/usr/bin/env python3
"""Local stand-ins for the outside services scripts/contract points the server at, so the routes that
need one reach their happy paths: each speaks its real service's wire format, as the server's clients
read it (crates/geo/src/providers/weather.rs and fuel.rs, crates/speech/src/stt.rs) and as the API tests'
fakes answer (crates/server/tests/api/wheels_tools.rs, speech/listen.rs).

- Open-Meteo, `GET /v1/forecast?latitude=&longitude=&daily=…&timezone=auto&forecast_days=N`: N days from
  today at the point asked about (its time zone taken from its longitude), every daily variable asked for;
  out-of-range arguments are 400 `{"error": true, "reason": …}`, as Open-Meteo answers them.
- Tankerkönig, `GET /json/list.php?lat=&lng=&rad=&sort=dist&type=all&apikey=`: three stations within the
  radius of the point asked about, nearest first (one sells no diesel, one has no E10 price); a wrong key or
  argument is `{"ok": false, "message": …}` with status 200, as Tankerkönig answers it. (The real service
  covers Germany only; this one answers anywhere, so the answer always has stations to check.)
- OpenAI transcription, `POST /v1/audio/transcriptions` (multipart `model`, `file`, `response_format`,
  `language`), with `Authorization: Bearer <key>`: a fixed sentence as `json` (`{"text"}`) or `verbose_json`
  (with the language, the WAV's duration and one segment); a missing key is 401 and a missing part or a WAV
  that does not parse is 400, each `{"error": {"message", "type", "param", "code"}}` as OpenAI answers them.

Standard library only. Each service listens on a port of its own that the system picks; once all are
listening, their base URLs are written to the file given, one `NAME=URL` line each (WEATHER_BASE_URL,
FUEL_PRICES_BASE_URL, STT_BASE_URL), and the process serves until it is stopped or the process that
started it (`--parent`, by default the one it was started by) ends.

    python3 scripts/contract_fakes.py --urls FILE --fuel-key KEY --stt-key KEY [--parent PID]
"""

import argparse
import datetime
import email.parser
import email.policy
import io
import json
import math
import os
import signal
import sys
import threading
import time
import urllib.parse
import uuid
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# What the transcription service "hears": a question PAM answers with a tool (the weather one, which
# asks the Open-Meteo fake in turn), so a voice conversation runs a whole turn.
HEARD = "What's the weather like in Broome this week?"

# Whisper reports the language by name.
LANGUAGES = {"en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian", "nl": "dutch"}

# Open-Meteo's daily variables, as the server asks for them, with their units (`daily_units`).
DAILY_UNITS = {
    "weather_code": "wmo code",
    "temperature_2m_max": "°C",
    "temperature_2m_min": "°C",
    "precipitation_sum": "mm",
    "precipitation_probability_max": "%",
    "wind_speed_10m_max": "km/h",
}


class Fake(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "contract-fake"

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass

    def answer(self, status, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def query(self):
        return {k: v[-1] for k, v in urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).items()}

    def route(self):
        return urllib.parse.urlsplit(self.path).path

    def not_found(self):
        self.answer(404, {"error": f"no such path: {self.route()}"})


def number(text):
    """A finite float from query text, or None."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


class OpenMeteo(Fake):
    def do_GET(self):
        if self.route() != "/v1/forecast":
            return self.not_found()
        q = self.query()
        lat, lon = number(q.get("latitude")), number(q.get("longitude"))
        if lat is None or not -90 <= lat <= 90:
            return self.refuse(f"Latitude must be in range of -90 to 90°. Given: {q.get('latitude')}.")
        if lon is None or not -180 <= lon <= 180:
            return self.refuse(f"Longitude must be in range of -180 to 180°. Given: {q.get('longitude')}.")
        try:
            days = int(q.get("forecast_days", "7"))
        except ValueError:
            return self.refuse(f"Parameter 'forecast_days' is not an integer: {q.get('forecast_days')}")
        if not 0 <= days <= 16:
            return self.refuse(f"Forecast days is invalid. Allowed range 0 to 16. Given {days}.")
        variables = [v for v in q.get("daily", "").split(",") if v]
        unknown = [v for v in variables if v not in DAILY_UNITS]
        if unknown:
            return self.refuse(f"Cannot initialize WeatherVariable from invalid String value {unknown[0]}")
        # `timezone=auto`: the point's own zone; here the whole hours its longitude is from Greenwich.
        offset = round(lon / 15) if q.get("timezone") == "auto" else 0
        zone = "GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"
        today = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=offset)).date()
        dates = [today + datetime.timedelta(days=d) for d in range(days)]
        # Weather that changes day to day and with the place, the same for the same question.
        seed = int(abs(lat) * 10 + abs(lon) * 10)
        codes = [0, 1, 2, 3, 45, 61, 63, 80, 95]
        series = {
            "weather_code": [codes[(seed + d) % len(codes)] for d in range(days)],
            "temperature_2m_max": [round(30 - abs(lat) / 3 + (seed + d) % 5, 1) for d in range(days)],
            "temperature_2m_min": [round(18 - abs(lat) / 3 + (seed + d) % 4, 1) for d in range(days)],
            "precipitation_sum": [round(((seed + 3 * d) % 7) * 1.3, 1) for d in range(days)],
            "precipitation_probability_max": [(seed + 17 * d) % 101 for d in range(days)],
            "wind_speed_10m_max": [float(8 + (seed + 5 * d) % 30) for d in range(days)],
        }
        daily = {"time": [d.isoformat() for d in dates]}
        daily.update({v: series[v] for v in variables})
        self.answer(
            200,
            {
                # Open-Meteo answers with the grid cell's position, near the point asked about.
                "latitude": round(lat, 2),
                "longitude": round(lon, 2),
                "generationtime_ms": 0.05,
                "utc_offset_seconds": offset * 3600,
                "timezone": zone,
                "timezone_abbreviation": "GMT" if offset == 0 else f"GMT{offset:+d}",
                "elevation": 12.0,
                "daily_units": {"time": "iso8601", **{v: DAILY_UNITS[v] for v in variables}},
                "daily": daily,
            },
        )

    def refuse(self, reason):
        self.answer(400, {"error": True, "reason": reason})


def distance_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


class Tankerkoenig(Fake):
    key = ""

    def do_GET(self):
        if self.route() != "/json/list.php":
            return self.not_found()
        q = self.query()
        if q.get("apikey") != self.key:
            return self.refuse("apikey nicht angegeben, falsch, oder im falschen Format")
        lat, lng, rad = number(q.get("lat")), number(q.get("lng")), number(q.get("rad"))
        if lat is None or lng is None or not -90 <= lat <= 90 or not -180 <= lng <= 180:
            return self.refuse("parameter error")
        if rad is None or not 0 < rad <= 25:
            return self.refuse("Radius must be between 1 and 25 km")
        if q.get("sort", "dist") not in ("dist", "price") or q.get("type", "all") not in ("all", "diesel", "e5", "e10"):
            return self.refuse("parameter error")
        # Three stations at fractions of the radius, north-east, south and west of the point.
        stations = []
        for n, (name, brand, share, bearing, prices) in enumerate(
            [
                ("Aral Tankstelle", "ARAL", 0.1, 45, {"diesel": 1.689, "e5": 1.799, "e10": 1.739}),
                ("TOTAL Autohof", "TOTAL", 0.35, 180, {"diesel": 1.659, "e5": 1.789, "e10": None}),
                ("Autogas Nord", "", 0.7, 270, {"diesel": False, "e5": 1.759, "e10": 1.699}),
            ]
        ):
            km = rad * share
            s_lat = max(-90.0, min(90.0, lat + km / 111.2 * math.cos(math.radians(bearing))))
            s_lng = lng + km / (111.2 * max(0.01, math.cos(math.radians(s_lat)))) * math.sin(math.radians(bearing))
            s_lng = (s_lng + 180) % 360 - 180
            stations.append(
                {
                    "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"tankerkoenig:{lat:.4f},{lng:.4f}:{n}")),
                    "name": name,
                    "brand": brand,
                    "street": "Hauptstraße",
                    "houseNumber": str(10 + n),
                    "postCode": 10115 + n,
                    "place": "Musterstadt",
                    "lat": round(s_lat, 6),
                    "lng": round(s_lng, 6),
                    "dist": round(distance_km(lat, lng, s_lat, s_lng), 1),
                    **prices,
                    "isOpen": n != 1,
                }
            )
        stations.sort(key=lambda s: s["dist"])
        self.answer(
            200,
            {
                "ok": True,
                "license": "CC BY 4.0 -  https://creativecommons.tankerkoenig.de",
                "data": "MTS-K",
                "status": "ok",
                "stations": stations,
            },
        )

    def refuse(self, message):
        self.answer(200, {"ok": False, "status": "error", "message": message})


class Transcription(Fake):
    key = ""

    def do_POST(self):
        if self.route() != "/v1/audio/transcriptions":
            return self.not_found()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.headers.get("Authorization") != f"Bearer {self.key}":
            return self.refuse(
                401, "You didn't provide an API key, or it is not the one expected (Authorization: Bearer KEY).", None
            )
        content_type = self.headers.get("Content-Type", "")
        if not content_type.startswith("multipart/form-data"):
            return self.refuse(400, "Expected a multipart/form-data body.", None)
        form = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body
        )
        parts = {}
        for part in form.iter_parts() if form.is_multipart() else []:
            name = part.get_param("name", header="content-disposition")
            if name and name not in parts:
                parts[name] = (part.get_filename(), part.get_payload(decode=True) or b"")
        if "model" not in parts:
            return self.refuse(400, "you must provide a model parameter", "model")
        if "file" not in parts or parts["file"][0] is None:
            return self.refuse(400, "you must provide a file parameter", "file")
        audio = parts["file"][1]
        duration = None
        if audio[:4] == b"RIFF" and audio[8:12] == b"WAVE":
            try:
                with wave.open(io.BytesIO(audio)) as w:
                    duration = w.getnframes() / w.getframerate()
            except (wave.Error, EOFError, ZeroDivisionError):
                return self.refuse(400, "Audio file might be corrupted or unsupported", "file")
        if duration is None:
            duration = round(len(audio) / 16000, 2)  # other formats: as if 128 kb/s
        language = parts.get("language", (None, b""))[1].decode("utf-8", "replace").strip()
        response_format = parts.get("response_format", (None, b"json"))[1].decode("utf-8", "replace").strip()
        if response_format == "text":
            return self.answer(200, HEARD.encode() + b"\n", "text/plain; charset=utf-8")
        if response_format == "json":
            return self.answer(200, {"text": HEARD})
        if response_format != "verbose_json":
            return self.refuse(400, f"Unsupported response_format: {response_format}", "response_format")
        self.answer(
            200,
            {
                "task": "transcribe",
                "language": LANGUAGES.get(language, language or "english"),
                "duration": round(duration, 2),
                "text": HEARD,
                "segments": [
                    {
                        "id": 0,
                        "seek": 0,
                        "start": 0.0,
                        "end": round(duration, 2),
                        "text": " " + HEARD,
                        "tokens": [50364, 708, 311, 264, 5503, 51014],
                        "temperature": 0.0,
                        "avg_logprob": -0.25,
                        "compression_ratio": 0.9,
                        "no_speech_prob": 0.01,
                    }
                ],
            },
        )

    def refuse(self, status, message, param):
        self.answer(status, {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": None}})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", required=True, help="file to write NAME=URL lines to once listening")
    parser.add_argument("--fuel-key", required=True, help="the Tankerkönig key the server is given")
    parser.add_argument("--stt-key", required=True, help="the transcription key the server is given")
    parser.add_argument("--parent", type=int, help="stop once this process (the starter) has gone")
    args = parser.parse_args()
    Tankerkoenig.key = args.fuel_key
    Transcription.key = args.stt_key

    servers = {
        "WEATHER_BASE_URL": ThreadingHTTPServer(("127.0.0.1", 0), OpenMeteo),
        "FUEL_PRICES_BASE_URL": ThreadingHTTPServer(("127.0.0.1", 0), Tankerkoenig),
        "STT_BASE_URL": ThreadingHTTPServer(("127.0.0.1", 0), Transcription),
    }
    for server in servers.values():
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    lines = "".join(f"{name}=http://127.0.0.1:{s.server_address[1]}\n" for name, s in servers.items())
    # Written whole under another name, then renamed: a reader never sees half of it.
    with open(args.urls + ".tmp", "w", encoding="utf-8") as f:
        f.write(lines)
    os.replace(args.urls + ".tmp", args.urls)

    # Until stopped (TERM is a normal end: status 0), or until the process that started this one has gone
    # (a trap that never ran): this one is then someone else's child.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    parent = args.parent or os.getppid()
    while os.getppid() == parent:
        time.sleep(0.5)
    sys.exit(0)


if __name__ == "__main__":
    main()
