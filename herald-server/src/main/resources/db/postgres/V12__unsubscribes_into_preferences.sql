-- One-click unsubscribes become subscriber preferences, the one place opt-outs live, where
-- subscribers see them and can turn a channel back on: a row without a category turns the channel
-- off globally (and undoes the subscriber's turning it on for single categories, which would
-- otherwise win over it), one with a category turns it off for that category. Choices already
-- stored are kept otherwise. Then the separate table goes.

-- 1. Every subscriber with an unsubscribe has a preferences row.
INSERT INTO subscriber_preferences (app_id, subscriber_id, preferences, updated_at)
SELECT app_id, subscriber_id, '{"channels":{},"categories":{},"quiet_hours":null}', MAX(created_at)
FROM unsubscribes
GROUP BY app_id, subscriber_id
ON CONFLICT (app_id, subscriber_id) DO NOTHING;

-- 2. The unsubscribes merged in as false; a category's channels lose those turned off globally
--    that it had turned on.
UPDATE subscriber_preferences p
SET preferences = (
      SELECT jsonb_build_object(
        'channels', COALESCE(d.doc -> 'channels', '{}') || COALESCE(
          (SELECT jsonb_object_agg(g.channel, false) FROM unsubscribes g
           WHERE g.app_id = p.app_id AND g.subscriber_id = p.subscriber_id AND g.category = ''), '{}'),
        'categories', COALESCE(
          (SELECT jsonb_object_agg(k.key, jsonb_build_object('channels',
             (COALESCE(d.doc -> 'categories' -> k.key -> 'channels', '{}')
                - ARRAY(SELECT g.channel FROM unsubscribes g
                        WHERE g.app_id = p.app_id AND g.subscriber_id = p.subscriber_id AND g.category = ''
                          AND d.doc -> 'categories' -> k.key -> 'channels' -> g.channel = 'true'::jsonb))
             || COALESCE((SELECT jsonb_object_agg(x.channel, false) FROM unsubscribes x
                          WHERE x.app_id = p.app_id AND x.subscriber_id = p.subscriber_id
                            AND x.category = k.key), '{}')))
           FROM (SELECT jsonb_object_keys(COALESCE(d.doc -> 'categories', '{}')) AS key
                 UNION
                 SELECT category FROM unsubscribes x
                 WHERE x.app_id = p.app_id AND x.subscriber_id = p.subscriber_id AND x.category <> '') k),
          '{}'),
        'quiet_hours', d.doc -> 'quiet_hours')::text
      FROM (SELECT p.preferences::jsonb AS doc) d),
    updated_at = GREATEST(p.updated_at, (SELECT MAX(created_at) FROM unsubscribes u
                                         WHERE u.app_id = p.app_id AND u.subscriber_id = p.subscriber_id))
WHERE EXISTS (SELECT 1 FROM unsubscribes u WHERE u.app_id = p.app_id AND u.subscriber_id = p.subscriber_id);

DROP TABLE unsubscribes;
