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
-- Races: a follow (or unfollow) and a publish or delete by the same author, at once, each read the other's
-- table. Both lock the author's `users` row — a post change FOR SHARE, a follow change FOR NO KEY UPDATE,
-- so publishes never wait for each other and ordinary writes' key-share locks never wait at all — and each
-- statement after the lock sees what the other committed. The follow routes take that lock before they
-- touch a follow row (crates/social/src/follows.rs, blocks.rs), so a follow change waiting for it holds
-- nothing an account deletion's cascade needs. The table has no foreign keys for the same reason: a
-- fan-out would otherwise key-share-lock every follower's `users` row, and wait on rows being deleted;
-- its rows go with the follow or the post they come from, by the triggers.

CREATE TABLE feed_entries (
    viewer_id     UUID NOT NULL,
    author_id     UUID NOT NULL,
    post_id       UUID NOT NULL,
    published_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (viewer_id, author_id, post_id)
);
-- A viewer's page, newest first; and the rows of one post (a visibility change, a delete).
CREATE INDEX feed_entries_page ON feed_entries (viewer_id, published_at, post_id);
CREATE INDEX feed_entries_post ON feed_entries (post_id);

CREATE FUNCTION feed_entries_for_post() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM 1 FROM users WHERE id = OLD.user_id FOR SHARE;
        DELETE FROM feed_entries WHERE post_id = OLD.id;
        RETURN NULL;
    END IF;
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
-- Only when whether (or when) the post is in its author's followers' timelines changes: an edit of the
-- text, or public ↔ followers, leaves the rows as they are.
CREATE TRIGGER social_posts_feed_update AFTER UPDATE ON social_posts
    FOR EACH ROW WHEN ((OLD.status = 'published' AND OLD.visibility IN ('public', 'followers'))
            IS DISTINCT FROM (NEW.status = 'published' AND NEW.visibility IN ('public', 'followers'))
        OR OLD.published_at IS DISTINCT FROM NEW.published_at OR OLD.user_id IS DISTINCT FROM NEW.user_id)
    EXECUTE FUNCTION feed_entries_for_post();
CREATE TRIGGER social_posts_feed_delete AFTER DELETE ON social_posts
    FOR EACH ROW EXECUTE FUNCTION feed_entries_for_post();

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

-- What was there before this migration (a follow that crosses a block, which the application never
-- leaves, is not taken in).
INSERT INTO feed_entries (viewer_id, author_id, post_id, published_at)
SELECT f.user_id, p.user_id, p.id, p.published_at FROM user_follows f JOIN social_posts p ON p.user_id = f.followed_id
WHERE p.status = 'published' AND p.visibility IN ('public', 'followers') AND p.published_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM social_blocks b WHERE (b.user_id = f.user_id AND b.blocked_user_id = f.followed_id)
      OR (b.user_id = f.followed_id AND b.blocked_user_id = f.user_id));
