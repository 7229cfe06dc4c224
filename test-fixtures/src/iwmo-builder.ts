/**
 * Writes iWmo messages that validate against the XSDs in shared/reference/iwmo-xsd, from compact
 * descriptions: WMO323/WMO325 (iWmo 3.2), WMO303/WMO304 (iWmo 2.3) and WMO301 (3.2). Used to make
 * the fixtures in test-fixtures/ and by the benchmark generator. Follows the fixture checklist of
 * shared/reference/iwmo-digest.md §12: totals per TR358, answers per IV087/TR342, credits per IV091.
 */

export interface PerformanceSpec {
  ref: string;
  /** VorigReferentieNummer: set on credits. */
  prev?: string;
  allocation?: number;
  category: string;
  code: string;
  start: string;
  end: string;
  volume: number;
  /** Eenheid; 04 = uur */
  unit?: string;
  /** ProductTarief in cents; amount = volume × tariff unless `amount` is given */
  tariff?: number;
  amount?: number;
  dc?: 'D' | 'C';
}

export interface ClientSpec {
  bsn: string;
  /** 2.x messages carry the birth date */
  birthDate?: string;
  performances: PerformanceSpec[];
}

export interface Declaration3Spec {
  provider: string;
  municipality: string;
  /** BerichtIdentificatie/Identificatie */
  id: string;
  /** BerichtIdentificatie/Dagtekening */
  date: string;
  declarationNumber: string;
  /** the declared month, YYYY-MM */
  month: string;
  clients: ClientSpec[];
}

export interface Answer3Spec {
  id: string;
  date: string;
  /** Only a Header with this code (e.g. 0001): the declaration counts as not sent. */
  headerOnly?: string;
  /** A rejection code on the DeclaratieAntwoord (e.g. 9333): nothing is processed. */
  declarationCode?: string;
  /** Rejections per client: a client code rejects the client (its performances get 0233). */
  rejections?: { bsn: string; clientCode?: string; refs?: Record<string, string[]> }[];
}

const NS3 = 'http://www.istandaarden.nl/iwmo/3_2';
const NS2 = 'http://www.istandaarden.nl/iwmo/2_3';

export function amountOf(p: PerformanceSpec): number {
  return p.amount ?? p.volume * (p.tariff ?? 0);
}

export function signedAmount(p: PerformanceSpec): number {
  return (p.dc ?? 'D') === 'C' ? -amountOf(p) : amountOf(p);
}

function total(cents: number, tag = 'TotaalBedrag'): string {
  return `<b:${tag}>${Math.abs(cents)}</b:${tag}><b:DebetCredit>${cents < 0 ? 'C' : 'D'}</b:DebetCredit>`;
}

function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

function prestatie3(p: PerformanceSpec, m: string, extra = ''): string {
  return (
    `<${m}:Prestatie>` +
    `<${m}:ProductReferentie><b:ReferentieNummer>${p.ref}</b:ReferentieNummer>${p.prev ? `<b:VorigReferentieNummer>${p.prev}</b:VorigReferentieNummer>` : ''}</${m}:ProductReferentie>` +
    `<${m}:ToewijzingNummer>${p.allocation ?? 1000}</${m}:ToewijzingNummer>` +
    `<${m}:ProductCategorie>${p.category}</${m}:ProductCategorie><${m}:ProductCode>${p.code}</${m}:ProductCode>` +
    `<${m}:ProductPeriode><b:Begindatum>${p.start}</b:Begindatum><b:Einddatum>${p.end}</b:Einddatum></${m}:ProductPeriode>` +
    `<${m}:GeleverdVolume>${p.volume}</${m}:GeleverdVolume><${m}:Eenheid>${p.unit ?? '04'}</${m}:Eenheid>` +
    (p.tariff !== undefined ? `<${m}:ProductTarief>${p.tariff}</${m}:ProductTarief>` : '') +
    `<${m}:IngediendBedrag><b:Bedrag>${amountOf(p)}</b:Bedrag><b:DebetCredit>${p.dc ?? 'D'}</b:DebetCredit></${m}:IngediendBedrag>` +
    extra +
    `</${m}:Prestatie>\n`
  );
}

