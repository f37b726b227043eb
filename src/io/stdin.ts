/** All of standard input as bytes (empty when there is none or it cannot be read). */
import { readFileSync } from 'node:fs';

export function readStdin(): Buffer {
  try {
    return readFileSync(0);
  } catch {
    return Buffer.alloc(0);
  }
}
