/** Conversions from engine records to the contract's view types (what crosses to the UI, nothing more). */
import { basename } from 'node:path';
import type {
  ErrorView,
  FolderView,
  HeadView,
  ItemDetail,
  PlaceName as PlaceNameView,
  PlaceView,
  ResultView,
} from '../../contract/api.ts';
import type { SearchHit } from '../search/query.ts';
import { recordedQuality } from '../train/head-quality.ts';
import {
  placeLabel,
  type ErrorRecord,
  type Folder,
  type HeadRecord,
  type ItemRecord,
  type PlaceCount,
  type PlaceName,
} from '../store/index.ts';
import type { ItemDetailRecord } from '../store/item-detail.ts';

/** A library folder with its file count and state. */
export function folderView(f: Folder, files: number): FolderView {
  return {
    id: f.id,
    path: f.path,
    addedAt: f.addedAt,
    files,
    state: f.state,
    stateReason: f.stateReason,
    stateSince: f.stateSince,
  };
}

/** A search hit as one grid cell or note row. */
export function resultView(r: SearchHit): ResultView {
  const v: ResultView = { id: r.id, kind: r.kind, distance: r.distance, name: basename(r.path) };
  if (!r.available) v.unavailable = true;
  if (r.literal) v.literal = true;
  if (r.text !== null) v.text = r.text;
  if (r.takenAt !== null) v.takenAt = r.takenAt;
  if (r.takenAt !== null && r.takenSource !== null) v.takenSource = r.takenSource;
  if (r.width !== null) v.width = r.width;
  if (r.height !== null) v.height = r.height;
  return v;
}

/** A timeline photo as one grid cell (no query, so no distance: 0). */
export function timelineView(r: ItemRecord): ResultView {
  return resultView({ ...r, distance: 0, score: 0 });
}

/** An item's detail for the lightbox. */
export function itemDetailView(d: ItemDetailRecord): ItemDetail {
  const v: ItemDetail = { id: d.id, kind: d.kind, path: d.path, folder: d.folder, tags: d.tags };
  if (!d.available) v.unavailable = true;
  if (d.takenAt !== null) v.takenAt = d.takenAt;
  if (d.takenAt !== null && d.takenSource !== null) v.takenSource = d.takenSource;
  if (d.lat !== null) v.lat = d.lat;
  if (d.lon !== null) v.lon = d.lon;
  if (d.place) v.place = placeNameView(d.place);
  if (d.width !== null) v.width = d.width;
  if (d.height !== null) v.height = d.height;
  if (d.text !== null) v.text = d.text;
  if (d.captions.length) v.caption = d.captions.join('\n');
  return v;
}

/** A stored place name as the UI shows it, with its label. */
export function placeNameView(p: PlaceName): PlaceNameView {
  const v: PlaceNameView = {
    city: p.city,
    country: p.country,
    countryCode: p.countryCode,
    label: placeLabel(p),
  };
  if (p.region) v.region = p.region;
  return v;
}

/** A place with its photo count. */
export function placeView(p: PlaceCount): PlaceView {
  return { ...placeNameView(p), count: p.count };
}

/** A recorded file error. */
export function errorView(e: ErrorRecord): ErrorView {
  return { path: e.path, stage: e.stage, code: e.code, message: e.message, at: e.at };
}

/** A hash head. */
export function headView(h: HeadRecord): HeadView {
  const v: HeadView = { id: h.id, kind: h.kind, bits: h.bits, createdAt: h.createdAt, active: h.active };
  const quality = recordedQuality(h.metrics);
  if (quality !== undefined) v.quality = quality;
  if (h.metrics && typeof h.metrics === 'object') v.metrics = h.metrics as Record<string, unknown>;
  return v;
}
