import { describe, expect, it } from 'vitest';
import {
  PLACEHOLDER_CAPTIONS,
  isPlaceholderCaption,
} from '../../../src/engine/ingest/placeholder-captions.ts';

describe('isPlaceholderCaption', () => {
  it('matches every listed entry, whatever its case and spacing', () => {
    for (const entry of PLACEHOLDER_CAPTIONS) {
      expect(isPlaceholderCaption(entry), entry).toBe(true);
      expect(isPlaceholderCaption(`  ${entry.toUpperCase().replace(/ /g, '   ')}\0 `), entry).toBe(true);
      expect(isPlaceholderCaption(entry.toLowerCase()), entry).toBe(true);
    }
  });

  it('matches what cameras and phones write when nobody wrote a caption', () => {
    for (const text of [
      'OLYMPUS DIGITAL CAMERA',
      'AppleMark',
      'SONY DSC',
      'DCIM',
      '',
      '   \t\n ',
      '\0\0',
      '-----',
      '???',
      'NIKON DIGITAL CAMERA',
      'FUJIFILM Digital Still Camera',
      '<KENOX S1050 / Samsung S1050>',
      '<Digimax i5, Samsung #1>',
      'IMG_1234',
      'IMG_1234.JPG',
      'img-20230101-wa0001.jpg',
      'DSC01234',
      '_DSC1234.NEF',
      'DSCF0042',
      'P1000123.JPG',
      'GOPR2137',
      'GH011234.MP4',
      'DJI_0001',
      'SAM_0163.JPG',
      'PXL_20230101_123456789',
      'DCIM\\108GOPRO\\GOPR2137.JPG',
      'DCIM/100APPLE',
    ])
      expect(isPlaceholderCaption(text), JSON.stringify(text)).toBe(true);
  });

  it('keeps real captions, including ones that mention a placeholder or are short', () => {
    for (const text of [
      'Grandma’s kitchen',
      'SONY DSC at the lake',
      'OLYMPUS DIGITAL CAMERA club outing',
      'IMG_1234 was the best of the day',
      'Photo of Rex',
      'Mon',
      'Rex',
      '🐕',
      '1987',
      'P4',
      'A dog',
      'DCIM folder, old phone',
      'Unknown',
    ])
      expect(isPlaceholderCaption(text), text).toBe(false);
  });
});
