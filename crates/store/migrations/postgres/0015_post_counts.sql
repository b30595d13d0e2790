-- Each post's likes and comments, kept on the post row. Every read of a post showed them counted from
-- the rows (two correlated subqueries per post: a hundred per feed page), which cost about as much as
-- the page itself (see bench/RESULTS.md). Kept by triggers, so no write path — a like, an unlike, a
-- comment deleted by its writer or by moderation, an account deletion's cascade — can forget them, and
-- exact under concurrency: each change updates the post row, which queues changes to one post.
--
-- A comment never moves to another post (the application has no such write), so only inserts and
-- deletes are counted. When a post is deleted, its likes and comments go by cascade after it, and their
-- triggers' updates find no row. Updating only the counts changes no column the posts' other triggers
-- (migrations 0013, 0014) watch, so they do not fire.
--
-- An account deletion now also locks the posts its likes and comments were on. It takes them all
-- first, in id order (the social domain's deletion locks), so two deletions at once queue rather than
-- deadlock; taking a like or a comment back locks its post before the row, the order a deletion of
-- the post takes them in.

ALTER TABLE social_posts
    ADD COLUMN likes_count BIGINT NOT NULL DEFAULT 0 CHECK (likes_count >= 0),
    ADD COLUMN comments_count BIGINT NOT NULL DEFAULT 0 CHECK (comments_count >= 0);

CREATE FUNCTION social_posts_count_reactions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    step BIGINT := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
    post UUID := CASE TG_OP WHEN 'INSERT' THEN NEW.post_id ELSE OLD.post_id END;
BEGIN
    IF TG_TABLE_NAME = 'post_likes' THEN
        UPDATE social_posts SET likes_count = likes_count + step WHERE id = post;
    ELSE
        UPDATE social_posts SET comments_count = comments_count + step WHERE id = post;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER post_likes_count AFTER INSERT OR DELETE ON post_likes
    FOR EACH ROW EXECUTE FUNCTION social_posts_count_reactions();
CREATE TRIGGER post_comments_count AFTER INSERT OR DELETE ON post_comments
    FOR EACH ROW EXECUTE FUNCTION social_posts_count_reactions();

UPDATE social_posts p SET
    likes_count = (SELECT count(*) FROM post_likes l WHERE l.post_id = p.id),
    comments_count = (SELECT count(*) FROM post_comments c WHERE c.post_id = p.id)
WHERE EXISTS (SELECT 1 FROM post_likes l WHERE l.post_id = p.id)
   OR EXISTS (SELECT 1 FROM post_comments c WHERE c.post_id = p.id);
