-- The following feed kept per viewer (fan-out on write): a row for every post the viewer would find in
-- `GET /api/v1/social/posts?filter=following` — a published, public or followers-only post of someone
-- the viewer follows. Read as one index range (newest first), where computing it on read walked the
-- global feed and probed the viewer's follows post by post (see bench/RESULTS.md).
--
-- The rows are derived, never written by the application: the triggers below keep them equal to that
-- definition whatever changes a post (insert, publish, a visibility change, delete) or a follow (follow,
-- unfollow, a block, which ends follows both ways, an account deleted), so no write path can forget
-- them. Blocks need no rows of their own: nobody follows across a block (crates/social/src/blocks.rs).
--
-- Races: a follow (or unfollow) and a publish by the same author, at once, each read the other's table.
-- Both lock the author's `users` row first — a publish FOR SHARE, a follow change FOR NO KEY UPDATE, so
-- publishes never wait for each other and ordinary writes' key-share locks never wait at all — and each
-- statement after the lock sees what the other committed.

CREATE TABLE feed_entries (
    viewer_id     UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    author_id     UUID NOT NULL,
    post_id       UUID NOT NULL REFERENCES social_posts (id) ON DELETE CASCADE,
    published_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (viewer_id, author_id, post_id)
);
-- A viewer's page, newest first; and the rows of one post (a visibility change, a delete).
CREATE INDEX feed_entries_page ON feed_entries (viewer_id, published_at, post_id);
CREATE INDEX feed_entries_post ON feed_entries (post_id);

CREATE FUNCTION feed_entries_for_post() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM users WHERE id = NEW.user_id FOR SHARE;
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM feed_entries WHERE post_id = OLD.id;
    END IF;
    IF NEW.status = 'published' AND NEW.visibility IN ('public', 'followers') AND NEW.published_at IS NOT NULL THEN
        INSERT INTO feed_entries (viewer_id, author_id, post_id, published_at)
        SELECT f.user_id, NEW.user_id, NEW.id, NEW.published_at FROM user_follows f WHERE f.followed_id = NEW.user_id
        ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER social_posts_feed_insert AFTER INSERT ON social_posts
    FOR EACH ROW WHEN (NEW.status = 'published') EXECUTE FUNCTION feed_entries_for_post();
CREATE TRIGGER social_posts_feed_update AFTER UPDATE ON social_posts
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.visibility IS DISTINCT FROM NEW.visibility
        OR OLD.published_at IS DISTINCT FROM NEW.published_at OR OLD.user_id IS DISTINCT FROM NEW.user_id)
    EXECUTE FUNCTION feed_entries_for_post();

CREATE FUNCTION feed_entries_for_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM users WHERE id = NEW.followed_id FOR NO KEY UPDATE;
        INSERT INTO feed_entries (viewer_id, author_id, post_id, published_at)
        SELECT NEW.user_id, p.user_id, p.id, p.published_at FROM social_posts p
        WHERE p.user_id = NEW.followed_id AND p.status = 'published' AND p.visibility IN ('public', 'followers')
          AND p.published_at IS NOT NULL
        ON CONFLICT DO NOTHING;
    ELSE
        PERFORM 1 FROM users WHERE id = OLD.followed_id FOR NO KEY UPDATE;
        DELETE FROM feed_entries WHERE viewer_id = OLD.user_id AND author_id = OLD.followed_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER user_follows_feed AFTER INSERT OR DELETE ON user_follows
    FOR EACH ROW EXECUTE FUNCTION feed_entries_for_follow();

-- What was there before this migration.
INSERT INTO feed_entries (viewer_id, author_id, post_id, published_at)
SELECT f.user_id, p.user_id, p.id, p.published_at FROM user_follows f JOIN social_posts p ON p.user_id = f.followed_id
WHERE p.status = 'published' AND p.visibility IN ('public', 'followers') AND p.published_at IS NOT NULL;
