/**
 * The QSD301 file is ASCII (seed 000 §5.1), but CBS names are not: "Súdwest-Fryslân",
 * "Sint Odiliënberg", "Ohé en Laak". Letters lose their diacritics (NFD, combining marks
 * dropped); what is left outside printable ASCII becomes '?', which the checks then report.
 */
export function toAscii(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, '-')
    .replace(/[^\x20-\x7e]/g, '?');
}
