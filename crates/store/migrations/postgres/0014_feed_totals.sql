-- How many of each author's posts are in their followers' timelines: published, public or for followers
-- (the posts migration 0013 fans out). The following feed's total is the sum of these over the people the
-- viewer follows — one short index range and fifty key lookups, where counting the viewer's timeline rows
-- read thousands of them on every page (see bench/RESULTS.md). A row exists only while its count is above
-- zero, so a deleted account leaves nothing behind.
--
-- Kept by triggers like the timeline, so no write path can forget it. A post change touches only its
-- author's row (two at once queue on it), after 0013's trigger has locked the author's `users` row; only
-- moving a post to another author, which the application never does, would touch two. No foreign key,
-- for the reason 0013 gives.

CREATE TABLE social_shared_posts (
    author_id  UUID PRIMARY KEY,
    posts    BIGINT NOT NULL CHECK (posts >= 0)
);

CREATE FUNCTION social_shared_posts_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'published' AND OLD.visibility IN ('public', 'followers')
        AND OLD.published_at IS NOT NULL THEN
        -- Subtract first, then drop the row only if it reached zero: the UPDATE waits for a publish of the
        -- same author in flight and counts from its result, where deciding on the value read before
        -- the wait could delete the row that publish had just raised.
        UPDATE social_shared_posts SET posts = posts - 1 WHERE author_id = OLD.user_id;
        DELETE FROM social_shared_posts WHERE author_id = OLD.user_id AND posts = 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'published' AND NEW.visibility IN ('public', 'followers')
        AND NEW.published_at IS NOT NULL THEN
        INSERT INTO social_shared_posts (author_id, posts) VALUES (NEW.user_id, 1)
        ON CONFLICT (author_id) DO UPDATE SET posts = social_shared_posts.posts + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER social_posts_shared_insert AFTER INSERT ON social_posts
    FOR EACH ROW WHEN (NEW.status = 'published' AND NEW.visibility IN ('public', 'followers')
        AND NEW.published_at IS NOT NULL)
    EXECUTE FUNCTION social_shared_posts_count();
-- Only when whether the post counts, or whose it is, changes: edits of the text leave the count alone.
CREATE TRIGGER social_posts_shared_update AFTER UPDATE ON social_posts
    FOR EACH ROW WHEN ((OLD.status = 'published' AND OLD.visibility IN ('public', 'followers')
            AND OLD.published_at IS NOT NULL)
        IS DISTINCT FROM (NEW.status = 'published' AND NEW.visibility IN ('public', 'followers')
            AND NEW.published_at IS NOT NULL)
        OR OLD.user_id IS DISTINCT FROM NEW.user_id)
    EXECUTE FUNCTION social_shared_posts_count();
CREATE TRIGGER social_posts_shared_delete AFTER DELETE ON social_posts
    FOR EACH ROW WHEN (OLD.status = 'published' AND OLD.visibility IN ('public', 'followers')
        AND OLD.published_at IS NOT NULL)
    EXECUTE FUNCTION social_shared_posts_count();

-- The sum is the timeline's size only if nobody follows across a block. The application never leaves
-- such a follow (a block ends follows both ways), and 0013 left them out of the timeline; a database from
-- elsewhere might still hold one, so they end here as a block would have ended them.
DELETE FROM user_follows f WHERE EXISTS (SELECT 1 FROM social_blocks b
    WHERE (b.user_id = f.user_id AND b.blocked_user_id = f.followed_id)
       OR (b.user_id = f.followed_id AND b.blocked_user_id = f.user_id));

INSERT INTO social_shared_posts (author_id, posts)
SELECT user_id, count(*) FROM social_posts
WHERE status = 'published' AND visibility IN ('public', 'followers') AND published_at IS NOT NULL
GROUP BY user_id;