function retourCodes(m: string, codes: string[]): string {
  return `<${m}:RetourCodes>${codes.map((c) => `<${m}:RetourCode>${c}</${m}:RetourCode>`).join('')}</${m}:RetourCodes>`;
}

/** The start of a 3.2 message whose Header is the plain one (WMO301, 305, 307, 323): root element and Header. */
function open3(prefix: string, message: string, code: string, from: string, to: string, id: string, date: string): string {
  const m = prefix;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<${m}:Bericht xmlns:${m}="${NS3}/${message}/schema" xmlns:b="${NS3}/basisschema/schema">\n` +
    `<${m}:Header><${m}:BerichtCode>${code}</${m}:BerichtCode><${m}:BerichtVersie>3</${m}:BerichtVersie><${m}:BerichtSubversie>2</${m}:BerichtSubversie>` +
    `<${m}:Afzender>${from}</${m}:Afzender><${m}:Ontvanger>${to}</${m}:Ontvanger>` +
    `<${m}:BerichtIdentificatie><b:Identificatie>${id}</b:Identificatie><b:Dagtekening>${date}</b:Dagtekening></${m}:BerichtIdentificatie>` +
    `<${m}:XsdVersie><b:BasisschemaXsdVersie>1.0.0</b:BasisschemaXsdVersie><b:BerichtXsdVersie>1.0.0</b:BerichtXsdVersie></${m}:XsdVersie></${m}:Header>\n`
  );
}

export function wmo323(spec: Declaration3Spec): string {
  const sum = spec.clients.flatMap((c) => c.performances).reduce((s, p) => s + signedAmount(p), 0);
  return (
    open3('w', 'wmo323', '484', spec.provider, spec.municipality, spec.id, spec.date) +
    `<w:Declaratie><w:DeclaratieNummer>${spec.declarationNumber}</w:DeclaratieNummer>` +
    `<w:DeclaratiePeriode><b:Begindatum>${spec.month}-01</b:Begindatum><b:Einddatum>${lastDay(spec.month)}</b:Einddatum></w:DeclaratiePeriode>` +
    `<w:DeclaratieDagtekening>${spec.date}</w:DeclaratieDagtekening>` +
    `<w:TotaalIngediendBedrag>${total(sum)}</w:TotaalIngediendBedrag>\n<w:Clienten>\n` +
    spec.clients
      .map((c) => `<w:Client><w:Bsn>${c.bsn}</w:Bsn><w:Prestaties>\n${c.performances.map((p) => prestatie3(p, 'w')).join('')}</w:Prestaties></w:Client>\n`)
      .join('') +
    `</w:Clienten></w:Declaratie>\n</w:Bericht>\n`
  );
}

export function wmo325(declaration: Declaration3Spec, answer: Answer3Spec): string {
  const submitted = declaration.clients.flatMap((c) => c.performances).reduce((s, p) => s + signedAmount(p), 0);
  const header =
    `<a:Header><a:BerichtCode>485</a:BerichtCode><a:BerichtVersie>3</a:BerichtVersie><a:BerichtSubversie>2</a:BerichtSubversie>` +
    `<a:Afzender>${declaration.municipality}</a:Afzender><a:Ontvanger>${declaration.provider}</a:Ontvanger>` +
    `<a:BerichtIdentificatie><b:Identificatie>${answer.id}</b:Identificatie><b:Dagtekening>${answer.date}</b:Dagtekening></a:BerichtIdentificatie>` +
    `<a:XsdVersie><b:BasisschemaXsdVersie>1.0.0</b:BasisschemaXsdVersie><b:BerichtXsdVersie>1.0.0</b:BerichtXsdVersie></a:XsdVersie>` +
    `<a:DeclaratieIdentificatie><b:Identificatie>${declaration.id}</b:Identificatie><b:Dagtekening>${declaration.date}</b:Dagtekening></a:DeclaratieIdentificatie>` +
    (answer.headerOnly ? `<a:XsltVersie>1.0.0</a:XsltVersie>` : '') +
    `<a:XsdVersieDeclaratie><b:BasisschemaXsdVersie>1.0.0</b:BasisschemaXsdVersie><b:BerichtXsdVersie>1.0.0</b:BerichtXsdVersie></a:XsdVersieDeclaratie>` +
    retourCodes('a', [answer.headerOnly ?? '0200']) +
    `</a:Header>\n`;
  let body = '';
  if (!answer.headerOnly) {
    let rejected = 0;
    let clients = '';
    if (!answer.declarationCode) {
      for (const r of answer.rejections ?? []) {
        const client = declaration.clients.find((c) => c.bsn === r.bsn);
        if (!client) throw new Error(`no client ${r.bsn} in declaration ${declaration.id}`);
        const lines = client.performances.filter((p) => r.clientCode || r.refs?.[p.ref]);
        for (const p of lines) rejected += signedAmount(p);
        clients +=
          `<a:Client><a:Bsn>${r.bsn}</a:Bsn><a:Prestaties>\n` +
          lines.map((p) => prestatie3(p, 'a', retourCodes('a', r.clientCode ? ['0233'] : r.refs![p.ref]!))).join('') +
          `</a:Prestaties>${retourCodes('a', [r.clientCode ?? '0200'])}</a:Client>\n`;
      }
    }
    const awarded = answer.declarationCode ? 0 : submitted - rejected;
    const code = answer.declarationCode ?? (clients ? '0200' : '8001');
    body =
      `<a:DeclaratieAntwoord><a:DeclaratieNummer>${declaration.declarationNumber}</a:DeclaratieNummer>` +
      `<a:TotaalIngediendBedrag>${total(submitted)}</a:TotaalIngediendBedrag><a:TotaalToegekendBedrag>${total(awarded)}</a:TotaalToegekendBedrag>\n` +
      (clients ? `<a:Clienten>\n${clients}</a:Clienten>` : '') +
      retourCodes('a', [code]) +
      `</a:DeclaratieAntwoord>\n`;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<a:Bericht xmlns:a="${NS3}/wmo325/schema" xmlns:b="${NS3}/basisschema/schema">\n${header}${body}</a:Bericht>\n`;
}

