/**
 * ImageInfo's evals on small images of our own (header bytes only). The expected hits are what
 * SpamAssassin 4.0.1 answered on the same messages with the same rules (`spamassassin -L -t --cf`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkMessage } from '../../src/check/index';
import { rulesFrom } from '../helpers/net-check';

function png(w: number, h: number): Buffer {
  const b = Buffer.alloc(45);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write('IHDR', 12, 'latin1');
  b.writeUInt32BE(w, 16);
  b.writeUInt32BE(h, 20);
  b[24] = 8;
  b.write('IEND', 37, 'latin1');
  return b;
}

function gif(w: number, h: number): Buffer {
  const b = Buffer.alloc(13);
  b.write('GIF89a', 0, 'latin1');
  b.writeUInt16LE(w, 6);
  b.writeUInt16LE(h, 8);
  return b;
}

/** SOI, an APP0 segment to skip, then a baseline start-of-frame. */
function jpeg(w: number, h: number): Buffer {
  const sof = [0xff, 0xc0, 0, 17, 8, h >> 8, h & 255, w >> 8, w & 255, 3];
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16]), Buffer.alloc(14), Buffer.from(sof), Buffer.alloc(9), Buffer.from([0xff, 0xd9])]);
}

function message(images: ReadonlyArray<[type: string, name: string, data: Buffer]>): Buffer {
  const parts = images.map(([type, name, data]) =>
    [`--B`, `Content-Type: ${type}; name="${name}"`, 'Content-Transfer-Encoding: base64', `Content-Disposition: attachment; filename="${name}"`, '', data.toString('base64'), ''].join('\n'),
  );
  return Buffer.from(
    ['From: Jo <jo@example.com>', 'To: a@example.org', 'Subject: pictures', 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="B"', '', '--B', 'Content-Type: text/plain', '', 'see the pictures', ...parts, '--B--', ''].join('\n'),
  );
}

const RULES = rulesFrom(
  [
    'body __PNG_1 eval:image_count("png",1,1)',
    'body __PNG_180K eval:pixel_coverage("png",180000,475000)',
    'meta PNG_UNO_LARGO __PNG_1 && __PNG_180K',
    'body T_IC_PNG1 eval:image_count("png",1,1)',
    'body T_IC_ALL3 eval:image_count("all",3)',
    'body T_PC_ALL eval:pixel_coverage("all",260100,260100)',
    'body T_PC_GIF eval:pixel_coverage("gif",200000,200000)',
    'body T_SZ_JPEG eval:image_size_exact("jpeg",200,300)',
    'body T_SZ_JPEG_NO eval:image_size_exact("jpeg",300,200)',
    'body T_SZR_GIF eval:image_size_range("gif",400,500)',
    'body T_SZR_GIF_NO eval:image_size_range("gif",400,500,450,499)',
    'body T_NAMED eval:image_named("c.jpg")',
    'body T_NAMERE eval:image_name_regex("^d\\.png$")',
    'body T_RATIO eval:image_to_text_ratio("all","0.000","0.001")',
    'rawbody T_RATIO_RAW eval:image_to_text_ratio("all","0.000","0.001")',
    'body T_RATIO_NO eval:image_to_text_ratio("all","0.001","0.9")',
  ].join('\n'),
);

const hits = (m: Buffer): readonly string[] => checkMessage(m, RULES).result.tests;

test('one large PNG: count, pixel coverage and text ratio hit, the stock-style meta fires', () => {
  assert.deepEqual(hits(message([['image/png', 'a.png', png(600, 400)]])), ['PNG_UNO_LARGO', 'T_IC_PNG1', 'T_RATIO', 'T_RATIO_RAW']);
});

test('a GIF, a JPEG typed image/jpg and a small PNG: per-type and all counts, sizes (height x width), names', () => {
  const m = message([['image/gif', 'b.gif', gif(500, 400)], ['image/jpg', 'c.jpg', jpeg(300, 200)], ['image/png', 'd.png', png(10, 10)]]);
  assert.deepEqual(hits(m), ['T_IC_ALL3', 'T_IC_PNG1', 'T_NAMED', 'T_NAMERE', 'T_PC_ALL', 'T_PC_GIF', 'T_RATIO', 'T_RATIO_RAW', 'T_SZR_GIF', 'T_SZ_JPEG']);
});

test('an image part that is not base64, or not an image by its bytes, adds no size', () => {
  const plainPng = Buffer.from(
    ['From: a@example.com', 'Content-Type: multipart/mixed; boundary="B"', '', '--B', 'Content-Type: image/png', '', 'not really', '--B--', ''].join('\n'),
  );
  assert.deepEqual(hits(plainPng), []);
  assert.deepEqual(hits(message([['image/png', 'x.png', Buffer.from('not a png at all')]])), ['T_IC_PNG1']);
});
