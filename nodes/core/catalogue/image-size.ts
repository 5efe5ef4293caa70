/**
 * The type and pixel size of a PNG (IHDR) or JPEG (first SOF marker), read from the bytes without a decoder.
 * Bounded: the JPEG walk moves forward by each segment's length and stops at the end of the buffer.
 */
export interface ImageSize {
  type: 'png' | 'jpeg' | 'unknown';
  width: number;
  height: number;
}

export function imageSize(data: Buffer): ImageSize {
  if (data.length >= 24 && data.readUInt32BE(0) === 0x89504e47 && data.toString('latin1', 12, 16) === 'IHDR') {
    return { type: 'png', width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  }
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return { type: 'unknown', width: 0, height: 0 };
  let offset = 2;
  while (offset + 9 < data.length && data[offset] === 0xff) {
    const marker = data[offset + 1]!;
    // SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { type: 'jpeg', width: data.readUInt16BE(offset + 7), height: data.readUInt16BE(offset + 5) };
    }
    offset += 2 + data.readUInt16BE(offset + 2);
  }
  return { type: 'jpeg', width: 0, height: 0 };
}