// ---------------------------------------------------------------------------------------------
// iWmo 2.3

export interface Declaration2Spec {
  provider: string;
  municipality: string;
  invoice: string;
  /** DeclaratiePeriode: in the CAK 4-week rhythm, not a calendar month */
  periodStart: string;
  periodEnd: string;
  date: string;
  /** 416 declaratie (default) or 448 factuur */
  code?: '416' | '448';
  clients: (ClientSpec & { birthDate: string })[];
}

export interface Answer2Spec {
  reference: string;
  date: string;
  /** returned performances: awarded amount in cents (0 = rejected), codes */
  returned?: { bsn: string; clientCode?: string; refs: Record<string, { awarded: number; codes: string[] }> }[];
  headerCode?: string;
}

function prestatie2(p: PerformanceSpec, m: string, extra = ''): string {
  return (
    `<${m}:Prestatie>` +
    (p.allocation !== undefined ? `<${m}:ToewijzingNummer>${p.allocation}</${m}:ToewijzingNummer>` : '') +
    `<${m}:ProductCategorie>${p.category}</${m}:ProductCategorie><${m}:ProductCode>${p.code}</${m}:ProductCode>` +
    `<${m}:ProductPeriode><b:Begindatum>${p.start}</b:Begindatum><b:Einddatum>${p.end}</b:Einddatum></${m}:ProductPeriode>` +
    `<${m}:IngediendeBedragPrestatie><b:GeleverdVolume>${p.volume}</b:GeleverdVolume><b:Eenheid>${p.unit ?? '04'}</b:Eenheid>` +
    (p.tariff !== undefined ? `<b:ProductTarief>${p.tariff}</b:ProductTarief>` : '') +
    `<b:DeclaratieFactuurBedrag><b:Bedrag>${amountOf(p)}</b:Bedrag><b:DebetCredit>${p.dc ?? 'D'}</b:DebetCredit></b:DeclaratieFactuurBedrag></${m}:IngediendeBedragPrestatie>` +
    `<${m}:ProductReferentie><b:ReferentieNummer>${p.ref}</b:ReferentieNummer>${p.prev ? `<b:VorigReferentieNummer>${p.prev}</b:VorigReferentieNummer>` : ''}</${m}:ProductReferentie>` +
    extra +
    `</${m}:Prestatie>\n`
  );
}

