#!/usr/bin/env python3
"""Validate utterances.jsonl (the PAM offline language-understanding corpus).

Usage: python3 check.py [path/to/utterances.jsonl]
Prints counts per intent / split / negative and exits 1 on any problem.
"""
import datetime
import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

REFERENCE_DAY = datetime.date(2026, 11, 25)  # "now" = Wed 2026-11-25 10:00 Australia/Sydney

CATEGORIES = {"fuel", "campground", "groceries", "dining", "maintenance", "repairs", "insurance", "registration",
              "utilities", "internet", "phone", "entertainment", "shopping", "health", "transport", "other"}

WRITES = ["create_expense", "record_income", "update_budget", "plan_trip", "add_fuel_entry",
          "create_calendar_event", "set_timer_or_alarm", "create_post"]
READS = ["get_spending_summary", "compare_vs_budget", "predict_end_of_month", "calculate_gas_cost",
         "estimate_travel_time", "get_maintenance_schedule", "get_calendar_events", "get_weather_forecast",
         "find_savings_opportunities"]
CONVERSATION = ["greeting", "help", "none"]
INTENTS = WRITES + READS + CONVERSATION

# Allowed slots per intent.
SLOTS = {
    "create_expense": {"amount", "currency", "category", "date", "location"},
    "record_income": {"amount", "currency", "income_type", "date"},
    "update_budget": {"category", "amount", "period"},
    "plan_trip": {"origin", "destination", "stops", "date", "budget"},
    "add_fuel_entry": {"volume", "volume_unit", "price_per_unit", "total", "odometer", "date"},
    "create_calendar_event": {"title", "date", "time"},
    "set_timer_or_alarm": {"duration_seconds", "time", "date", "label"},
    "create_post": {"content"},
    "get_spending_summary": {"period", "days", "category"},
    "compare_vs_budget": {"category"},
    "predict_end_of_month": set(),
    "calculate_gas_cost": {"distance", "distance_unit", "origin", "destination", "consumption", "consumption_unit",
                           "price_per_unit"},
    "estimate_travel_time": {"origin", "destination"},
    "get_maintenance_schedule": set(),
    "get_calendar_events": {"period", "date"},
    "get_weather_forecast": {"location", "date"},
    "find_savings_opportunities": set(),
    "greeting": set(),
    "help": set(),
    "none": set(),
}

PERIODS = {
    "update_budget": {"month", "week", "year"},
    "get_spending_summary": {"today", "this_week", "last_week", "this_month", "last_month", "this_year"},
    "get_calendar_events": {"today", "tomorrow", "this_week", "next_week", "this_month"},
}
ENUMS = {
    "category": CATEGORIES,
    "income_type": {"salary", "pension", "investment", "side_hustle", "other"},
    "volume_unit": {"L", "gal"},
    "distance_unit": {"km", "mi"},
    "consumption_unit": {"L/100km", "mpg"},
}
NUMBERS = {"amount", "budget", "volume", "price_per_unit", "total", "odometer", "distance", "consumption"}
INTEGERS = {"duration_seconds", "days"}
STRINGS = {"title", "label", "content", "location", "origin", "destination"}
# Slots whose value must appear in the text (case-insensitive).
QUOTED = {"location", "origin", "destination", "content", "label"}
# Dates of things already done must not be in the future; dates of things to come must not be in the past.
PAST_DATED = {"create_expense", "record_income", "add_fuel_entry"}
FUTURE_DATED = {"plan_trip", "create_calendar_event", "set_timer_or_alarm", "get_weather_forecast"}

MIN_PER_INTENT = 30
MIN_NEGATIVES = 200
MIN_HELDOUT = 0.25
KEYS = {"text", "intent", "slots", "split", "negative"}


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def check_slot(intent, name, value, text):
    """Problems with one slot, as strings."""
    problems = []
    if name in NUMBERS:
        if not is_number(value) or value <= 0:
            problems.append(f"{name} must be a positive number, got {value!r}")
    elif name in INTEGERS:
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            problems.append(f"{name} must be a positive integer, got {value!r}")
    elif name in ENUMS:
        if value not in ENUMS[name]:
            problems.append(f"{name} {value!r} not one of {sorted(ENUMS[name])}")
    elif name == "period":
        if value not in PERIODS.get(intent, set()):
            problems.append(f"period {value!r} not allowed for {intent} ({sorted(PERIODS.get(intent, set()))})")
    elif name == "currency":
        if not (isinstance(value, str) and re.fullmatch(r"[A-Z]{3}", value)):
            problems.append(f"currency must be an ISO 4217 code, got {value!r}")
    elif name == "date":
        try:
            day = datetime.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
        except ValueError:
            day = None
        if day is None:
            problems.append(f"date must be YYYY-MM-DD, got {value!r}")
        elif intent in PAST_DATED and day > REFERENCE_DAY:
            problems.append(f"date {value} is after the reference day for a past {intent}")
        elif intent in FUTURE_DATED and day < REFERENCE_DAY:
            problems.append(f"date {value} is before the reference day for {intent}")
    elif name == "time":
        if not (isinstance(value, str) and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value)):
            problems.append(f"time must be HH:MM (24h), got {value!r}")
    elif name == "stops":
        if not (isinstance(value, list) and value and all(isinstance(s, str) and s.strip() for s in value)):
            problems.append(f"stops must be a non-empty list of strings, got {value!r}")
        else:
            for stop in value:
                if stop.lower() not in text.lower():
                    problems.append(f"stop {stop!r} does not appear in the text")
    elif name in STRINGS:
        if not (isinstance(value, str) and value.strip() and value == value.strip()):
            problems.append(f"{name} must be a non-empty trimmed string, got {value!r}")
    else:
        problems.append(f"no rule for slot {name!r}")
    if name in QUOTED and isinstance(value, str) and value.lower() not in text.lower():
        problems.append(f"{name} {value!r} does not appear in the text")
    return problems


