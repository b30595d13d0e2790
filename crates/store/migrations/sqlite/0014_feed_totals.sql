-- How many of each author's posts are in their followers' timelines: published, public or for followers
-- (the posts migration 0013 fans out). The following feed's total is the sum of these over the people the
-- viewer follows — one short index range and fifty key lookups, where counting the viewer's timeline rows
-- read thousands of them on every page (see bench/RESULTS.md). A row exists only while its count is above
-- zero, so a deleted account leaves nothing behind. Kept by triggers like the timeline, so no write path
-- can forget it; no foreign key, as for the timeline.

CREATE TABLE social_shared_posts (
    author_id  BLOB PRIMARY KEY,
    posts    INTEGER NOT NULL CHECK (posts >= 0)
);

CREATE TRIGGER social_posts_shared_insert AFTER INSERT ON social_posts
    WHEN NEW.status = 'published' AND NEW.visibility IN ('public', 'followers') AND NEW.published_at IS NOT NULL
BEGIN
    INSERT INTO social_shared_posts (author_id, posts) VALUES (NEW.user_id, 1)
    ON CONFLICT (author_id) DO UPDATE SET posts = posts + 1;
END;

-- Only when whether the post counts, or whose it is, changes: edits of the text leave the count alone.
CREATE TRIGGER social_posts_shared_update AFTER UPDATE ON social_posts
    WHEN (OLD.status = 'published' AND OLD.visibility IN ('public', 'followers') AND OLD.published_at IS NOT NULL)
            IS NOT (NEW.status = 'published' AND NEW.visibility IN ('public', 'followers')
                AND NEW.published_at IS NOT NULL)
        OR OLD.user_id IS NOT NEW.user_id
BEGIN
    UPDATE social_shared_posts SET posts = posts - 1 WHERE author_id = OLD.user_id
        AND OLD.status = 'published' AND OLD.visibility IN ('public', 'followers') AND OLD.published_at IS NOT NULL;
    DELETE FROM social_shared_posts WHERE author_id = OLD.user_id AND posts = 0;
    INSERT INTO social_shared_posts (author_id, posts) SELECT NEW.user_id, 1
    WHERE NEW.status = 'published' AND NEW.visibility IN ('public', 'followers') AND NEW.published_at IS NOT NULL
    ON CONFLICT (author_id) DO UPDATE SET posts = posts + 1;
END;

CREATE TRIGGER social_posts_shared_delete AFTER DELETE ON social_posts
    WHEN OLD.status = 'published' AND OLD.visibility IN ('public', 'followers') AND OLD.published_at IS NOT NULL
BEGIN
    UPDATE social_shared_posts SET posts = posts - 1 WHERE author_id = OLD.user_id;
    DELETE FROM social_shared_posts WHERE author_id = OLD.user_id AND posts = 0;
END;

-- The sum is the timeline's size only if nobody follows across a block. The application never leaves
-- such a follow (a block ends follows both ways), and 0013 left them out of the timeline; a database from
-- elsewhere might still hold one, so they end here as a block would have ended them.
DELETE FROM user_follows WHERE EXISTS (SELECT 1 FROM social_blocks b
    WHERE (b.user_id = user_follows.user_id AND b.blocked_user_id = user_follows.followed_id)
       OR (b.user_id = user_follows.followed_id AND b.blocked_user_id = user_follows.user_id));

INSERT INTO social_shared_posts (author_id, posts)
SELECT user_id, count(*) FROM social_posts
WHERE status = 'published' AND visibility IN ('public', 'followers') AND published_at IS NOT NULL
GROUP BY user_id;
