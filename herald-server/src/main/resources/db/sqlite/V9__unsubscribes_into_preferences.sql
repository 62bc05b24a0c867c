-- One-click unsubscribes become subscriber preferences: a link without a category turns the
-- channel off globally, one with a category turns it off for that category. Subscribers who
-- already stored preferences keep them as they are. Then the separate table goes: preferences are
-- the one place opt-outs live, where subscribers see them and can turn a channel back on.
INSERT INTO subscriber_preferences (app_id, subscriber_id, preferences, updated_at)
SELECT s.app_id, s.subscriber_id,
  json_object(
    'channels', json((SELECT json_group_object(g.channel, json('false')) FROM unsubscribes g
                      WHERE g.app_id = s.app_id AND g.subscriber_id = s.subscriber_id AND g.category = '')),
    'categories', json((SELECT json_group_object(c.category, json_object('channels',
                          json((SELECT json_group_object(x.channel, json('false')) FROM unsubscribes x
                                WHERE x.app_id = c.app_id AND x.subscriber_id = c.subscriber_id
                                  AND x.category = c.category))))
                        FROM (SELECT DISTINCT app_id, subscriber_id, category FROM unsubscribes
                              WHERE app_id = s.app_id AND subscriber_id = s.subscriber_id AND category <> '') c)),
    'quiet_hours', json('null')),
  s.updated_at
FROM (SELECT app_id, subscriber_id, MAX(created_at) AS updated_at FROM unsubscribes
      GROUP BY app_id, subscriber_id) s
WHERE true
ON CONFLICT (app_id, subscriber_id) DO NOTHING;

DROP TABLE unsubscribes;