function client2Head(m: string, c: { bsn: string; birthDate: string }): string {
  // Name and gender are required by the 2.3 schema; fixtures carry a fictitious name.
  return (
    `<${m}:Bsn>${c.bsn}</${m}:Bsn><${m}:Geboortedatum><b:Datum>${c.birthDate}</b:Datum></${m}:Geboortedatum><${m}:Geslacht>0</${m}:Geslacht>` +
    `<${m}:Naam><b:Geslachtsnaam><b:Achternaam>Testpersoon</b:Achternaam></b:Geslachtsnaam><b:Voorletters>T</b:Voorletters></${m}:Naam>`
  );
}

function identification2(spec: Declaration2Spec): string {
  return (
    `<b:DeclaratiePeriode><b:Begindatum>${spec.periodStart}</b:Begindatum><b:Einddatum>${spec.periodEnd}</b:Einddatum></b:DeclaratiePeriode>` +
    `<b:DeclarantFactuurNummer>${spec.invoice}</b:DeclarantFactuurNummer><b:FactuurDagtekening>${spec.date}</b:FactuurDagtekening><b:ValutaCode>EUR</b:ValutaCode>`
  );
}

export function wmo303(spec: Declaration2Spec): string {
  const sum = spec.clients.flatMap((c) => c.performances).reduce((s, p) => s + signedAmount(p), 0);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<d:Bericht xmlns:d="${NS2}/wmo303/schema" xmlns:b="${NS2}/basisschema/schema">\n` +
    `<d:Header><d:BerichtCode>${spec.code ?? '416'}</d:BerichtCode><d:BerichtVersie>2</d:BerichtVersie><d:BerichtSubversie>3</d:BerichtSubversie>` +
    `<d:Gemeente>${spec.municipality}</d:Gemeente><d:Aanbieder>${spec.provider}</d:Aanbieder><d:BetalingAanID>02</d:BetalingAanID>` +
    `<d:DeclaratieFactuurIdentificatie>${identification2(spec)}</d:DeclaratieFactuurIdentificatie>` +
    `<d:DeclaratieFactuurBedragen><b:DeclaratieFactuurTotaalBedrag>${total(sum)}</b:DeclaratieFactuurTotaalBedrag></d:DeclaratieFactuurBedragen></d:Header>\n<d:Clienten>\n` +
    spec.clients.map((c) => `<d:Client>${client2Head('d', c)}<d:Prestaties>\n${c.performances.map((p) => prestatie2(p, 'd')).join('')}</d:Prestaties></d:Client>\n`).join('') +
    `</d:Clienten>\n</d:Bericht>\n`
  );
}

export function wmo304(declaration: Declaration2Spec, answer: Answer2Spec): string {
  const submitted = declaration.clients.flatMap((c) => c.performances).reduce((s, p) => s + signedAmount(p), 0);
  let difference = 0;
  let clients = '';
  for (const r of answer.returned ?? []) {
    const client = declaration.clients.find((c) => c.bsn === r.bsn);
    if (!client) throw new Error(`no client ${r.bsn} in invoice ${declaration.invoice}`);
    const lines = client.performances.filter((p) => r.clientCode || r.refs[p.ref]);
    clients +=
      `<r:Client>${client2Head('r', client)}<r:Prestaties>\n` +
      lines
        .map((p) => {
          const ret = r.clientCode ? { awarded: 0, codes: ['0233'] } : r.refs[p.ref]!;
          difference += signedAmount(p) - ((p.dc ?? 'D') === 'C' ? -ret.awarded : ret.awarded);
          const dc = p.dc ?? 'D';
          return prestatie2(
            p,
            'r',
            `<r:ToegekendeBedragPrestatie><b:GemeenteBerekendBedrag><b:Bedrag>${amountOf(p)}</b:Bedrag><b:DebetCredit>${dc}</b:DebetCredit></b:GemeenteBerekendBedrag>` +
              `<b:ToegekendBedrag><b:Bedrag>${ret.awarded}</b:Bedrag><b:DebetCredit>${dc}</b:DebetCredit></b:ToegekendBedrag></r:ToegekendeBedragPrestatie>` +
              retourCodes('r', ret.codes),
          );
        })
        .join('') +
      `</r:Prestaties>${r.clientCode ? retourCodes('r', [r.clientCode]) : ''}</r:Client>\n`;
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<r:Bericht xmlns:r="${NS2}/wmo304/schema" xmlns:b="${NS2}/basisschema/schema">\n` +
    `<r:Header><r:BerichtCode>${declaration.code === '448' ? '449' : '417'}</r:BerichtCode><r:BerichtVersie>2</r:BerichtVersie><r:BerichtSubversie>3</r:BerichtSubversie>` +
    `<r:Gemeente>${declaration.municipality}</r:Gemeente><r:Aanbieder>${declaration.provider}</r:Aanbieder><r:BetalingAanID>02</r:BetalingAanID>` +
    `<r:DeclaratieFactuurIdentificatie>${identification2(declaration)}</r:DeclaratieFactuurIdentificatie>` +
    `<r:RetourHeader><b:GemeenteReferentieNummer>${answer.reference}</b:GemeenteReferentieNummer><b:RetourDagtekening>${answer.date}</b:RetourDagtekening></r:RetourHeader>` +
    `<r:RetourBedragen><b:IngediendTotaalBedrag>${total(submitted)}</b:IngediendTotaalBedrag><b:ToegekendTotaalBedrag>${total(submitted - difference)}</b:ToegekendTotaalBedrag></r:RetourBedragen>` +
    retourCodes('r', [answer.headerCode ?? '0200']) +
    `</r:Header>\n` +
    (clients ? `<r:Clienten>\n${clients}</r:Clienten>\n` : '') +
    `</r:Bericht>\n`
  );
}

