// Draws the app icon and the tray icons and writes them as PNG files, with
// nothing but zlib: `npm run icons` regenerates resources/ byte for byte.
// Tray states differ by shape as well as colour (circle / triangle / square)
// so they read for colour-blind people and on monochrome panels.
import { Buffer } from 'node:buffer';
import process from 'node:process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---- PNG encoding (RGBA, 8 bit, no interlace) ----
const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
export function encodePng(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- drawing: shapes as inside(x, y) tests in a unit square, 4x4 supersampled ----
function hex(c) {
  return [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];
}
/** layers: [{ inside(u, v) -> boolean, color: '#rrggbb' }], painted in order. */
function render(size, layers) {
  const out = Buffer.alloc(size * size * 4);
  const S = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const u = (x + (sx + 0.5) / S) / size;
          const v = (y + (sy + 0.5) / S) / size;
          let px = null;
          for (const layer of layers) if (layer.inside(u, v)) px = hex(layer.color);
          if (px) { r += px[0]; g += px[1]; b += px[2]; a += 1; }
        }
      }
      const i = (y * size + x) * 4;
      if (a) {
        out[i] = Math.round(r / a); out[i + 1] = Math.round(g / a); out[i + 2] = Math.round(b / a);
        out[i + 3] = Math.round((255 * a) / (S * S));
      }
    }
  }
  return encodePng(size, size, out);
}

const circle = (cx, cy, rad) => (u, v) => (u - cx) ** 2 + (v - cy) ** 2 <= rad ** 2;
const ring = (cx, cy, r1, r2) => (u, v) => { const d = Math.hypot(u - cx, v - cy); return d >= r1 && d <= r2; };
const roundedSquare = (m, rad) => (u, v) => {
  const x = Math.min(Math.max(u, m + rad), 1 - m - rad);
  const y = Math.min(Math.max(v, m + rad), 1 - m - rad);
  return u >= m && u <= 1 - m && v >= m && v <= 1 - m && (u - x) ** 2 + (v - y) ** 2 <= rad ** 2;
};
const triangle = (m) => (u, v) => {
  // Apex at top centre, base at the bottom.
  const top = m, bottom = 1 - m * 1.2;
  if (v < top || v > bottom) return false;
  const half = ((v - top) / (bottom - top)) * (0.5 - m);
  return Math.abs(u - 0.5) <= half;
};
const rect = (x0, y0, x1, y1) => (u, v) => u >= x0 && u <= x1 && v >= y0 && v <= y1;
const segment = (x0, y0, x1, y1, w) => (u, v) => {
  const dx = x1 - x0, dy = y1 - y0;
  const t = Math.max(0, Math.min(1, ((u - x0) * dx + (v - y0) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(u - (x0 + t * dx), v - (y0 + t * dy)) <= w / 2;
};

// App icon: blue tile, a phone "node" on the left relayed to a broadcasting node on the right.
function appIcon(size) {
  const tile = roundedSquare(0.06, 0.2);
  const within = (shape) => (u, v) => tile(u, v) && shape(u, v);
  return render(size, [
    { inside: tile, color: '#1f5fbf' },
    { inside: within(ring(0.64, 0.42, 0.27, 0.3)), color: '#4f86d9' },
    { inside: within(ring(0.64, 0.42, 0.19, 0.22)), color: '#86aef0' },
    { inside: segment(0.32, 0.64, 0.64, 0.42, 0.06), color: '#ffffff' },
    { inside: circle(0.32, 0.64, 0.11), color: '#ffffff' },
    { inside: circle(0.32, 0.64, 0.055), color: '#1f5fbf' },
    { inside: circle(0.64, 0.42, 0.11), color: '#ffffff' },
  ]);
}

const TRAY = {
  ok: [{ inside: circle(0.5, 0.5, 0.44), color: '#1a7f37' }, { inside: circle(0.5, 0.5, 0.34), color: '#2da44e' }],
  degraded: [{ inside: triangle(0.04), color: '#9a6700' }, { inside: triangle(0.16), color: '#d4a72c' }],
  down: [
    { inside: roundedSquare(0.08, 0.12), color: '#a40e26' },
    { inside: roundedSquare(0.16, 0.08), color: '#cf222e' },
    { inside: rect(0.3, 0.45, 0.7, 0.55), color: '#ffffff' },
  ],
};

export function makeIcons(outRoot = path.join(root, 'resources')) {
  const files = { 'icon.png': appIcon(512) };
  for (const [state, layers] of Object.entries(TRAY)) {
    files[`tray/tray-${state}.png`] = render(16, layers);
    files[`tray/tray-${state}@2x.png`] = render(32, layers);
  }
  for (const [rel, data] of Object.entries(files)) {
    const file = path.join(outRoot, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
  }
  return Object.keys(files);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const f of makeIcons()) process.stdout.write(`wrote resources/${f}\n`);
}
