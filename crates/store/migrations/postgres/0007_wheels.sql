-- Wheels: travel. Distances are stored in km, volumes in litres, consumption in L/100 km and money in
-- integer cents; each is shown in the user's units and currency. Route details are JSON text.

-- One primary vehicle per user: the partial unique index turns a second one into a conflict, which the
-- service resolves by moving the flag inside one transaction.
CREATE TABLE vehicles (
    id                    UUID PRIMARY KEY,
    user_id               UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name                  TEXT NOT NULL,
    make                  TEXT,
    model                 TEXT,
    year                  INTEGER,
    vehicle_type          TEXT NOT NULL,   -- motorhome | caravan_tow | campervan | fifth_wheel | truck | car | other
    fuel_type             TEXT NOT NULL,   -- diesel | petrol | lpg | electric | other
    length_m              DOUBLE PRECISION,
    height_m              DOUBLE PRECISION,
    weight_kg             DOUBLE PRECISION,
    consumption_l_per_100km DOUBLE PRECISION,          -- stated by the user
    learned_l_per_100km   DOUBLE PRECISION,            -- from full fills
    is_primary            BOOLEAN NOT NULL,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX vehicles_user ON vehicles (user_id);
CREATE UNIQUE INDEX vehicles_one_primary ON vehicles (user_id) WHERE is_primary;

CREATE TABLE fuel_log (
    id                  UUID PRIMARY KEY,
    user_id             UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    vehicle_id          UUID REFERENCES vehicles (id) ON DELETE SET NULL,
    fill_date           DATE NOT NULL,
    odometer_km         DOUBLE PRECISION,
    volume_litres       DOUBLE PRECISION NOT NULL CHECK (volume_litres > 0),
    price_per_litre_milli BIGINT NOT NULL CHECK (price_per_litre_milli > 0),  -- thousandths of the currency unit
    total_cents         BIGINT NOT NULL CHECK (total_cents > 0),
    currency            TEXT NOT NULL,
    filled_to_top       BOOLEAN NOT NULL,
    station             TEXT,
    notes               TEXT,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX fuel_log_user_date ON fuel_log (user_id, fill_date);

CREATE TABLE maintenance_records (
    id                 UUID PRIMARY KEY,
    user_id            UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    vehicle_id         UUID REFERENCES vehicles (id) ON DELETE SET NULL,
    task               TEXT NOT NULL,
    service_date       DATE NOT NULL,
    odometer_km        DOUBLE PRECISION,
    cost_cents         BIGINT,
    currency           TEXT NOT NULL,
    notes              TEXT,
    next_due_date      DATE,
    next_due_km        DOUBLE PRECISION,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX maintenance_user_date ON maintenance_records (user_id, service_date);

CREATE TABLE user_trips (
    id                 UUID PRIMARY KEY,
    user_id            UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title              TEXT NOT NULL,
    origin             TEXT NOT NULL,
    destination        TEXT NOT NULL,
    stops              JSONB NOT NULL,    -- JSON array of names, in order
    start_date         DATE,
    end_date           DATE,
    status             TEXT NOT NULL,     -- planning | active | completed | cancelled
    budget_cents       BIGINT,
    currency           TEXT NOT NULL,
    privacy            TEXT NOT NULL,     -- private | friends | public
    route              JSONB,             -- JSON: waypoints, legs, source
    distance_km        DOUBLE PRECISION,
    duration_minutes   DOUBLE PRECISION,
    fuel_litres        DOUBLE PRECISION,
    fuel_cost_cents    BIGINT,
    created_at         TIMESTAMPTZ NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL
);
CREATE INDEX user_trips_user_created ON user_trips (user_id, created_at);

CREATE TABLE favorite_locations (
    id          UUID PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    place_type  TEXT NOT NULL,     -- campground | town | attraction | fuel | dump_point | other
    latitude    DOUBLE PRECISION NOT NULL,
    longitude   DOUBLE PRECISION NOT NULL,
    address     TEXT,
    notes       TEXT,
    rating      INTEGER,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX favorite_locations_user ON favorite_locations (user_id);

-- Campgrounds the admins keep (not a user's rows: no user_id).
CREATE TABLE campgrounds (
    id             UUID PRIMARY KEY,
    name           TEXT NOT NULL,
    latitude       DOUBLE PRECISION NOT NULL,
    longitude      DOUBLE PRECISION NOT NULL,
    price_cents    BIGINT,
    currency       TEXT NOT NULL,
    amenities      JSONB NOT NULL,    -- JSON array
    description    TEXT,
    website        TEXT,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX campgrounds_position ON campgrounds (latitude, longitude);
