// Draws the app's icons (web-client/public/icons/): a white cross on the header's teal, as PNGs written with zlib alone.
// The maskable one keeps the cross within the middle 40 %, well inside the circle (80 % across) every launcher's mask leaves.
// Run with `node scripts/make-icons.mjs` from web-client/ after changing the drawing; the PNGs are committed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const teal = [0x0b, 0x5f, 0x68];
const white = [0xff, 0xff, 0xff];

/** A square of `size` pixels: teal, with a plus `span` of the side wide and a third of that thick, centred. */
function cross(size, span) {
  const arm = Math.round(size * span / 2);
  const half = Math.round(arm / 3);
  const centre = size / 2;
  const rows = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3); // filter byte 0 (none), then RGB
    for (let x = 0; x < size; x++) {
      const dx = Math.abs(x + 0.5 - centre);
      const dy = Math.abs(y + 0.5 - centre);
      const inside = (dx < half && dy < arm) || (dy < half && dx < arm);
      Buffer.from(inside ? white : teal).copy(row, 1 + x * 3);
    }
    rows.push(row);
  }
  return png(size, Buffer.concat(rows));
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function png(size, scanlines) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // truecolour (RGB)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

writeFileSync('public/icons/icon-192.png', cross(192, 0.6));
writeFileSync('public/icons/icon-512.png', cross(512, 0.6));
writeFileSync('public/icons/maskable-512.png', cross(512, 0.4));
