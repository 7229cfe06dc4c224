import { createWriteStream, existsSync } from 'node:fs';

/**
 * A national-size table in the format of CBS "buurt, wijk en gemeente voor postcode-huisnummer":
 * 342 gemeenten × 23,400 addresses ≈ 8.0 million rows (≈ 258 MB), Hoorn (0405) among them.
 */
export async function generatePc6Table(file: string): Promise<void> {
  if (existsSync(file)) return;
  const out = createWriteStream(file);
  out.write('PC6;Huisnummer;Buurt2024;Wijk2024;Gemeente2024\r\n');
  for (let g = 0; g < 342; g++) {
    const gm = g === 100 ? '0405' : String(1000 + g).padStart(4, '0');
    let buffer = '';
    for (let i = 0; i < 23_400; i++) {
      const pc = `${1000 + ((g * 23 + (i >> 6)) % 8999)}${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + ((i >> 3) % 26))}`;
      const wijk = `${gm}${String(i % 20).padStart(2, '0')}`;
      buffer += `${pc};${1 + (i % 150)};${wijk}01;${wijk};${gm}\r\n`;
    }
    if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => out.end(() => resolve()));
}
