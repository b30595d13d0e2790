-- The following feed kept per viewer (fan-out on write): a row for every post the viewer would find in
-- `GET /api/v1/social/posts?filter=following` — a published, public or followers-only post of someone
-- the viewer follows. Read as one index range (newest first), where computing it on read walked the
-- global feed and probed the viewer's follows post by post (see bench/RESULTS.md).
--
-- The rows are derived, never written by the application: the triggers below keep them equal to that
-- definition whatever changes a post (insert, publish, a visibility change, delete) or a follow (follow,
-- unfollow, a block, which ends follows both ways, an account deleted), so no write path can forget
-- them. Blocks need no rows of their own: nobody follows across a block (crates/social/src/blocks.rs).
-- SQLite runs one writer at a time, so a follow and a publish at once cannot miss each other here. The
-- table has no foreign keys (as on Postgres, where they would lock every follower's `users` row): its
-- rows go with the follow or the post they come from, by the triggers.

CREATE TABLE feed_entries (
    viewer_id     BLOB NOT NULL,
    author_id     BLOB NOT NULL,
    post_id       BLOB NOT NULL,
    published_at  TEXT NOT NULL,
    PRIMARY KEY (viewer_id, author_id, post_id)
);
-- A viewer's page, newest first; and the rows of one post (a visibility change, a delete).
CREATE INDEX feed_entries_page ON feed_entries (viewer_id, published_at, post_id);
CREATE INDEX feed_entries_post ON feed_entries (post_id);

CREATE TRIGGER social_posts_feed_insert AFTER INSERT ON social_posts
    WHEN NEW.status = 'published' AND NEW.visibility IN ('public', 'followers') AND NEW.published_at IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO feed_entries (viewer_id, author_id, post_id, published_at)
    SELECT f.user_id, NEW.user_id, NEW.id, NEW.published_at FROM user_follows f WHERE f.followed_id = NEW.user_id;
END;

-- Only when whether (or when) the post is in its author's followers' timelines changes: an edit of the
-- text, or public ↔ followers, leaves the rows as they are.
CREATE TRIGGER social_posts_feed_update AFTER UPDATE ON social_posts
    WHEN (OLD.status = 'published' AND OLD.visibility IN ('public', 'followers'))
            IS NOT (NEW.status = 'published' AND NEW.visibility IN ('public', 'followers'))
        OR OLD.published_at IS NOT NEW.published_at OR OLD.user_id IS NOT NEW.user_id
BEGIN
    DELETE FROM feed_entries WHERE post_id = OLD.id;
    INSERT OR IGNORE INTO feed_entries (viewer_id, author_id, post_id, published_at)
    SELECT f.user_id, NEW.user_id, NEW.id, NEW.published_at FROM user_follows f
    WHERE f.followed_id = NEW.user_id AND NEW.status = 'published' AND NEW.visibility IN ('public', 'followers')
      AND NEW.published_at IS NOT NULL;
END;

CREATE TRIGGER social_posts_feed_delete AFTER DELETE ON social_posts
BEGIN
    DELETE FROM feed_entries WHERE post_id = OLD.id;
END;

CREATE TRIGGER user_follows_feed_insert AFTER INSERT ON user_follows
BEGIN
    INSERT OR IGNORE INTO feed_entries (viewer_id, author_id, post_id, published_at)
    SELECT NEW.user_id, p.user_id, p.id, p.published_at FROM social_posts p
    WHERE p.user_id = NEW.followed_id AND p.status = 'published' AND p.visibility IN ('public', 'followers')
      AND p.published_at IS NOT NULL;
END;

CREATE TRIGGER user_follows_feed_delete AFTER DELETE ON user_follows
BEGIN
    DELETE FROM feed_entries WHERE viewer_id = OLD.user_id AND author_id = OLD.followed_id;
END;

-- What was there before this migration (a follow that crosses a block, which the application never
-- leaves, is not taken in).
INSERT INTO feed_entries (viewer_id, author_id, post_id, published_at)
SELECT f.user_id, p.user_id, p.id, p.published_at FROM user_follows f JOIN social_posts p ON p.user_id = f.followed_id
WHERE p.status = 'published' AND p.visibility IN ('public', 'followers') AND p.published_at IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM social_blocks b WHERE (b.user_id = f.user_id AND b.blocked_user_id = f.followed_id)
      OR (b.user_id = f.followed_id AND b.blocked_user_id = f.user_id));
