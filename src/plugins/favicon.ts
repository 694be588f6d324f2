/**
 * /favicon.ico, drawn here rather than shipped as a binary: browsers and crawlers ask for it
 * whatever the page's <link rel="icon"> says. The same mark as web/public/favicon.svg — an
 * indigo rounded square with five white sound bars — as a 32×32, 32-bit ICO.
 */
const SIZE = 32;
const INDIGO: [number, number, number] = [0x4f, 0x46, 0xe5];
/** Sound bars: x centre and y extent, as in favicon.svg (stroke 2.4, round caps). */
const BARS: Array<[x: number, top: number, bottom: number]> = [
  [9, 13, 19],
  [13, 10, 22],
  [17, 7, 25],
  [21, 11, 21],
  [25, 14, 18],
];

function insideRoundedSquare(x: number, y: number, radius = 8): boolean {
  const cx = Math.min(Math.max(x, radius), SIZE - radius);
  const cy = Math.min(Math.max(y, radius), SIZE - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

function onBar(x: number, y: number, half = 1.2): boolean {
  return BARS.some(([bx, top, bottom]) => {
    const dy = y < top ? top - y : y > bottom ? y - bottom : 0;
    return (x - bx) ** 2 + dy ** 2 <= half ** 2;
  });
}

/** RGBA of the pixel whose centre is (x + .5, y + .5), top row first. */
export function faviconPixel(x: number, y: number): [number, number, number, number] {
  const px = x + 0.5;
  const py = y + 0.5;
  if (!insideRoundedSquare(px, py)) return [0, 0, 0, 0];
  return onBar(px, py) ? [255, 255, 255, 255] : [...INDIGO, 255];
}

export function faviconIco(): Buffer {
  const pixels = Buffer.alloc(SIZE * SIZE * 4);
  // A BMP inside an ICO stores rows bottom-up, BGRA.
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const [r, g, b, a] = faviconPixel(x, SIZE - 1 - y);
      pixels.set([b, g, r, a], (y * SIZE + x) * 4);
    }
  }
  const mask = Buffer.alloc((SIZE * SIZE) / 8); // AND mask unused with 32-bit alpha; all zero
  const bitmap = Buffer.alloc(40);
  bitmap.writeUInt32LE(40, 0); // BITMAPINFOHEADER size
  bitmap.writeInt32LE(SIZE, 4);
  bitmap.writeInt32LE(SIZE * 2, 8); // colour rows + mask rows
  bitmap.writeUInt16LE(1, 12); // planes
  bitmap.writeUInt16LE(32, 14); // bits per pixel
  bitmap.writeUInt32LE(pixels.length + mask.length, 20);
  const image = Buffer.concat([bitmap, pixels, mask]);
  const header = Buffer.alloc(6 + 16);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  header.writeUInt8(SIZE, 6);
  header.writeUInt8(SIZE, 7);
  header.writeUInt16LE(1, 10); // planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(image.length, 14);
  header.writeUInt32LE(header.length, 18);
  return Buffer.concat([header, image]);
}
