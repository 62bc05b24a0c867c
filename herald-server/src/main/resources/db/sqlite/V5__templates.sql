-- Templates: one row per key, and every version ever written. Versions are immutable and kept
-- when the key is deleted, so a notification renders the version it recorded at acceptance.
CREATE TABLE templates (
  app_id           TEXT NOT NULL,
  template_key     TEXT NOT NULL,
  version          INTEGER NOT NULL,   -- the latest version; the next PUT writes version + 1
  created_version  INTEGER NOT NULL,   -- the version that (re)created the key after a delete
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  deleted_at       INTEGER,            -- set by DELETE; the key answers 404 until written again
  PRIMARY KEY (app_id, template_key)
) WITHOUT ROWID;

CREATE TABLE template_versions (
  app_id        TEXT NOT NULL,
  template_key  TEXT NOT NULL,
  version       INTEGER NOT NULL,
  source        TEXT NOT NULL,         -- the template JSON as validated
  created_at    INTEGER NOT NULL,
  PRIMARY KEY (app_id, template_key, version)
) WITHOUT ROWID;
