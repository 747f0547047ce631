/**
 * Test fixture (not shipped): the real TimelineGrid with 100,000 photos in 120 months, filled in a page at
 * a time as they come into view (as TimelineState does), so the E2E suite can measure DOM size and
 * scrolling cost at the size the issue asks for.
 */
import { mount } from 'svelte';
import type { MonthBucket, ResultView } from '../../../src/contract/api.ts';
import TimelineGrid from '../../../src/renderer/src/components/timeline-grid.svelte';
import '../../../src/renderer/src/styles/app.css';

const COUNT = 100_000;
const MONTHS = 120;
const PAGE = 500;
const months: MonthBucket[] = Array.from({ length: MONTHS }, (_, i) => ({
  year: 2026 - Math.floor(i / 12),
  month: 12 - (i % 12),
  // NOTE: uneven months (400–1,266 photos), as real libraries are, adding up to exactly 100,000.
  count: i === MONTHS - 1 ? 0 : 400 + ((i * 7919) % 867),
}));
const last = months[MONTHS - 1] as MonthBucket;
last.count = COUNT - months.reduce((n, m) => n + m.count, 0);
const photos: ResultView[] = new Array<ResultView>(COUNT);
const thumbs = Array.from({ length: 12 }, (_, h) => {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 8;
  const g = canvas.getContext('2d')!;
  g.fillStyle = `hsl(${h * 30} 60% 60%)`;
  g.fillRect(0, 0, 8, 8);
  return canvas.toDataURL('image/png');
});

const target = document.getElementById('app') as HTMLElement;
target.style.height = '100vh';
const props = $state({ version: 0 });
const loaded: boolean[] = [];
mount(TimelineGrid, {
  target,
  props: {
    photos,
    get version() {
      return props.version;
    },
    months,
    thumb: (id: number) => thumbs[id % thumbs.length] ?? '',
    label: 'Photos by date',
    onopen: (i: number) => {
      document.body.dataset['opened'] = String(i);
    },
    onrange: (first: number, lastIndex: number) => {
      for (let p = Math.floor(first / PAGE); p <= Math.floor(lastIndex / PAGE); p++) {
        if (loaded[p]) continue;
        loaded[p] = true;
        for (let i = p * PAGE; i < Math.min(COUNT, (p + 1) * PAGE); i++)
          photos[i] = { id: i + 1, kind: 'photo', distance: 0, name: `photo-${i + 1}.jpg`, takenAt: 0 };
        props.version++;
      }
    },
  },
});
