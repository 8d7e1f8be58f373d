import { Resvg } from '@resvg/resvg-js';
import QRCode from 'qrcode';

/** Side of the PNG, in pixels: sharp on a projector, and when printed on A4. */
const SIZE = 1024;

/**
 * The sign-in link as a QR code PNG for a projector or a printed sheet: 1,024 px square with
 * the standard quiet zone, and medium error correction (a phone reads it from the back of a
 * room, and through Telegram's recompression of photos). Drawn as SVG by qrcode and rasterised
 * by resvg (native): qrcode's own PNG writer takes seconds in pure JavaScript at this size.
 */
export async function signinQrPng(link: string): Promise<Buffer> {
  const svg = await QRCode.toString(link, { type: 'svg', margin: 4, errorCorrectionLevel: 'M' });
  return new Resvg(svg, { fitTo: { mode: 'width', value: SIZE }, background: '#ffffff', shapeRendering: 0 }).render().asPng();
}