def main():
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("utterances.jsonl")
    problems = []
    rows = []
    seen = {}
    with path.open(encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            where = f"line {number}"
            if not line.strip():
                problems.append(f"{where}: empty line")
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                problems.append(f"{where}: not JSON ({e})")
                continue
            if not isinstance(row, dict):
                problems.append(f"{where}: not a JSON object")
                continue
            if set(row) != KEYS:
                problems.append(f"{where}: keys {sorted(row)} != {sorted(KEYS)}")
                continue
            text, intent, slots, split, negative = (row[k] for k in ("text", "intent", "slots", "split", "negative"))
            if not isinstance(text, str) or not text.strip():
                problems.append(f"{where}: empty text")
                continue
            key = " ".join(text.lower().split())
            if key in seen:
                problems.append(f"{where}: duplicate of line {seen[key]}: {text!r}")
            seen[key] = number
            if intent not in INTENTS:
                problems.append(f"{where}: unknown intent {intent!r}")
                continue
            if split not in ("train", "heldout"):
                problems.append(f"{where}: split must be train|heldout, got {split!r}")
            if not isinstance(negative, bool):
                problems.append(f"{where}: negative must be true|false, got {negative!r}")
            elif negative and intent in WRITES:
                problems.append(f"{where}: a negative cannot carry the write intent {intent}")
            if not isinstance(slots, dict):
                problems.append(f"{where}: slots must be an object")
                continue
            for name, value in slots.items():
                if name not in SLOTS[intent]:
                    problems.append(f"{where}: slot {name!r} not allowed for {intent}")
                    continue
                problems.extend(f"{where}: {p}" for p in check_slot(intent, name, value, text))
            if "period" in slots and "days" in slots:
                problems.append(f"{where}: period and days are exclusive")
            if ("consumption" in slots) != ("consumption_unit" in slots):
                problems.append(f"{where}: consumption and consumption_unit go together")
            if "distance" in slots and "distance_unit" not in slots:
                problems.append(f"{where}: distance without distance_unit")
            if "volume" in slots and "volume_unit" not in slots:
                problems.append(f"{where}: volume without volume_unit")
            if intent == "set_timer_or_alarm" and ("duration_seconds" in slots) == ("time" in slots):
                problems.append(f"{where}: a timer has duration_seconds, an alarm has time (exactly one)")
            rows.append(row)

    # Counts.
    by_intent = Counter((r["intent"], r["negative"], r["split"]) for r in rows)
    print(f"{'intent':28} {'train':>6} {'heldout':>8} {'total':>6} {'held%':>6}   {'neg train':>9} {'neg held':>8}")
    for intent in INTENTS:
        tr, ho = by_intent[(intent, False, "train")], by_intent[(intent, False, "heldout")]
        ntr, nho = by_intent[(intent, True, "train")], by_intent[(intent, True, "heldout")]
        total = tr + ho
        pct = 100 * ho / total if total else 0
        print(f"{intent:28} {tr:6} {ho:8} {total:6} {pct:5.1f}%   {ntr:9} {nho:8}")
        if total < MIN_PER_INTENT:
            problems.append(f"{intent}: only {total} non-negative utterances (< {MIN_PER_INTENT})")
        if total and ho / total < MIN_HELDOUT:
            problems.append(f"{intent}: held-out share {ho}/{total} < {MIN_HELDOUT:.0%}")
        if ntr + nho and nho / (ntr + nho) < MIN_HELDOUT and ntr + nho >= 4:
            problems.append(f"{intent} negatives: held-out share {nho}/{ntr + nho} < {MIN_HELDOUT:.0%}")
    negatives = [r for r in rows if r["negative"]]
    neg_held = sum(r["split"] == "heldout" for r in negatives)
    positives = len(rows) - len(negatives)
    print(f"{'-' * 80}")
    print(f"total {len(rows)}: non-negative {positives}, negative {len(negatives)} "
          f"(train {len(negatives) - neg_held}, heldout {neg_held})")
    print(f"split: train {sum(r['split'] == 'train' for r in rows)}, heldout {sum(r['split'] == 'heldout' for r in rows)}")
    if len(negatives) < MIN_NEGATIVES:
        problems.append(f"only {len(negatives)} negatives (< {MIN_NEGATIVES})")
    if negatives and neg_held / len(negatives) < MIN_HELDOUT:
        problems.append(f"negatives: held-out share {neg_held}/{len(negatives)} < {MIN_HELDOUT:.0%}")

    if problems:
        print(f"\n{len(problems)} problem(s):", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
