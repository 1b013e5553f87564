import type { Request } from 'express';
import QRCode from 'qrcode';

/** A one-time link as text to copy and as a QR code (inline SVG) for a phone to scan. */
export async function oneTimeLink(req: Request, path: string): Promise<{ url: string; qrSvg: string }> {
  // req.protocol honours X-Forwarded-Proto only when TRUST_PROXY says the proxy is trusted.
  const url = `${req.protocol}://${req.get('host') ?? 'localhost'}${path}`;
  const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { url, qrSvg };
}
