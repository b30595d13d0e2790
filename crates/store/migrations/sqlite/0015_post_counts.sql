-- Each post's likes and comments, kept on the post row. Every read of a post showed them counted from
-- the rows (two correlated subqueries per post: a hundred per feed page), which cost about as much as
-- the page itself (see bench/RESULTS.md). Kept by triggers, so no write path — a like, an unlike, a
-- comment deleted by its writer or by moderation, an account deletion's cascade — can forget them.
--
-- A comment never moves to another post (the application has no such write), so only inserts and
-- deletes are counted. When a post is deleted, its likes and comments go by cascade after it, and their
-- triggers' updates find no row. Updating only the counts changes no column the posts' other triggers
-- (migrations 0013, 0014) watch, so they do not fire.

ALTER TABLE social_posts ADD COLUMN likes_count INTEGER NOT NULL DEFAULT 0 CHECK (likes_count >= 0);
ALTER TABLE social_posts ADD COLUMN comments_count INTEGER NOT NULL DEFAULT 0 CHECK (comments_count >= 0);

CREATE TRIGGER post_likes_count_insert AFTER INSERT ON post_likes
BEGIN
    UPDATE social_posts SET likes_count = likes_count + 1 WHERE id = NEW.post_id;
END;
CREATE TRIGGER post_likes_count_delete AFTER DELETE ON post_likes
BEGIN
    UPDATE social_posts SET likes_count = likes_count - 1 WHERE id = OLD.post_id;
END;
CREATE TRIGGER post_comments_count_insert AFTER INSERT ON post_comments
BEGIN
    UPDATE social_posts SET comments_count = comments_count + 1 WHERE id = NEW.post_id;
END;
CREATE TRIGGER post_comments_count_delete AFTER DELETE ON post_comments
BEGIN
    UPDATE social_posts SET comments_count = comments_count - 1 WHERE id = OLD.post_id;
END;

UPDATE social_posts SET
    likes_count = (SELECT count(*) FROM post_likes l WHERE l.post_id = social_posts.id),
    comments_count = (SELECT count(*) FROM post_comments c WHERE c.post_id = social_posts.id)
WHERE EXISTS (SELECT 1 FROM post_likes l WHERE l.post_id = social_posts.id)
   OR EXISTS (SELECT 1 FROM post_comments c WHERE c.post_id = social_posts.id);
