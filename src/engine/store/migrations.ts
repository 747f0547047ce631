/**
 * Versioned schema migrations: MIGRATIONS[i] takes a library from `user_version` i to i + 1 and runs
 * inside one transaction. Append new migrations; never edit a released one.
 */

/** Migration 1: the initial schema (table and column names are what the rest of the engine codes against). */
const V1 = `
CREATE TABLE folders (
  id INTEGER PRIMARY KEY,
  path TEXT UNIQUE NOT NULL,
  added_at INTEGER NOT NULL
);

CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  path TEXT UNIQUE NOT NULL,
  folder_id INTEGER REFERENCES folders(id) ON DELETE CASCADE,
  kind TEXT CHECK (kind IN ('photo', 'note')),
  size INTEGER,
  mtime_ms INTEGER,
  hash TEXT, -- sha256 hex
  indexed_at INTEGER
);
CREATE INDEX files_hash ON files(hash);
CREATE INDEX files_folder ON files(folder_id);

-- AUTOINCREMENT: an item id is never reused after its item is deleted, so ids held by in-memory
-- indexes, caches and the UI can never silently point at a different item.
CREATE TABLE items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
  kind TEXT CHECK (kind IN ('photo', 'note_chunk', 'caption')),
  modality TEXT CHECK (modality IN ('image', 'text')),
  text TEXT,
  char_start INTEGER,
  char_end INTEGER,
  taken_at INTEGER, -- ms since the epoch
  lat REAL,
  lon REAL,
  width INTEGER,
  height INTEGER,
  UNIQUE (file_id, kind, char_start)
);
CREATE INDEX items_modality ON items(modality);

CREATE TABLE embeddings (
  item_id INTEGER REFERENCES items(id) ON DELETE CASCADE,
  model_id TEXT,
  vector BLOB, -- float32 little-endian
  PRIMARY KEY (item_id, model_id)
);
CREATE INDEX embeddings_model ON embeddings(model_id);

CREATE TABLE heads (
  id TEXT PRIMARY KEY,
  kind TEXT,
  bits INTEGER,
  model_id TEXT,
  dir TEXT,
  created_at INTEGER,
  active INTEGER DEFAULT 0,
  metrics TEXT -- json
);
-- At most one active head per model.
CREATE UNIQUE INDEX heads_one_active ON heads(model_id) WHERE active = 1;

CREATE TABLE codes (
  head_id TEXT REFERENCES heads(id) ON DELETE CASCADE,
  item_id INTEGER REFERENCES items(id) ON DELETE CASCADE,
  w0 INTEGER NOT NULL, -- bits 0..63 as a signed 64-bit integer
  w1 INTEGER,          -- bits 64..127 (128-bit codes only)
  PRIMARY KEY (head_id, item_id)
);
CREATE INDEX codes_item ON codes(item_id);

CREATE TABLE tags (
  id INTEGER PRIMARY KEY,
  name TEXT UNIQUE NOT NULL COLLATE NOCASE
);

CREATE TABLE item_tags (
  item_id INTEGER REFERENCES items(id) ON DELETE CASCADE,
  tag_id INTEGER REFERENCES tags(id) ON DELETE CASCADE,
  source TEXT CHECK (source IN ('xmp', 'iptc', 'user')),
  PRIMARY KEY (item_id, tag_id, source)
);
CREATE INDEX item_tags_tag ON item_tags(tag_id);

CREATE TABLE errors (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  stage TEXT NOT NULL,
  code TEXT,
  message TEXT NOT NULL,
  at INTEGER NOT NULL,
  UNIQUE (path, stage)
);
CREATE INDEX errors_at ON errors(at);

CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL, -- 'ingest' | 'remove'
  path TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
  attempts INTEGER DEFAULT 0,
  created_at INTEGER,
  updated_at INTEGER,
  last_error TEXT
);
-- A path has at most one queued and at most one running job of a kind (a change that arrives while
-- a job runs queues one follow-up job instead of being lost).
CREATE UNIQUE INDEX jobs_active ON jobs(kind, path, state) WHERE state IN ('queued', 'running');
CREATE INDEX jobs_state ON jobs(state, id);
CREATE INDEX jobs_path ON jobs(path, state);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT
);
`;

/**
 * Migration 2: a library that never loses the user's work.
 * - Folder state: a folder that cannot be read (offline drive, permissions) is marked, never emptied.
 *   `removed_at` makes removing a folder undoable until it is purged.
 * - `files.dev`: the device a file was indexed on, so an unmounted mount point (an empty folder on
 *   another device) is told apart from a folder whose files were deleted.
 * - `kept_tags`: user tags kept by content hash after their file left the index, so a photo that
 *   comes back (a restored backup, a re-plugged drive) gets them back.
 * - Heads are stored relative to the library folder, so a copied or moved library keeps working.
 */
