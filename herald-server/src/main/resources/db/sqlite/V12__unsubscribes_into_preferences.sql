-- One-click unsubscribes become subscriber preferences, the one place opt-outs live, where
-- subscribers see them and can turn a channel back on: a row without a category turns the channel
-- off globally (and undoes the subscriber's turning it on for single categories, which would
-- otherwise win over it), one with a category turns it off for that category. Choices already
-- stored are kept otherwise. Then the separate table goes.

-- 1. Every subscriber with an unsubscribe has a preferences row.
INSERT INTO subscriber_preferences (app_id, subscriber_id, preferences, updated_at)
SELECT app_id, subscriber_id, '{"channels":{},"categories":{},"quiet_hours":null}', MAX(created_at)
FROM unsubscribes
WHERE true
GROUP BY app_id, subscriber_id
ON CONFLICT (app_id, subscriber_id) DO NOTHING;

-- 2. A global unsubscribe removes the channel from categories that turned it on (json_patch
--    removes keys patched with null).
UPDATE subscriber_preferences
SET preferences = json_patch(preferences, json_object('categories', json(
  (SELECT json_group_object(c.key, json_object('channels', json(
     (SELECT json_group_object(g.channel, NULL) FROM unsubscribes g
      WHERE g.app_id = subscriber_preferences.app_id AND g.subscriber_id = subscriber_preferences.subscriber_id
        AND g.category = '' AND json_extract(c.value, '$.channels.' || g.channel) IS 1))))
   FROM json_each(subscriber_preferences.preferences, '$.categories') c))))
WHERE EXISTS (SELECT 1 FROM unsubscribes g
              WHERE g.app_id = subscriber_preferences.app_id AND g.subscriber_id = subscriber_preferences.subscriber_id
                AND g.category = '');

-- 3. The unsubscribes themselves, merged in as false.
UPDATE subscriber_preferences
SET preferences = json_patch(preferences, json_object(
      'channels', json((SELECT json_group_object(g.channel, json('false')) FROM unsubscribes g
                        WHERE g.app_id = subscriber_preferences.app_id
                          AND g.subscriber_id = subscriber_preferences.subscriber_id AND g.category = '')),
      'categories', json((SELECT json_group_object(c.category, json_object('channels', json(
                            (SELECT json_group_object(x.channel, json('false')) FROM unsubscribes x
                             WHERE x.app_id = c.app_id AND x.subscriber_id = c.subscriber_id
                               AND x.category = c.category))))
                          FROM (SELECT DISTINCT app_id, subscriber_id, category FROM unsubscribes
                                WHERE app_id = subscriber_preferences.app_id
                                  AND subscriber_id = subscriber_preferences.subscriber_id AND category <> '') c)))),
    updated_at = MAX(updated_at, (SELECT MAX(created_at) FROM unsubscribes u
                                  WHERE u.app_id = subscriber_preferences.app_id
                                    AND u.subscriber_id = subscriber_preferences.subscriber_id))
WHERE EXISTS (SELECT 1 FROM unsubscribes u
              WHERE u.app_id = subscriber_preferences.app_id AND u.subscriber_id = subscriber_preferences.subscriber_id);

DROP TABLE unsubscribes;
