/** Reads a QR code from a photo (a plain browser's "scan": the camera's picture), loaded only when used. */
export async function readQrFromImage(file: Blob): Promise<string | null> {
  const { default: jsQR } = await import('jsqr');
  const bitmap = await createImageBitmap(file);
  // Large photos are scaled down: the code still reads and the phone keeps its memory.
  const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
  const width = Math.round(bitmap.width * scale);
  const height = Math.round(bitmap.height * scale);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d', { willReadFrequently: true })!;
  g.drawImage(bitmap, 0, 0, width, height);
  const image = g.getImageData(0, 0, width, height);
  return jsQR(image.data, width, height)?.data ?? null;
}
