import { describe, expect, it } from 'vitest';
import { parseQueryText } from '../../src/contract/query-text.ts';

describe('parseQueryText (the search box syntax)', () => {
  it('takes words as one phrase and -word / -"words" as what to avoid', () => {
    expect(parseQueryText('dog on the beach')).toEqual({ phrase: 'dog on the beach', avoid: [] });
    expect(parseQueryText('beach -dog')).toEqual({ phrase: 'beach', avoid: ['dog'] });
    expect(parseQueryText('-dog beach -"city street" sunset')).toEqual({
      phrase: 'beach sunset',
      avoid: ['dog', 'city street'],
    });
  });

  it('leaves hyphens inside words, lone minus signs and empty quotes alone', () => {
    expect(parseQueryText('e-mail x-ray')).toEqual({ phrase: 'e-mail x-ray', avoid: [] });
    expect(parseQueryText('beach - dog')).toEqual({ phrase: 'beach - dog', avoid: [] });
    expect(parseQueryText('beach -""')).toEqual({ phrase: 'beach', avoid: [] });
    expect(parseQueryText('  ')).toEqual({ phrase: '', avoid: [] });
    expect(parseQueryText('"a dog" -cat')).toEqual({ phrase: 'a dog', avoid: ['cat'] });
  });
});