const V2 = `
ALTER TABLE folders ADD COLUMN state TEXT NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'offline', 'unreadable'));
ALTER TABLE folders ADD COLUMN state_reason TEXT;
ALTER TABLE folders ADD COLUMN state_since INTEGER;
ALTER TABLE folders ADD COLUMN removed_at INTEGER;
ALTER TABLE files ADD COLUMN dev INTEGER;

CREATE TABLE kept_tags (
  hash TEXT NOT NULL, -- sha256 of the photo's content
  name TEXT NOT NULL COLLATE NOCASE,
  kept_at INTEGER NOT NULL,
  PRIMARY KEY (hash, name)
);
CREATE INDEX kept_tags_at ON kept_tags(kept_at);

UPDATE heads SET dir = 'heads/' || id;
`;

/**
 * Migration LITERAL: literal matches (store/literal-index.ts). `items_fts` holds each item's path below its
 * library folder (with that folder's own name), its tags and its text, folded for case and accents;
 * triggers keep it in step with items, their tags and file moves. A row's source is the `items_fts_source`
 * view, so the triggers and the backfill say it once.
 */
const LITERAL = `
CREATE VIRTUAL TABLE items_fts USING fts5(path, tags, text, tokenize = 'unicode61 remove_diacritics 2');

CREATE VIEW items_fts_source AS
SELECT i.id AS id,
  CASE WHEN fo.path IS NULL THEN f.path
       ELSE replace(fo.path, rtrim(fo.path, replace(fo.path, '/', '')), '') || ' ' || substr(f.path, length(fo.path) + 2)
  END AS path,
  (SELECT group_concat(t.name, ' ') FROM item_tags it JOIN tags t ON t.id = it.tag_id WHERE it.item_id = i.id) AS tags,
  i.text AS text
FROM items i JOIN files f ON f.id = i.file_id LEFT JOIN folders fo ON fo.id = f.folder_id;

CREATE TRIGGER items_fts_item_added AFTER INSERT ON items BEGIN
  INSERT INTO items_fts(rowid, path, tags, text) SELECT id, path, tags, text FROM items_fts_source WHERE id = NEW.id;
END;
CREATE TRIGGER items_fts_item_removed AFTER DELETE ON items BEGIN
  DELETE FROM items_fts WHERE rowid = OLD.id;
END;
CREATE TRIGGER items_fts_item_changed AFTER UPDATE OF text ON items BEGIN
  DELETE FROM items_fts WHERE rowid = NEW.id;
  INSERT INTO items_fts(rowid, path, tags, text) SELECT id, path, tags, text FROM items_fts_source WHERE id = NEW.id;
END;
CREATE TRIGGER items_fts_tag_added AFTER INSERT ON item_tags BEGIN
  DELETE FROM items_fts WHERE rowid = NEW.item_id;
  INSERT INTO items_fts(rowid, path, tags, text) SELECT id, path, tags, text FROM items_fts_source WHERE id = NEW.item_id;
END;
CREATE TRIGGER items_fts_tag_removed AFTER DELETE ON item_tags BEGIN
  DELETE FROM items_fts WHERE rowid = OLD.item_id;
  INSERT INTO items_fts(rowid, path, tags, text) SELECT id, path, tags, text FROM items_fts_source WHERE id = OLD.item_id;
END;
CREATE TRIGGER items_fts_file_moved AFTER UPDATE OF path, folder_id ON files BEGIN
  DELETE FROM items_fts WHERE rowid IN (SELECT id FROM items WHERE file_id = NEW.id);
  INSERT INTO items_fts(rowid, path, tags, text)
    SELECT s.id, s.path, s.tags, s.text FROM items_fts_source s JOIN items i ON i.id = s.id WHERE i.file_id = NEW.id;
END;

INSERT INTO items_fts(rowid, path, tags, text) SELECT id, path, tags, text FROM items_fts_source;
`;

/**
 * Migration PLACES: place names for photos with GPS (see places/reverse-geocode.ts). A photo's place is one
 * row of `places`, shared by every photo taken there, so listing the places with counts is one GROUP BY
 * and a filter compares a few hundred names instead of every photo's. The `*_key` columns hold the
 * accent- and case-folded names (store/places.ts `placeKey`) that filters and search words compare;
 * `region` is '' where GeoNames names none (so UNIQUE holds: NULLs never collide).
 */
const PLACES = `
CREATE TABLE places (
  id INTEGER PRIMARY KEY,
  city TEXT NOT NULL,
  region TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL,
  country_code TEXT NOT NULL,
  city_key TEXT NOT NULL,
  region_key TEXT NOT NULL,
  country_key TEXT NOT NULL,
  UNIQUE (city, region, country_code)
);

ALTER TABLE items ADD COLUMN place_id INTEGER REFERENCES places(id) ON DELETE SET NULL;
CREATE INDEX items_place ON items(place_id);
`;