// ---------------------------------------------------------------------------------------------
// WMO301 (3.2): birth date and BRP address of a client, for the client-facts fallback

export interface Allocation301Spec {
  municipality: string;
  provider: string;
  id: string;
  date: string;
  bsn: string;
  birthDate: string;
  postcode: string;
  houseNumber: number;
  products: { allocation: number; category?: string; code?: string; start: string; end?: string; reason?: string }[];
}

export function wmo301(spec: Allocation301Spec): string {
  return (
    open3('t', 'wmo301', '414', spec.municipality, spec.provider, spec.id, spec.date) +
    `<t:Client><t:Bsn>${spec.bsn}</t:Bsn><t:Geboortedatum><b:Datum>${spec.birthDate}</b:Datum></t:Geboortedatum><t:Geslacht>0</t:Geslacht>` +
    `<t:Naam><b:Geslachtsnaam><b:Achternaam>Testpersoon</b:Achternaam></b:Geslachtsnaam><b:Voorletters>T</b:Voorletters><b:NaamGebruik>1</b:NaamGebruik></t:Naam>` +
    `<t:Contactgegevens><t:Contact><t:Soort>01</t:Soort><t:Adres><b:Huis><b:Huisnummer>${spec.houseNumber}</b:Huisnummer></b:Huis><b:Postcode>${spec.postcode}</b:Postcode>` +
    `<b:Straatnaam>Teststraat</b:Straatnaam><b:Plaatsnaam>Hoorn</b:Plaatsnaam><b:LandCode>NL</b:LandCode></t:Adres></t:Contact></t:Contactgegevens>\n` +
    `<t:ToegewezenProducten>\n` +
    spec.products
      .map(
        (p) =>
          `<t:ToegewezenProduct><t:ToewijzingNummer>${p.allocation}</t:ToewijzingNummer><t:ReferentieAanbieder>${spec.provider}</t:ReferentieAanbieder>` +
          // no category: a generieke toewijzing (CBS type 88)
          (p.category ? `<t:Product><b:Categorie>${p.category}</b:Categorie>${p.code ? `<b:Code>${p.code}</b:Code>` : ''}</t:Product>` : '') +
          `<t:Toewijzingsdatum>${spec.date}</t:Toewijzingsdatum><t:Toewijzingstijd>09:00:00</t:Toewijzingstijd>` +
          `<t:Ingangsdatum>${p.start}</t:Ingangsdatum>${p.end ? `<t:Einddatum>${p.end}</t:Einddatum>` : ''}${p.reason ? `<t:RedenWijziging>${p.reason}</t:RedenWijziging>` : ''}</t:ToegewezenProduct>\n`,
      )
      .join('') +
    `</t:ToegewezenProducten></t:Client>\n</t:Bericht>\n`
  );
}

