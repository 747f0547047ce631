/**
 * Test fixture (not shipped): the real PhotoGrid component with 100,000 results, so the E2E suite can
 * measure DOM size and scrolling cost at the size the issue asks for.
 */
import { mount } from 'svelte';
import type { ResultView } from '../../../src/contract/api.ts';
import PhotoGrid from '../../../src/renderer/src/components/photo-grid.svelte';
import '../../../src/renderer/src/styles/app.css';

const COUNT = 100_000;
const items: ResultView[] = Array.from({ length: COUNT }, (_, i) => ({
  id: i + 1,
  kind: 'photo',
  distance: i % 64,
  name: `photo-${i + 1}.jpg`,
}));
// One tiny PNG per hue, like small JPEG thumbnails (an SVG image would cost a whole document each).
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
let opened = -1;
mount(PhotoGrid, {
  target,
  props: {
    items,
    thumb: (id: number) => thumbs[id % thumbs.length] ?? '',
    label: 'Photo results',
    onopen: (i: number) => {
      opened = i;
      document.body.dataset['opened'] = String(opened);
    },
  },
});
