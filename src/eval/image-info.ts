/**
 * ImageInfo: counts, pixel areas, sizes and names of the GIF, PNG and JPEG parts of a message,
 * as SpamAssassin 4.0.1's ImageInfo plugin reads them. Only base64 leaves of type image/gif,
 * image/png, image/jpeg or image/jpg are looked at; a size comes from the image's own header
 * (GIF logical screen, PNG IHDR, JPEG start-of-frame), and a part whose size cannot be read
 * still counts as an image of its type.
 */
import type { ScanContext } from '../engine/context';
import type { EvalArg } from '../engine/types';
import type { MimePart } from '../message/types';
import { regexArg, validateRegexArg } from './regex-arg';
import { numArg, strArg, type EvalDef } from './registry';

type ImageType = 'gif' | 'png' | 'jpeg';
const TYPES: readonly ImageType[] = ['gif', 'png', 'jpeg'];

/** What the image parts of one message add up to, per type and for `all`. */
interface ImageFacts {
  readonly count: Map<string, number>;
  /** Sum of width x height. */
  readonly pixels: Map<string, number>;
  /** `HxW` sizes seen. */
  readonly sizes: Map<string, Set<string>>;
  /** File names of the images whose size was read. */
  readonly names: Set<string>;
}

/** Width and height from a GIF's logical screen descriptor. */
function gifSize(b: Buffer): [number, number] | undefined {
  if (b.length < 10 || b.toString('latin1', 0, 6) !== 'GIF87a' && b.toString('latin1', 0, 6) !== 'GIF89a') return undefined;
  return [b.readUInt16LE(6), b.readUInt16LE(8)];
}

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Width and height from a PNG's IHDR chunk. Like SpamAssassin, the search steps 8 bytes at a
 * time (length + type) and stops at IEND; IHDR is the first chunk of any valid PNG.
 */
function pngSize(b: Buffer): [number, number] | undefined {
  if (b.length < 8 || !b.subarray(0, 8).equals(PNG_MAGIC)) return undefined;
  for (let pos = 8; pos + 8 <= b.length; pos += 8) {
    const type = b.toString('latin1', pos + 4, pos + 8);
    if (type === 'IEND') return undefined;
    if (type === 'IHDR' && b.readUInt32BE(pos) === 13 && pos + 16 <= b.length) return [b.readUInt32BE(pos + 8), b.readUInt32BE(pos + 12)];
  }
  return undefined;
}

/** Start-of-frame markers (baseline, progressive, lossless, arithmetic): not DHT, JPG or DAC. */
function isStartOfFrame(mark: number): boolean {
  return mark >= 0xc0 && mark <= 0xcf && mark !== 0xc4 && mark !== 0xc8 && mark !== 0xcc;
}

