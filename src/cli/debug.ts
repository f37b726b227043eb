/** `-D [areas]`: debug lines on stderr, as `dbg: area: text`, for the areas asked (all by default). */

export type DebugArea = 'config' | 'message' | 'rules' | 'check' | 'dns' | 'markup';

export type Debug = (area: DebugArea, text: string) => void;

const quiet: Debug = () => undefined;

/** A debug printer; `areas` is `-D`'s value (true or `all` for everything, else a comma list; `no` prefixes exclude). */
export function makeDebug(areas: string | boolean | undefined, write: (s: string) => void): Debug {
  if (areas === undefined || areas === false) return quiet;
  const list = typeof areas === 'string' ? areas.toLowerCase().split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
  const all = list.length === 0 || list.includes('all');
  const on = new Set(list.filter((a) => !a.startsWith('no')));
  const off = new Set(list.filter((a) => a.startsWith('no')).map((a) => a.slice(2)));
  return (area, text) => {
    if (off.has(area) || !(all || on.has(area))) return;
    for (const line of text.split('\n')) write(`dbg: ${area}: ${line}\n`);
  };
}
