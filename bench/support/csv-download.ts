// Streams a CSV answer and counts its rows without keeping it: the client
// must not be what limits an export measured at a million rows.
import http from 'node:http';

export interface CsvDownload { status: number; rows: number; bytes: number; seconds: number; contentType: string }

export function downloadCsv(url: string, headers: Record<string, string> = {}): Promise<CsvDownload> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      let newlines = 0;
      let bytes = 0;
      let lastByte = 0x0a;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        let i = chunk.indexOf(0x0a);
        while (i !== -1) {
          newlines += 1;
          i = chunk.indexOf(0x0a, i + 1);
        }
        lastByte = chunk[chunk.length - 1] ?? lastByte;
      });
      res.on('end', () => {
        // Header line excluded; a last line without a newline still counts.
        const lines = newlines + (lastByte === 0x0a || bytes === 0 ? 0 : 1);
        resolve({
          status: res.statusCode ?? 0,
          rows: Math.max(0, lines - 1),
          bytes,
          seconds: (performance.now() - t0) / 1000,
          contentType: String(res.headers['content-type'] ?? ''),
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}
