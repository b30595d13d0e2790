-- Knowledge, medical and shop (SPEC §4 "Knowledge, medical, shop"). Kept in step with
-- ../postgres/0011_knowledge_medical_shop.sql (a test compares their tables, columns, unique indexes and
-- foreign keys). The full-text index is the one thing each engine does its own way: an FTS5 table kept
-- in step by triggers here, a weighted tsvector expression index there (see pam_store's docs on
-- dialect-split queries).

-- Admin-curated travel knowledge: tips, rules, seasonal advice. Not user rows: an admin's account going
-- away leaves the articles (created_by is cleared).
CREATE TABLE knowledge_articles (
    id               BLOB PRIMARY KEY,
    title            TEXT NOT NULL,
    content          TEXT NOT NULL,
    knowledge_type   TEXT NOT NULL,      -- tip | rule | seasonal | safety | general
    category         TEXT NOT NULL,      -- lower case ("water", "camping")
    location_context TEXT,               -- the place the advice is about, as the admin named it
    latitude         REAL,               -- that place, resolved when the article is written
    longitude        REAL,
    tags             TEXT NOT NULL,      -- JSON array of lower-case tags
    priority         INTEGER NOT NULL,   -- 1..10, higher first among equally relevant articles
    created_by       BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX knowledge_articles_category ON knowledge_articles (category, knowledge_type);

-- The search index: title, body and tags stemmed (porter), accents folded. A separate table keyed by the
-- article's id (not an external-content table: those follow the rowid, which VACUUM may renumber on a
-- table whose key is not an INTEGER PRIMARY KEY). The triggers keep it in step inside the writing
-- statement's own transaction.
CREATE VIRTUAL TABLE knowledge_articles_fts USING fts5 (
    article_id UNINDEXED,
    title,
    content,
    tags,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER knowledge_articles_fts_insert AFTER INSERT ON knowledge_articles BEGIN
    INSERT INTO knowledge_articles_fts (article_id, title, content, tags)
    VALUES (new.id, new.title, new.content, new.tags);
END;

CREATE TRIGGER knowledge_articles_fts_update AFTER UPDATE OF title, content, tags ON knowledge_articles BEGIN
    DELETE FROM knowledge_articles_fts WHERE article_id = old.id;
    INSERT INTO knowledge_articles_fts (article_id, title, content, tags)
    VALUES (new.id, new.title, new.content, new.tags);
END;

CREATE TRIGGER knowledge_articles_fts_delete AFTER DELETE ON knowledge_articles BEGIN
    DELETE FROM knowledge_articles_fts WHERE article_id = old.id;
END;

-- Medical records the user keeps for themselves (prescriptions, results, notes). Never logged; shown to
-- PAM's model only when the user's privacy settings allow it (privacy_settings.share_medical_with_pam).
CREATE TABLE medical_records (
    id           BLOB PRIMARY KEY,
    user_id      BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    record_type  TEXT NOT NULL,          -- prescription | lab_result | doctor_note | vaccination | insurance | imaging | other
    title        TEXT NOT NULL,
    summary      TEXT,
    record_date  TEXT,
    doctor_name  TEXT,
    facility     TEXT,
    tags         TEXT NOT NULL,          -- JSON array
    document_url TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX medical_records_user_date ON medical_records (user_id, record_date);

CREATE TABLE medical_medications (
    id            BLOB PRIMARY KEY,
    user_id       BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    dosage        TEXT,                  -- as written on the label ("500 mg")
    frequency     TEXT,                  -- "twice daily"
    prescribed_by TEXT,
    start_date    TEXT,
    refill_date   TEXT,
    active        BOOLEAN NOT NULL,
    notes         TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX medical_medications_user_active ON medical_medications (user_id, active);

-- One card per user: what a stranger helping in an emergency needs to know.
CREATE TABLE medical_emergency_info (
    user_id            BLOB PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    blood_type         TEXT,
    allergies          TEXT NOT NULL,    -- JSON array of text
    medical_conditions TEXT NOT NULL,    -- JSON array of text
    emergency_contacts TEXT NOT NULL,    -- JSON array of {name, relationship?, phone}
    primary_doctor     TEXT,             -- JSON {name, phone?, practice?}
    insurance          TEXT,             -- JSON {provider, policy_number?, phone?}
    notes              TEXT,
    updated_at         TEXT NOT NULL
);

-- Whether PAM's model may see the user's medical data (off until the user turns it on).
ALTER TABLE privacy_settings ADD COLUMN share_medical_with_pam INTEGER NOT NULL DEFAULT 0;

-- The admin-managed shop catalogue. vehicle_types / fuel_types say what a product is made for (empty:
-- any); recommendations leave out products made for another kind of vehicle or fuel.
CREATE TABLE products (
    id            BLOB PRIMARY KEY,
    name          TEXT NOT NULL,
    description   TEXT,
    category      TEXT NOT NULL,         -- lower case
    price_cents   BIGINT NOT NULL,
    currency      TEXT NOT NULL,
    image_url     TEXT,
    product_url   TEXT,
    tags          TEXT NOT NULL,         -- JSON array of lower-case tags
    vehicle_types TEXT NOT NULL,         -- JSON array of wheels vehicle types
    fuel_types    TEXT NOT NULL,         -- JSON array of wheels fuel types
    active        BOOLEAN NOT NULL,      -- inactive products stay for the record but are not offered
    created_by    BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX products_category ON products (category, active);
