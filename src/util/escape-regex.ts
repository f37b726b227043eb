/** A string as a regex source that matches exactly it (every metacharacter escaped). */
export function escapeRegex(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}