/**
 * Migration DATES: a date for every photo, and where it came from.
 * - `items.taken_source`: 'exif' | 'xmp' (the photo's metadata), 'filename' (a date in its name) or
 *   'mtime' (its file's modification time). Dates read before this version came from metadata; photos
 *   without one are given a file-name date or their mtime by `backfillDates` when a writer opens the library.
 * - `items_kind_taken`: photos in date order (the timeline, date filters) read straight off an index.
 */
const DATES = `
ALTER TABLE items ADD COLUMN taken_source TEXT CHECK (taken_source IN ('exif', 'xmp', 'filename', 'mtime'));
UPDATE items SET taken_source = 'exif' WHERE taken_at IS NOT NULL;
CREATE INDEX items_kind_taken ON items(kind, taken_at, id);
`;

/**
 * Migration TAG_UNDO: renaming, merging and deleting tags can be undone, after a restart too. Each row is
 * one such change (store/tag-changes.ts): `rows_removed` and `rows_added` are JSON lists of
 * [item id, tag name] user-tag rows, so undoing deletes the added rows and puts the removed ones back;
 * `respelled` is a JSON [old, new] pair when only a tag's spelling changed. `undone_at` is set once undone.
 */
const TAG_UNDO = `
CREATE TABLE tag_undo (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('rename', 'merge', 'delete')),
  summary TEXT NOT NULL,
  at INTEGER NOT NULL,
  rows_removed TEXT NOT NULL,
  rows_added TEXT NOT NULL,
  respelled TEXT,
  undone_at INTEGER
);
CREATE INDEX tag_undo_at ON tag_undo(at);
`;

/**
 * Migration SIDECARS: what Glint last read or wrote of each XMP sidecar it writes tags to (sidecar/xmp-write.ts),
 * keyed by the sidecar's path because a photo's item ids change when it is re-indexed.
 * - `size`, `mtime_ms`, `hash`: the file as Glint last saw it; a differing file was edited outside Glint, so it is
 *   re-read and merged before the next write, never overwritten.
 * - `owned`: JSON `{subjects, hierarchical}`, the keyword terms in it because Glint put them there (the only
 *   ones an untag in Glint may take out again).
 */
const SIDECARS = `
CREATE TABLE sidecar_state (
  path TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  mtime_ms INTEGER NOT NULL,
  hash TEXT NOT NULL,
  owned TEXT NOT NULL DEFAULT '{"subjects":[],"hierarchical":[]}'
);
`;

/**
 * Migration SUGGESTIONS: tags Glint suggests for photos from the active head's codes, and the user's
 * decisions on them (engine/suggest/, services/suggestions-service.ts).
 * - `tag_suggestions`: one row per (photo, tag), its id stable while it stays suggested (the CLI names it). 'pending' rows are the review queue and are remade when
 *   the suggestions are refreshed; 'accepted' (the photo now carries the tag as a user tag) and 'rejected'
 *   (a negative label for training, train/dataset-library.ts) rows are the user's work and are kept.
 *   `head_id` is the head whose codes gave the score; `decided_at` is when the user accepted or rejected.
 * - `item_tags.added_at`: when a tag was put on an item (set by a trigger, so every write path has it),
 *   so the Retrain view can count the user tags added since the last training; rows from before are NULL.
 */
const SUGGESTIONS = `
CREATE TABLE tag_suggestions (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
  tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
  score REAL NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
  head_id TEXT NOT NULL,
  decided_at INTEGER,
  UNIQUE (item_id, tag_id)
);
CREATE INDEX tag_suggestions_status ON tag_suggestions(status, score DESC);

ALTER TABLE item_tags ADD COLUMN added_at INTEGER;
CREATE TRIGGER item_tags_added_at AFTER INSERT ON item_tags WHEN NEW.added_at IS NULL BEGIN
  UPDATE item_tags SET added_at = CAST(unixepoch('subsec') * 1000 AS INTEGER)
  WHERE item_id = NEW.item_id AND tag_id = NEW.tag_id AND source = NEW.source;
END;
`;

/**
 * Migration REREAD: files read by an older reader are read again, once. Readers before this version left XML
 * entities in XMP and IPTC values ("Grandma&#39;s kitchen"), kept camera placeholders ("AppleMark") as
 * captions and stored a note as one chunk. `files.reread` marks such a file; the next pass that sees it on
 * disk queues it (ingest/enqueue-scan.ts) and re-reads it: a photo's metadata in place (its caption item and
 * metadata tags; the photo item, its user tags and suggestions stay), a note's chunks. A file not seen keeps
 * its mark and its items until it is. A later reader fix appends a migration that sets the mark again.
 */
const REREAD = `
ALTER TABLE files ADD COLUMN reread INTEGER NOT NULL DEFAULT 0;
UPDATE files SET reread = 1;
`;

/** All migrations in order; `MIGRATIONS.length` is the current schema version. */
export const MIGRATIONS: readonly string[] = [
  V1,
  V2,
  PLACES,
  LITERAL,
  DATES,
  TAG_UNDO,
  SIDECARS,
  SUGGESTIONS,
  REREAD,
];