/** Width and height from a JPEG's start-of-frame segment, walking segments from SOI up to SOS/EOI. */
function jpegSize(b: Buffer): [number, number] | undefined {
  if (b.length < 2 || b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let pos = 2;
  while (pos + 4 <= b.length) {
    const mark = b[pos + 1]!;
    const len = b.readUInt16BE(pos + 2);
    if (b[pos] !== 0xff || mark === 0xda || mark === 0xd9 || len < 2) return undefined;
    pos += 4;
    if (isStartOfFrame(mark)) return pos + 5 <= b.length ? [b.readUInt16BE(pos + 3), b.readUInt16BE(pos + 1)] : undefined;
    pos += len - 2;
  }
  return undefined;
}

function imageType(p: MimePart): ImageType | undefined {
  const m = /^image\/(gif|png|jpe?g)$/.exec(p.type);
  if (!m || p.encoding !== 'base64') return undefined;
  return m[1] === 'jpg' ? 'jpeg' : (m[1] as ImageType);
}

function readFacts(ctx: ScanContext): ImageFacts {
  const facts: ImageFacts = { count: new Map(), pixels: new Map(), sizes: new Map(), names: new Set() };
  const add = (map: Map<string, number>, k: string, n: number): void => void map.set(k, (map.get(k) ?? 0) + n);
  for (const p of ctx.msg.leaves) {
    const type = imageType(p);
    if (type === undefined) continue;
    add(facts.count, type, 1);
    add(facts.count, 'all', 1);
    const data = p.decoded();
    const wh = type === 'gif' ? gifSize(data) : type === 'png' ? pngSize(data) : jpegSize(data);
    if (!wh || wh[0] === 0 || wh[1] === 0) continue;
    const [w, h] = wh;
    add(facts.pixels, type, w * h);
    add(facts.pixels, 'all', w * h);
    for (const k of [type, 'all']) {
      let s = facts.sizes.get(k);
      if (!s) facts.sizes.set(k, (s = new Set()));
      s.add(`${h}x${w}`);
    }
    if (p.filename) facts.names.add(p.filename);
  }
  return facts;
}

function facts(ctx: ScanContext): ImageFacts {
  let f = ctx.pluginState.get('imageinfo') as ImageFacts | undefined;
  if (!f) ctx.pluginState.set('imageinfo', (f = readFacts(ctx)));
  return f;
}

/** `min <= value <= max` (max optional); with `openMax`, value must stay below max. */
function inRange(value: number, args: readonly EvalArg[], minAt: number, openMax = false): boolean {
  const min = numArg(args, minAt, NaN);
  const max = numArg(args, minAt + 1, NaN);
  if (Number.isNaN(min) || value < min) return false;
  if (!Number.isNaN(max) && (value > max || (openMax && value === max))) return false;
  return true;
}

/** Type argument, checked against what the plugin counts. */
function typeArg(args: readonly EvalArg[]): string | undefined {
  const t = strArg(args, 0);
  return t === 'all' || TYPES.includes(t as ImageType) ? t : undefined;
}

function imageCount(ctx: ScanContext, args: readonly EvalArg[]): boolean {
  const t = typeArg(args);
  return t !== undefined && inRange(facts(ctx).count.get(t) ?? 0, args, 1);
}

function pixelCoverage(ctx: ScanContext, args: readonly EvalArg[]): boolean {
  const t = typeArg(args);
  return t !== undefined && inRange(facts(ctx).pixels.get(t) ?? 0, args, 1);
}

/** Text length (of the lines the rule reads: rendered body or raw body) per image pixel. */
function imageToTextRatio(ctx: ScanContext, args: readonly EvalArg[], area?: string): boolean {
  const t = typeArg(args);
  if (t === undefined || strArg(args, 2) === undefined) return false;
  const pixels = facts(ctx).pixels.get(t) ?? 0;
  const lines = area === 'rawbody' ? ctx.rawBodyLines() : ctx.bodyLines();
  const textLen = lines.reduce((n, l) => n + l.length, 0);
  return textLen > 0 && pixels > 0 && inRange(textLen / pixels, args, 1, true);
}

function imageSizeExact(ctx: ScanContext, args: readonly EvalArg[]): boolean {
  const t = typeArg(args);
  const h = strArg(args, 1);
  const w = strArg(args, 2);
  return t !== undefined && h !== undefined && w !== undefined && (facts(ctx).sizes.get(t)?.has(`${h}x${w}`) ?? false);
}

function imageSizeRange(ctx: ScanContext, args: readonly EvalArg[]): boolean {
  const t = typeArg(args);
  const [minH, minW, maxH, maxW] = [1, 2, 3, 4].map((i) => numArg(args, i, NaN)) as [number, number, number, number];
  if (t === undefined || Number.isNaN(minH) || Number.isNaN(minW)) return false;
  for (const s of facts(ctx).sizes.get(t) ?? []) {
    const [h, w] = s.split('x').map(Number) as [number, number];
    if (h >= minH && w >= minW && !(h > maxH) && !(w > maxW)) return true;
  }
  return false;
}

function imageNamed(ctx: ScanContext, args: readonly EvalArg[]): boolean {
  const name = strArg(args, 0);
  return name !== undefined && facts(ctx).names.has(name);
}

function imageNameRegex(ctx: ScanContext, args: readonly EvalArg[]): boolean {
  const re = regexArg(args, 0);
  return re instanceof RegExp && [...facts(ctx).names].some((n) => re.test(n));
}

const BODY = ['body', 'rawbody'] as const;

export const imageInfoEvals: readonly EvalDef[] = [
  { name: 'image_count', areas: BODY, fn: imageCount },
  { name: 'pixel_coverage', areas: BODY, fn: pixelCoverage },
  { name: 'image_to_text_ratio', areas: BODY, fn: imageToTextRatio },
  { name: 'image_size_exact', areas: BODY, fn: imageSizeExact },
  { name: 'image_size_range', areas: BODY, fn: imageSizeRange },
  { name: 'image_named', areas: BODY, fn: imageNamed },
  { name: 'image_name_regex', areas: BODY, fn: imageNameRegex, validate: validateRegexArg(0, false) },
];
