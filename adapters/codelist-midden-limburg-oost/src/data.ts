// Typed in from seed 001 (Werkafsprakenboek Wmo Midden-Limburg Oost v1.1, 2021), Bijlage 5
// "Codelijst producten Wmo Midden-Limburg Oost 2018": every row, in the order of the table.
// Columns: perceel, code, productomschrijving, eenheden, frequentie, volume.
export const MLO_ROWS: readonly (readonly [perceel: string, code: string, description: string, unit: string, frequency: string, volume: string])[] = [
  ["Ambulante ondersteuning", "7704", "Begeleiding in groepsverband lichamelijk gehandicapten", "Dagdeel", "week", "x dagdelen per week"],
  ["Ambulante ondersteuning", "7702", "Begeleiding in groepsverband psychogeriatrisch", "Dagdeel", "week", "x dagdelen per week"],
  ["Ambulante ondersteuning", "7707", "Begeleiding in groepsverband bij psychiatrische problematiek", "Dagdeel", "week", "x dagdelen per week"],
  ["Ambulante ondersteuning", "7701", "Begeleiding in groepsverband somatiek", "Dagdeel", "week", "x dagdelen per week"],
  ["Ambulante ondersteuning", "7703", "Begeleiding in groepsverband verstandelijk gehandicapten", "Dagdeel", "week", "x dagdelen per week"],
  ["Ambulante ondersteuning", "7706", "Begeleiding in groepsverband zintuiglijk gehandicapten visueel", "Dagdeel", "week", "x dagdelen per week"],
  ["Ambulante ondersteuning", "7705", "Begeleiding in groepsverband zintuiglijk gehandicapten auditief", "Dagdeel", "week", "x dagdelen per week"],
  ["Ambulante ondersteuning", "08A03", "Vervoer regulier retourrit", "Etmaal", "week", "x etmalen per week"],
  ["Ambulante ondersteuning", "08A04", "Vervoer rolstoel retourrit", "Etmaal", "week", "x etmalen per week"],
  ["Ambulante ondersteuning", "2704", "Individuele begeleiding lichamelijk gehandicapten", "Uur", "week", "x uren per week"],
  ["Ambulante ondersteuning", "2705", "Individuele begeleiding zintuiglijk gehandicapten auditief", "Uur", "week", "x uren per week"],
  ["Ambulante ondersteuning", "2706", "Individuele begeleiding zintuiglijk gehandicapten visueel", "Uur", "week", "x uren per week"],
  ["Ambulante ondersteuning", "2702", "Individuele begeleiding psychogeriatrisch", "Uur", "week", "x uren per week"],
  ["Ambulante ondersteuning", "2701", "Individuele begeleiding somatiek", "Uur", "week", "x uren per week"],
  ["Ambulante ondersteuning", "2703", "Individuele begeleiding verstandelijk gehandicapten", "Uur", "week", "x uren per week"],
  ["Ambulante ondersteuning", "2707", "Individuele begeleiding bij psychiatrische problematiek", "Uur", "week", "x uren per week"],
  ["Verblijf", "4704", "Kortdurend verblijf lichamelijk gehandicapten", "Etmaal", "week", "x etmalen per week"],
  ["Verblijf", "4705", "Kortdurend verblijf zintuiglijk gehandicapten auditief", "Etmaal", "week", "x etmalen per week"],
  ["Verblijf", "4706", "Kortdurend verblijf zintuiglijk gehandicapten visueel", "Etmaal", "week", "x etmalen per week"],
  ["Verblijf", "4702", "Kortdurend verblijf ouderen psychogeriatrisch", "Etmaal", "week", "x etmalen per week"],
  ["Verblijf", "4701", "Kortdurend verblijf ouderen somatiek", "Etmaal", "week", "x etmalen per week"],
  ["Verblijf", "4703", "Kortdurend verblijf verstandelijk gehandicapten", "Etmaal", "week", "x etmalen per week"],
  ["Verblijf", "4707", "Kortdurend verblijf bij psychiatrische problematiek", "Etmaal", "week", "x etmalen per week"],
];
