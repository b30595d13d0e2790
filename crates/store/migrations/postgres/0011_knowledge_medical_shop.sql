-- Knowledge, medical and shop (SPEC §4 "Knowledge, medical, shop"). Kept in step with
-- ../sqlite/0011_knowledge_medical_shop.sql (a test compares their tables, columns, unique indexes and
-- foreign keys). The full-text index is the one thing each engine does its own way: a weighted tsvector
-- expression index here, an FTS5 table kept in step by triggers there (see pam_store's docs on
-- dialect-split queries).

-- Admin-curated travel knowledge: tips, rules, seasonal advice. Not user rows: an admin's account going
-- away leaves the articles (created_by is cleared).
CREATE TABLE knowledge_articles (
    id               UUID PRIMARY KEY,
    title            TEXT NOT NULL,
    content          TEXT NOT NULL,
    knowledge_type   TEXT NOT NULL,      -- tip | rule | seasonal | safety | general
    category         TEXT NOT NULL,      -- lower case ("water", "camping")
    location_context TEXT,               -- the place the advice is about, as the admin named it
    latitude         DOUBLE PRECISION,   -- that place, resolved when the article is written
    longitude        DOUBLE PRECISION,
    tags             JSONB NOT NULL,     -- JSON array of lower-case tags
    priority         INTEGER NOT NULL,   -- 1..10, higher first among equally relevant articles
    created_by       UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    updated_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX knowledge_articles_category ON knowledge_articles (category, knowledge_type);

-- The search index: title (weight A), tags (B) and body (C), stemmed with the English configuration.
-- An expression index rather than a generated column, so both engines have the same columns; the
-- search query repeats this expression exactly (pam_knowledge::search) so the planner uses the index.
CREATE INDEX knowledge_articles_search ON knowledge_articles USING GIN ((
    setweight(to_tsvector('english'::regconfig, title), 'A') ||
    setweight(to_tsvector('english'::regconfig, tags), 'B') ||
    setweight(to_tsvector('english'::regconfig, content), 'C')
));

-- Medical records the user keeps for themselves (prescriptions, results, notes). Never logged; shown to
-- PAM's model only when the user's privacy settings allow it (privacy_settings.share_medical_with_pam).
CREATE TABLE medical_records (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    record_type  TEXT NOT NULL,          -- prescription | lab_result | doctor_note | vaccination | insurance | imaging | other
    title        TEXT NOT NULL,
    summary      TEXT,
    record_date  DATE,
    doctor_name  TEXT,
    facility     TEXT,
    tags         JSONB NOT NULL,         -- JSON array
    document_url TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX medical_records_user_date ON medical_records (user_id, record_date);

CREATE TABLE medical_medications (
    id            UUID PRIMARY KEY,
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    dosage        TEXT,                  -- as written on the label ("500 mg")
    frequency     TEXT,                  -- "twice daily"
    prescribed_by TEXT,
    start_date    DATE,
    refill_date   DATE,
    active        BOOLEAN NOT NULL,
    notes         TEXT,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX medical_medications_user_active ON medical_medications (user_id, active);

-- One card per user: what a stranger helping in an emergency needs to know.
CREATE TABLE medical_emergency_info (
    user_id            UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    blood_type         TEXT,
    allergies          JSONB NOT NULL,   -- JSON array of text
    medical_conditions JSONB NOT NULL,   -- JSON array of text
    emergency_contacts JSONB NOT NULL,   -- JSON array of {name, relationship?, phone}
    primary_doctor     JSONB,            -- JSON {name, phone?, practice?}
    insurance          JSONB,            -- JSON {provider, policy_number?, phone?}
    notes              TEXT,
    updated_at         TIMESTAMPTZ NOT NULL
);

-- Whether PAM's model may see the user's medical data (off until the user turns it on).
ALTER TABLE privacy_settings ADD COLUMN share_medical_with_pam BOOLEAN NOT NULL DEFAULT FALSE;

-- The admin-managed shop catalogue. vehicle_types / fuel_types say what a product is made for (empty:
-- any); recommendations leave out products made for another kind of vehicle or fuel.
CREATE TABLE products (
    id            UUID PRIMARY KEY,
    name          TEXT NOT NULL,
    description   TEXT,
    category      TEXT NOT NULL,         -- lower case
    price_cents   BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    image_url     TEXT,
    product_url   TEXT,
    tags          JSONB NOT NULL,        -- JSON array of lower-case tags
    vehicle_types JSONB NOT NULL,        -- JSON array of wheels vehicle types
    fuel_types    JSONB NOT NULL,        -- JSON array of wheels fuel types
    active        BOOLEAN NOT NULL,      -- inactive products stay for the record but are not offered
    created_by    UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX products_category ON products (category, active);
