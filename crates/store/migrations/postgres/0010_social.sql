-- Social (SPEC §4): posts with their comments and likes, follows, blocks, direct messages, groups,
-- community events and shared locations. Every row a user made carries `user_id` (the author, follower,
-- blocker, sender, creator, host or sharer) with ON DELETE CASCADE, so deleting an account removes what
-- it made; rows hanging off another user's post, group or event go with that parent too.
--
-- Counts (likes, comments, members, attendees) are never stored: they are counted from the rows, so
-- they stay exact under concurrency and after accounts are deleted. The composite primary keys make a
-- second like, follow, block, membership or attendance by the same user a no-op instead of a second row.

CREATE TABLE social_posts (
    id            UUID PRIMARY KEY,
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title         TEXT,
    content       TEXT NOT NULL,
    image_url     TEXT,
    location      TEXT,
    tags          JSONB NOT NULL,     -- JSON array of lower-case tags
    visibility    TEXT NOT NULL,      -- public | followers | private
    status        TEXT NOT NULL,      -- draft | published
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    published_at  TIMESTAMPTZ        -- set once, when the author publishes
);
-- The feed (published posts newest first), and one author's posts (the following feed, own drafts).
CREATE INDEX social_posts_feed ON social_posts (status, published_at);
CREATE INDEX social_posts_user ON social_posts (user_id, status, published_at);

CREATE TABLE post_comments (
    id          UUID PRIMARY KEY,
    post_id     UUID NOT NULL REFERENCES social_posts (id) ON DELETE CASCADE,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    content     TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX post_comments_post ON post_comments (post_id, created_at);
CREATE INDEX post_comments_user ON post_comments (user_id);

CREATE TABLE post_likes (
    post_id     UUID NOT NULL REFERENCES social_posts (id) ON DELETE CASCADE,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (post_id, user_id)
);
CREATE INDEX post_likes_user ON post_likes (user_id);

-- `user_id` follows `followed_id`; two rows, one each way, make two people friends.
CREATE TABLE user_follows (
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    followed_id  UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, followed_id),
    CHECK (user_id <> followed_id)
);
CREATE INDEX user_follows_followed ON user_follows (followed_id);

-- `user_id` blocks `blocked_user_id`. A row either way keeps the two apart: no messages, no follows, and
-- neither sees the other's posts, card or position. Only the blocker's own rows are ever shown or
-- exported (who blocked you is never told). Either account going removes the row.
CREATE TABLE social_blocks (
    user_id          UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    blocked_user_id  UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, blocked_user_id),
    CHECK (user_id <> blocked_user_id)
);
-- "Has anyone blocked me?": the other half of every either-way test.
CREATE INDEX social_blocks_blocked ON social_blocks (blocked_user_id, user_id);

-- `user_id` is the sender (shown as sender_id); the message belongs to both, so it goes with either account.
CREATE TABLE direct_messages (
    id            UUID PRIMARY KEY,
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recipient_id  UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message       TEXT NOT NULL,
    read          BOOLEAN NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX direct_messages_sender ON direct_messages (user_id, created_at);
CREATE INDEX direct_messages_recipient ON direct_messages (recipient_id, created_at);

-- `user_id` is the group's creator, who is also its first member.
CREATE TABLE social_groups (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    description  TEXT,
    group_type   TEXT,
    location     TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX social_groups_user ON social_groups (user_id);

CREATE TABLE group_members (
    group_id   UUID NOT NULL REFERENCES social_groups (id) ON DELETE CASCADE,
    user_id    UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    joined_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user ON group_members (user_id);

-- `user_id` is the host, who is also the first attendee (max_attendees counts the host).
CREATE TABLE community_events (
    id             UUID PRIMARY KEY,
    user_id        UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    description    TEXT NOT NULL,
    event_date     TIMESTAMPTZ NOT NULL, -- instant (UTC)
    location       TEXT NOT NULL,
    latitude       DOUBLE PRECISION,
    longitude      DOUBLE PRECISION,
    max_attendees  BIGINT CHECK (max_attendees > 0),
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL -- also touched to serialise attendance (see attend)
);
CREATE INDEX community_events_date ON community_events (event_date);
CREATE INDEX community_events_user ON community_events (user_id);

CREATE TABLE event_attendees (
    event_id    UUID NOT NULL REFERENCES community_events (id) ON DELETE CASCADE,
    user_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX event_attendees_user ON event_attendees (user_id);

-- Where a user is (or a spot they share) until `expires_at`; expired rows are never read and are
-- swept by the cleanup job. Others only ever see these rounded, through /social/nearby.
CREATE TABLE shared_locations (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    latitude     DOUBLE PRECISION NOT NULL,
    longitude    DOUBLE PRECISION NOT NULL,
    description  TEXT,
    is_public    BOOLEAN NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX shared_locations_user ON shared_locations (user_id, expires_at);
CREATE INDEX shared_locations_current ON shared_locations (expires_at, latitude);
