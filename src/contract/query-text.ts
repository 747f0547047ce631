/**
 * The search box's syntax, shared by the UI (to show what is avoided) and the engine (to search it):
 * words are one phrase to look for; a word or quoted phrase after a minus sign is something to avoid
 * (`beach -dog -"city street"`). A hyphen inside a word (`e-mail`) is just a hyphen.
 */

/** What a search box's text asks for. */
export interface QueryText {
  /** The phrase to look for (empty when only avoided terms were typed). */
  phrase: string;
  /** Phrases to avoid. */
  avoid: string[];
}

/** Splits the search box's text into the phrase to look for and the phrases to avoid. */
export function parseQueryText(text: string): QueryText {
  const avoid: string[] = [];
  const rest: string[] = [];
  const token = /(^|\s)-"([^"]*)"?|(^|\s)-(\S+)|(\S+)/g;
  for (let m = token.exec(text); m !== null; m = token.exec(text)) {
    const quoted = m[2];
    const word = m[4];
    if (quoted !== undefined) {
      if (quoted.trim()) avoid.push(quoted.trim());
    } else if (word !== undefined) avoid.push(word);
    else if (m[5] !== undefined) rest.push(m[5]);
  }
  return { phrase: rest.join(' ').replace(/"/g, '').trim(), avoid };
}