// ---------------------------------------------------------------------------------------------
// WMO305 start and WMO307 stop (3.2): actual start and end dates of allocated products

export interface StartStopSpec {
  municipality: string;
  provider: string;
  id: string;
  date: string;
  bsn: string;
  birthDate: string;
  products: { allocation: number; category: string; code?: string; allocationStart: string; start: string; end?: string; reason?: string; status?: '1' | '2' | '3' }[];
}

function startStop(message: 'wmo305' | 'wmo307', code: string, spec: StartStopSpec): string {
  const m = 's';
  const list = message === 'wmo305' ? 'StartProducten' : 'StopProducten';
  const item = message === 'wmo305' ? 'StartProduct' : 'StopProduct';
  return (
    open3(m, message, code, spec.provider, spec.municipality, spec.id, spec.date) +
    `<${m}:Client><${m}:Bsn>${spec.bsn}</${m}:Bsn><${m}:Geboortedatum><b:Datum>${spec.birthDate}</b:Datum></${m}:Geboortedatum><${m}:Geslacht>0</${m}:Geslacht>` +
    `<${m}:Naam><b:Geslachtsnaam><b:Achternaam>Testpersoon</b:Achternaam></b:Geslachtsnaam><b:Voorletters>T</b:Voorletters></${m}:Naam>` +
    `<${m}:${list}>\n` +
    spec.products
      .map(
        (p) =>
          `<${m}:${item}><${m}:ToewijzingNummer>${p.allocation}</${m}:ToewijzingNummer><${m}:Product><b:Categorie>${p.category}</b:Categorie>${p.code ? `<b:Code>${p.code}</b:Code>` : ''}</${m}:Product>` +
          `<${m}:ToewijzingIngangsdatum>${p.allocationStart}</${m}:ToewijzingIngangsdatum><${m}:Begindatum>${p.start}</${m}:Begindatum>` +
          (message === 'wmo307' ? `<${m}:RedenBeeindiging>${p.reason ?? '19'}</${m}:RedenBeeindiging><${m}:Einddatum>${p.end}</${m}:Einddatum>` : '') +
          `<${m}:StatusAanlevering>${p.status ?? '1'}</${m}:StatusAanlevering></${m}:${item}>\n`,
      )
      .join('') +
    `</${m}:${list}></${m}:Client>\n</${m}:Bericht>\n`
  );
}

export const wmo305 = (spec: StartStopSpec): string => startStop('wmo305', '418', spec);
export const wmo307 = (spec: StartStopSpec): string => startStop('wmo307', '420', spec);
