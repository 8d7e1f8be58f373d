import QRCode from 'qrcode';

/**
 * The sign-in link as a QR code PNG for a projector or a printed sheet: 1,024 px square with
 * the standard quiet zone, and medium error correction (a phone reads it from the back of a
 * room, and through Telegram's recompression of photos).
 */
export function signinQrPng(link: string): Promise<Buffer> {
  return QRCode.toBuffer(link, { type: 'png', width: 1024, margin: 4, errorCorrectionLevel: 'M' });
}
